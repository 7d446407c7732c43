package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.embedded.KafkaFixtureExtension;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.WireFormat;
import org.ledgerpki.schemas.avro.BatchSignature;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/**
 * Avro records through a real broker and a real registry: transactional writes, read_committed
 * reads, and the Confluent-compatible contract (the id in the bytes is the registry's ccompat id,
 * and the schema served under it decodes the record with plain Avro).
 */
@ExtendWith(KafkaFixtureExtension.class)
class AvroThroughBrokerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant AT = Instant.ofEpochMilli(1_767_225_600_123L);

  /** The log whose entries the test writes. */
  private static final LogKeys LOG = TestConsortium.get().log();

  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaFixture kafka;
  private static LedgerSerdes serdes;

  @BeforeAll
  static void setUp(KafkaFixture fixture) {
    kafka = fixture;
    serdes = LedgerSerdes.registry(kafka.registryUrl());
  }

  @AfterAll
  static void tearDown() {
    serdes.close();
  }

  @Test
  void provisioningCreatesEveryTopicOnceAndSaysSo() {
    Topics topics = Topics.create(KafkaFixture.uniquePrefix("provisioning"), serdes);
    TopicProvisioner provisioner = new TopicProvisioner(kafka.admin(), TIMEOUT);

    TopicProvisioner.Result first = provisioner.ensure(topics);
    assertThat(first.created()).containsExactlyElementsOf(names(topics));
    assertThat(first.existing()).isEmpty();
    // Once ensure returns, each partition's leader serves it: a producer that does not retry
    // writes to every partition of every created topic at its first attempt (KAFKA-15591).
    Map<String, Object> once = new java.util.HashMap<>(kafka.producerProperties());
    once.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    once.put(ProducerConfig.RETRIES_CONFIG, 0);
    once.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            once,
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Topic<String, ?> t : topics.all()) {
        for (int p = 0; p < t.partitions(); p++) {
          sent.add(
              producer.send(new ProducerRecord<>(t.name(), p, new byte[] {1}, new byte[] {1})));
        }
      }
      for (Future<RecordMetadata> f : sent) {
        assertThat(f).succeedsWithin(TIMEOUT);
      }
    }

    TopicProvisioner.Result again = provisioner.ensure(topics);
    assertThat(again.created()).as("provisioning is idempotent").isEmpty();
    assertThat(again.existing()).containsExactlyElementsOf(names(topics));
  }

  @Test
  void readCommittedSeesExactlyTheCommittedRecords() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("readCommitted");
    Topics topics = provisioned(prefix);
    Topic<String, Submission> submissions = topics.submissions();
    Topic<String, LedgerEntry> entries = topics.entries();
    List<Submission> committedSubmissions = new ArrayList<>();
    List<LedgerEntry> committedEntries = new ArrayList<>();
    RecordMetadata lastEntry;
    RecordMetadata lastSubmission;

    Serializer<Object> values =
        new ByTopicSerializer(
            Map.of(
                submissions.name(), submissions.valueSerde().serializer(),
                entries.name(), entries.valueSerde().serializer()));
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            kafka.transactionalProducerProperties(prefix + "tx"),
            submissions.keySerde().serializer(),
            values)) {
      producer.initTransactions();

      producer.beginTransaction();
      Future<RecordMetadata> entrySent = null;
      for (int i = 0; i < 3; i++) {
        Submission s = submission("committed-" + i);
        LedgerEntry e = entry(i);
        producer.send(new ProducerRecord<>(submissions.name(), "cert-" + i, s));
        entrySent = producer.send(new ProducerRecord<>(entries.name(), e.getOrigin(), e));
        committedSubmissions.add(s);
        committedEntries.add(e);
      }
      producer.commitTransaction();
      lastEntry = entrySent.get();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(submissions.name(), "cert-x", submission("aborted")));
      producer.send(new ProducerRecord<>(entries.name(), "origin", entry(99)));
      producer.flush();
      producer.abortTransaction();

      producer.beginTransaction();
      Submission last = submission("committed-after-abort");
      Future<RecordMetadata> submissionSent =
          producer.send(new ProducerRecord<>(submissions.name(), "cert-3", last));
      committedSubmissions.add(last);
      producer.commitTransaction();
      lastSubmission = submissionSent.get();
    }

    // commitTransaction returns once the coordinator has decided; the markers that make the
    // records stable reach the partitions after that, so the reader waits for them.
    assertThat(readAll(submissions.name(), submissions.valueSerde().deserializer(), lastSubmission))
        .extracting(ConsumerRecord::value)
        .containsExactlyElementsOf(committedSubmissions);
    List<LedgerEntry> read =
        readAll(entries.name(), entries.valueSerde().deserializer(), lastEntry).stream()
            .map(ConsumerRecord::value)
            .toList();
    assertThat(read).containsExactlyElementsOf(committedEntries);
    // The log's signature (ADR 0012) survives the registry's schema and the broker: each entry
    // read still verifies with the log's key.
    for (LedgerEntry e : read) {
      assertThat(e.getLogSignature()).as("entry %d's logSignature", e.getIndex()).isNotNull();
      assertThat(LogRecords.problem(e, LOG.ed25519().getPublic()))
          .as("entry %d", e.getIndex())
          .isNull();
    }
  }

  @Test
  void confluentToolingCanReadTheRecords() throws Exception {
    Topics topics = provisioned(KafkaFixture.uniquePrefix("wire"));
    Topic<String, Submission> topic = topics.submissions();
    String topicName = topic.name();
    Submission sent = submission("wire-1");
    try (KafkaProducer<String, Submission> producer =
        new KafkaProducer<>(
            kafka.producerProperties(),
            topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topicName, "cert-wire", sent)).get();
    }
    List<ConsumerRecord<String, byte[]>> stored =
        readAll(topicName, new ByteArrayDeserializer(), null);
    assertThat(stored).hasSize(1);
    byte[] bytes = stored.get(0).value();

    int id = WireFormat.schemaId(bytes);
    String ccompat = kafka.registry().ccompatUrl();

    // The registry serves the writer schema under the id in the bytes...
    JsonNode byId = getJson(ccompat + "/schemas/ids/" + id);
    Schema writer = new Schema.Parser().parse(byId.get("schema").asText());
    assertThat(writer.getFullName()).isEqualTo(Submission.class.getName());

    // ...and plain Avro (no Apicurio, no generated classes) decodes the record with it.
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                bytes, WireFormat.HEADER_LENGTH, bytes.length - WireFormat.HEADER_LENGTH, null);
    GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    assertThat(decoder.isEnd()).as("the whole body was read").isTrue();
    assertThat(record.get("submissionId").toString()).isEqualTo("wire-1");
    assertThat(record.get("submitter").toString()).isEqualTo(sent.getSubmitter());
    assertThat(record.get("operation").toString()).isEqualTo("ISSUE");
    assertThat((ByteBuffer) record.get("certificate")).isEqualTo(sent.getCertificate());
    assertThat(record.get("targetCertificateSha256")).isNull();
    assertThat(record.get("submittedAt")).isEqualTo(AT.toEpochMilli());
    GenericRecord signature = (GenericRecord) record.get("signature");
    assertThat(signature.get("signer").toString()).isEqualTo("vendor-a");
    assertThat(signature.get("leafIndex")).isEqualTo(2L);

    // The subject is <topic>-value, and its ccompat id is the id in the bytes.
    JsonNode subjects = getJson(ccompat + "/subjects");
    assertThat(subjects).extracting(JsonNode::asText).contains(topicName + "-value");
    assertThat(
            getJson(ccompat + "/subjects/" + topicName + "-value/versions/latest")
                .get("id")
                .asInt())
        .isEqualTo(id);

    // The same schema under a second subject keeps its id (content id, not a per-version id).
    String copyName = Topics.create(KafkaFixture.uniquePrefix("copy"), serdes).submissions().name();
    byte[] copy = topic.valueSerde().serializer().serialize(copyName, sent);
    assertThat(WireFormat.schemaId(copy)).isEqualTo(id);
    assertThat(
            getJson(ccompat + "/subjects/" + copyName + "-value/versions/latest").get("id").asInt())
        .isEqualTo(id);
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The ledger topics under {@code prefix}, created on the broker. */
  private static Topics provisioned(String prefix) {
    Topics topics = Topics.create(prefix, serdes);
    new TopicProvisioner(kafka.admin(), TIMEOUT).ensure(topics);
    return topics;
  }

  private static List<String> names(Topics topics) {
    return topics.all().stream().map(Topic::name).toList();
  }

  /**
   * Every committed record of {@code topic}, read with read_committed until its end, once that end
   * (the last stable offset) has passed {@code mustInclude} when one is given.
   */
  private static <V> List<ConsumerRecord<String, V>> readAll(
      String topic, Deserializer<V> values, RecordMetadata mustInclude)
      throws InterruptedException {
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            kafka.consumerProperties("reader-" + topic), new StringDeserializer(), values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // For read_committed, the end offsets are the last stable offsets.
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (mustInclude != null
          && consumer.endOffsets(partitions).get(new TopicPartition(topic, mustInclude.partition()))
              <= mustInclude.offset()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the last stable offset of " + topic + " did not pass " + mustInclude.offset());
        }
        Thread.sleep(50);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "did not reach the end of " + topic + " within " + TIMEOUT + "; read " + records);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static JsonNode getJson(String url) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }
  }

  private static Submission submission(String id) {
    return Submission.newBuilder()
        .setSubmissionId(id)
        .setOperation(Operation.ISSUE)
        .setSubmitter("vendor-a")
        .setCertificate(ByteBuffer.wrap(("DER " + id).getBytes(StandardCharsets.UTF_8)))
        .setSubmittedAt(AT)
        .setSignature(signature())
        .build();
  }

  /** Entry {@code index} of {@link #LOG}, signed with its key as the issuance stream signs it. */
  private static LedgerEntry entry(long index) {
    return LogRecords.sign(
        LedgerEntry.newBuilder()
            .setOrigin(LOG.origin())
            .setLogNumber(LOG.number())
            .setIndex(index)
            .setEntry(ByteBuffer.wrap(("entry " + index).getBytes(StandardCharsets.UTF_8)))
            .setSequencedAt(AT)
            .build(),
        LOG.ed25519().getPrivate());
  }

  private static BatchSignature signature() {
    return BatchSignature.newBuilder()
        .setSigner("vendor-a")
        .setKeyId("0011223344556677")
        .setBatchSize(4)
        .setLeafIndex(2)
        .setProof(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})))
        .setSignature(ByteBuffer.wrap(new byte[] {9, 9}))
        .build();
  }

  /** One producer for several topics: the value serializer of each record's topic. */
  private record ByTopicSerializer(Map<String, Serializer<?>> byTopic)
      implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object data) {
      return serialize(topic, null, data);
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, Headers headers, Object data) {
      Serializer<Object> serializer = (Serializer<Object>) byTopic.get(topic);
      if (serializer == null) {
        throw new IllegalArgumentException("no serializer for topic " + topic);
      }
      return serializer.serialize(topic, headers, data);
    }
  }
}
