package org.ledgerpki.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Submission;

class LedgerSerdesTest {

  private static LedgerSerdes serdes;
  private static InMemorySchemaRegistry registry;
  private static Topics topics;

  /** A topic and a value to write to it. */
  record Case<V extends SpecificRecord>(Topic<String, V> topic, V value) {
    @Override
    public String toString() {
      return topic.name();
    }
  }

  @BeforeAll
  static void setUp() {
    registry = new InMemorySchemaRegistry();
    serdes = LedgerSerdes.inMemory(registry);
    topics = Topics.create("unit.", serdes);
  }

  @AfterAll
  static void tearDown() {
    serdes.close();
  }

  static Stream<Case<?>> everyTopic() {
    Topics t = Topics.create("unit.", LedgerSerdes.inMemory());
    return Stream.of(
        new Case<>(t.submissions(), SampleRecords.submission("sub-1")),
        new Case<>(
            t.endorsements(),
            SampleRecords.endorsement("operator-b", org.ledgerpki.schemas.avro.Verdict.REJECT)),
        new Case<>(t.decisions(), SampleRecords.decision()),
        new Case<>(t.sequence(), SampleRecords.entry(-1)),
        new Case<>(t.entries(), SampleRecords.entry(7)),
        new Case<>(t.statusSequence(), SampleRecords.status(-1)),
        new Case<>(t.status(), SampleRecords.status(3)),
        new Case<>(t.checkpoints(), SampleRecords.checkpoint()),
        new Case<>(t.cosignatures(), SampleRecords.cosignature()),
        new Case<>(t.cosigned(), SampleRecords.cosigned()),
        new Case<>(t.landmarks(), SampleRecords.landmark()),
        new Case<>(t.dlq(), SampleRecords.deadLetter()),
        new Case<>(t.governance(), SampleRecords.governanceAct()),
        new Case<>(t.policy(), SampleRecords.policyChange()));
  }

  @Test
  void everyTopicHasACase() {
    assertThat(everyTopic().map(c -> c.topic().name()))
        .containsExactlyInAnyOrderElementsOf(
            Topics.create("unit.", LedgerSerdes.inMemory()).all().stream()
                .map(Topic::name)
                .toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTopic")
  <V extends SpecificRecord> void roundTripsThroughTheWireFormat(Case<V> c) {
    // Write with this test's serdes, to this test's registry.
    Topic<String, V> topic = sameTopic(c.topic());
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), c.value());

    assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    assertThat(registry.schema(id)).contains(c.value().getSchema());
    assertThat(registry.versions(topic.name() + "-value")).containsExactly(id);

    V back = topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
    assertThat(back).isEqualTo(c.value());
    assertThat(back).isInstanceOf(c.value().getClass());
  }

  @Test
  void oneSchemaOneIdAcrossTopics() {
    byte[] entries =
        topics
            .entries()
            .valueSerde()
            .serializer()
            .serialize(topics.entries().name(), SampleRecords.entry(3));
    byte[] sequence =
        topics
            .sequence()
            .valueSerde()
            .serializer()
            .serialize(topics.sequence().name(), SampleRecords.entry(-1));
    assertThat(WireFormat.schemaId(sequence)).isEqualTo(WireFormat.schemaId(entries));
    assertThat(registry.subjects())
        .contains(topics.entries().name() + "-value", topics.sequence().name() + "-value");
  }

  @Test
  void keysArePlainUtf8() {
    byte[] key = topics.submissions().keySerde().serializer().serialize("t", "ab\u00e9");
    assertThat(key).isEqualTo("ab\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(topics.submissions().keySerde().deserializer().deserialize("t", key))
        .isEqualTo("ab\u00e9");
  }

  @Test
  void nullStaysNull() {
    Topic<String, Submission> t = topics.submissions();
    assertThat(t.valueSerde().serializer().serialize(t.name(), null)).isNull();
    assertThat(t.valueSerde().deserializer().deserialize(t.name(), null)).isNull();
  }

  @Test
  void sameInstancePerClass() {
    assertThat(serdes.values(Submission.class)).isSameAs(serdes.values(Submission.class));
  }

  @Test
  void garbageFailsWithAClearSerializationException() {
    Topic<String, Submission> t = topics.submissions();
    Deserializer<Submission> reader = t.valueSerde().deserializer();
    byte[] good = t.valueSerde().serializer().serialize(t.name(), SampleRecords.submission("s"));
    int id = WireFormat.schemaId(good);

    assertThatThrownBy(() -> reader.deserialize(t.name(), new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("0 bytes, fewer than the 5-byte header");
    assertThatThrownBy(
            () -> reader.deserialize(t.name(), "{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("first byte is 0x7b, expected the magic byte 0x00");

    byte[] unknownId = good.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(999_999);
    assertThatThrownBy(() -> reader.deserialize(t.name(), unknownId))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(t.name())
        .hasMessageContaining("unknown schema id 999999");

    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> reader.deserialize(t.name(), truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot deserialize Submission from topic " + t.name())
        .hasMessageContaining("schema id " + id);

    // A body whose first string claims to be about a gigabyte long.
    byte[] hugeString =
        new byte[] {
          0, 0, 0, 0, (byte) id, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'
        };
    assertThatThrownBy(() -> reader.deserialize(t.name(), hugeString))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot deserialize Submission");
  }

  @Test
  void aValueOfAnotherTypeIsRejected() {
    Topic<String, Checkpoint> checkpoints = topics.checkpoints();
    byte[] checkpoint =
        checkpoints
            .valueSerde()
            .serializer()
            .serialize(checkpoints.name(), SampleRecords.checkpoint());
    assertThatThrownBy(
            () -> topics.submissions().valueSerde().deserializer().deserialize("mixed", checkpoint))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic mixed holds a org.ledgerpki.schemas.avro.Checkpoint")
        .hasMessageContaining("where a org.ledgerpki.schemas.avro.Submission was expected");
  }

  @Test
  void aSecondRegistryDoesNotKnowTheIds() {
    byte[] bytes =
        topics
            .submissions()
            .valueSerde()
            .serializer()
            .serialize("t", SampleRecords.submission("s"));
    try (LedgerSerdes other = LedgerSerdes.inMemory()) {
      assertThatThrownBy(
              () -> other.values(Submission.class).deserializer().deserialize("t", bytes))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("unknown schema id");
    }
  }

  @Test
  void settingsGiveTheConfluentFraming() {
    assertThat(serdes.settings())
        .containsEntry(
            "apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler")
        .containsEntry("apicurio.registry.use-id", "contentId")
        .containsEntry(
            "apicurio.registry.artifact-resolver-strategy",
            "io.apicurio.registry.serde.strategy.TopicIdStrategy")
        .containsEntry("apicurio.registry.dereference-schema", true)
        .containsEntry("apicurio.registry.use-specific-avro-reader", true)
        .containsEntry("apicurio.registry.headers.enabled", false);
  }

  @Test
  void registryUrlIsNormalisedToTheV3Api() {
    assertThat(LedgerSerdes.v3Url("http://127.0.0.1:8081"))
        .isEqualTo("http://127.0.0.1:8081/apis/registry/v3");
    assertThat(LedgerSerdes.v3Url("http://h:1/")).isEqualTo("http://h:1/apis/registry/v3");
    assertThat(LedgerSerdes.v3Url("https://h/apis/registry/v3/"))
        .isEqualTo("https://h/apis/registry/v3");
    assertThatThrownBy(() -> LedgerSerdes.v3Url("localhost:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
  }

  @Test
  void closedSerdesSayso() {
    LedgerSerdes s = LedgerSerdes.inMemory();
    s.close();
    s.close();
    assertThatThrownBy(() -> s.values(Submission.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /** The topic of the same name in this test's {@link #topics}. */
  @SuppressWarnings("unchecked")
  private static <V> Topic<String, V> sameTopic(Topic<String, V> other) {
    List<Topic<String, ?>> all = topics.all();
    return (Topic<String, V>)
        all.stream().filter(t -> t.name().equals(other.name())).findFirst().orElseThrow();
  }
}
