package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.slf4j.Logger;
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

  // The log tests: each its own logger (the WARN throttle is by logger and service), captured.
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private ch.qos.logback.classic.Logger captureLogger;

  private Logger capturedLogger(TestInfo test) {
    captureLogger =
        (ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger(
                DeadLetterOutTest.class.getName() + "." + test.getTestMethod().get().getName());
    captureLogger.setLevel(Level.DEBUG);
    captureLogger.setAdditive(false);
    captured.start();
    captureLogger.addAppender(captured);
    return captureLogger;
  }

  @AfterEach
  void stopCapturing() {
    if (captureLogger != null) {
      captureLogger.detachAppender(captured);
    }
  }

  private List<String> logged(Level level) {
    return captured.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = CLOCK.instant();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aFloodOfDeadLettersIsOneWarningThenOneSummaryAMinuteAndEveryOneIsSent(TestInfo test) {
    MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    TestClock clock = new TestClock();
    int[] counted = {0};
    DeadLetterOut out =
        DeadLetterOut.toChild(
            context, "test-service", clock, capturedLogger(test), () -> counted[0]++, "dlq-sink");
    for (int i = 0; i < 1000; i++) {
      context.setRecordMetadata("in", 0, i);
      out.send(new Record<>("k" + i, new byte[] {1}, i), "unsigned entry " + i);
    }

    assertThat(counted[0]).isEqualTo(1000);
    assertThat(context.forwarded()).hasSize(1000);
    assertThat(context.forwarded())
        .extracting(f -> ((DeadLetter) f.record().value()).getReason())
        .startsWith("unsigned entry 0")
        .endsWith("unsigned entry 999");
    assertThat(logged(Level.WARN))
        .singleElement()
        .asString()
        .startsWith("test-service: dead-lettering in/0@0: unsigned entry 0 (")
        .contains("next 60 s are logged at DEBUG");
    assertThat(logged(Level.DEBUG))
        .hasSize(999)
        .last()
        .isEqualTo("test-service: dead-lettering in/0@999: unsigned entry 999");

    clock.advance(Duration.ofSeconds(59));
    context.setRecordMetadata("in", 0, 1000);
    out.send(new Record<>("k", new byte[] {1}, 0L), "unsigned entry 1000");
    assertThat(logged(Level.WARN)).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    context.setRecordMetadata("in", 0, 1001);
    out.send(new Record<>("k", new byte[] {1}, 0L), "unsigned entry 1001");
    assertThat(logged(Level.WARN))
        .hasSize(2)
        .last()
        .asString()
        .startsWith(
            "test-service: dead-lettering in/0@1001: unsigned entry 1001 (1000 more dead-lettered"
                + " since the previous warning");
    assertThat(logged(Level.DEBUG)).hasSize(1000);
    assertThat(counted[0]).isEqualTo(1002);
    assertThat(context.forwarded()).hasSize(1002);
    assertThat(((DeadLetter) context.forwarded().get(1001).record().value()).getReason())
        .isEqualTo("unsigned entry 1001");
    // Neither the keys nor the values are logged.
    assertThat(captured.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains("k1") || m.contains("[1]"));
  }

  @Test
  void theTasksOfAServiceAndOfShareOneWarningAnotherServiceHasItsOwn(TestInfo test) {
    Logger log = capturedLogger(test);
    TestClock clock = new TestClock();
    DeadLetterOut.Sink ignore = (record, kind, letter) -> {};
    Record<String, byte[]> r = new Record<>("k", new byte[] {1}, 0L);
    new DeadLetterOut(context, "svc-a", clock, log, ignore).send(r, "task 0");
    new DeadLetterOut(context, "svc-a", clock, log, ignore).send(r, "task 1");
    DeadLetterOut.of(context, log, "svc-a", "k", null, "decoded input", clock);
    new DeadLetterOut(context, "svc-b", clock, log, ignore).send(r, "other service");

    assertThat(logged(Level.WARN))
        .extracting(m -> m.split(" \\(")[0])
        .containsExactly(
            "svc-a: dead-lettering ?: task 0", "svc-b: dead-lettering ?: other service");
    assertThat(logged(Level.DEBUG))
        .containsExactly(
            "svc-a: dead-lettering ?: task 1", "svc-a: dead-lettering ?: decoded input");

    clock.advance(DeadLetterOut.WARN_INTERVAL);
    DeadLetterOut.of(context, log, "svc-a", "k", null, "a minute later", clock);
    assertThat(logged(Level.WARN))
        .hasSize(3)
        .last()
        .asString()
        .startsWith("svc-a: dead-lettering ?: a minute later (2 more dead-lettered");
  }

  @Test
  void aClockThatGoesBackDoesNotSilenceTheWarnings(TestInfo test) {
    TestClock clock = new TestClock();
    DeadLetterOut out =
        new DeadLetterOut(context, "test-service", clock, capturedLogger(test), (r, k, l) -> {});
    Record<String, byte[]> r = new Record<>("k", new byte[] {1}, 0L);
    out.send(r, "first");
    clock.advance(Duration.ofHours(-1));
    out.send(r, "after the clock went back");
    assertThat(logged(Level.WARN)).hasSize(2);
  }
}
