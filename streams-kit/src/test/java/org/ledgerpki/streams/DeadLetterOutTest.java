package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.slf4j.LoggerFactory;

class DeadLetterOutTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private final List<String> kinds = new ArrayList<>();
  private final List<DeadLetter> letters = new ArrayList<>();
  private final DeadLetterOut dlq =
      new DeadLetterOut(
          context,
          "test-service",
          CLOCK,
          LoggerFactory.getLogger(DeadLetterOutTest.class),
          (record, kind, letter) -> {
            kinds.add(kind);
            letters.add(letter);
          });

  private static final Deserializer<String> UPPER =
      (topic, data) -> {
        String s = new String(data, StandardCharsets.UTF_8);
        if (s.equals("bad")) {
          throw new IllegalArgumentException("not upper case");
        }
        return s.isEmpty() ? null : s.toUpperCase();
      };

  @Test
  void decodesAGoodValueAndSendsNothing() {
    context.setRecordMetadata("in", 2, 40);
    Record<String, byte[]> r = new Record<>("k", "abc".getBytes(StandardCharsets.UTF_8), 1L);
    assertThat(dlq.decode(r, UPPER, "in", "a String")).isEqualTo("ABC");
    assertThat(letters).isEmpty();
  }

  @Test
  void deadLettersWhatDoesNotDecodeSayingWhereFromAndWhy() {
    context.setRecordMetadata("in", 2, 41);
    byte[] bad = "bad".getBytes(StandardCharsets.UTF_8);
    assertThat(dlq.decode(new Record<>("k", bad, 1L), UPPER, "in", "a String")).isNull();
    assertThat(dlq.decode(new Record<String, byte[]>("k", null, 1L), UPPER, "in", "a String"))
        .isNull();
    assertThat(dlq.decode(new Record<>("k", new byte[0], 1L), UPPER, "in", "a String")).isNull();

    assertThat(kinds).containsOnly(DeadLetterOut.UNDECODABLE);
    assertThat(letters)
        .extracting(DeadLetter::getReason)
        .containsExactly(
            "cannot decode a String: not upper case",
            "cannot decode a String: the record has no value",
            "cannot decode a String: the value is empty");
    DeadLetter first = letters.get(0);
    assertThat(first.getSourceTopic()).isEqualTo("in");
    assertThat(first.getPartition()).isEqualTo(2);
    assertThat(first.getOffset()).isEqualTo(41);
    assertThat(first.getService()).isEqualTo("test-service");
    assertThat(Evidence.bytes(first.getKey())).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
    assertThat(Evidence.bytes(first.getValue())).isEqualTo(bad);
    assertThat(first.getFailedAt()).isEqualTo(CLOCK.instant());
  }

  @Test
  void sendNamesTheKindAndWhereWithoutMetadataIsAQuestionMark() {
    dlq.send(new Record<>("k", new byte[] {1}, 1L), "wrong-key", "record key k is wrong");
    assertThat(kinds).containsExactly("wrong-key");
    assertThat(letters.get(0).getSourceTopic()).isEqualTo("?");
    assertThat(letters.get(0).getReason()).isEqualTo("record key k is wrong");
    assertThat(DeadLetterOut.where(Optional.empty())).isEqualTo("?");
  }

  @Test
  void toChildCountsAndForwardsKeyedByTheSourceTopic() {
    MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    context.setRecordMetadata("in", 0, 7);
    int[] counted = {0};
    DeadLetterOut out =
        DeadLetterOut.toChild(
            context,
            "test-service",
            CLOCK,
            LoggerFactory.getLogger(DeadLetterOutTest.class),
            () -> counted[0]++,
            "dlq-sink");
    out.send(new Record<>("k", new byte[] {1}, 42L), "bad record");

    assertThat(counted[0]).isEqualTo(1);
    var forwarded = context.forwarded();
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).childName()).contains("dlq-sink");
    assertThat(forwarded.get(0).record().key()).isEqualTo("in");
    assertThat(forwarded.get(0).record().timestamp()).isEqualTo(42L);
    assertThat(((DeadLetter) forwarded.get(0).record().value()).getReason())
        .isEqualTo("bad record");
  }
}
