package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.embedded.KafkaFixtureExtension;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.ServiceConfig;

/**
 * The issuance service against a real broker and registry, exactly-once v2: it admits, sequences
 * and checkpoints; then it is stopped and started again on an empty state directory, so that its
 * stores come back from their changelog topics, and it continues the log without a gap.
 */
@ExtendWith(KafkaFixtureExtension.class)
class IssuanceServiceIT {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  @TempDir Path dir;

  private ServiceConfig config(KafkaFixture kafka, String prefix, Path policy, String state) {
    return IssuanceService.loadConfig(
        null,
        Map.of(
            ServiceConfig.BOOTSTRAP, kafka.bootstrapServers(),
            ServiceConfig.REGISTRY, kafka.registryUrl(),
            ServiceConfig.POLICY, policy.toString(),
            ServiceConfig.PREFIX, prefix,
            ServiceConfig.STATE_DIR, dir.resolve(state).toString()));
  }

  /** Reads the issuance stream's outputs, committed records only, as they arrive. */
  private static final class Outputs implements AutoCloseable {
    final KafkaConsumer<String, byte[]> consumer;
    final Topics topics;
    final List<Decision> decisions = new ArrayList<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();

    Outputs(KafkaFixture kafka, Topics topics) {
      this.topics = topics;
      consumer =
          new KafkaConsumer<>(
              kafka.consumerProperties("it-reader-" + topics.entries().name()),
              new StringDeserializer(),
              new ByteArrayDeserializer());
      consumer.subscribe(
          List.of(topics.decisions().name(), topics.entries().name(), topics.checkpoints().name()));
    }

    private <V> V decode(Topic<String, V> t, ConsumerRecord<String, byte[]> r) {
      return t.valueSerde().deserializer().deserialize(t.name(), r.value());
    }

    <T> void await(List<T> list, Predicate<List<T>> done) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!done.test(list)) {
        assertThat(System.nanoTime())
            .as("waiting for the issuance stream's output")
            .isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(topics.decisions().name())) {
            decisions.add(decode(topics.decisions(), r));
          } else if (r.topic().equals(topics.entries().name())) {
            entries.add(decode(topics.entries(), r));
          } else {
            checkpoints.add(decode(topics.checkpoints(), r));
          }
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      Topics topics,
      Submissions.Keyed s,
      String... validators)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topics.submissions().name(),
                s.key(),
                topics
                    .submissions()
                    .valueSerde()
                    .serializer()
                    .serialize(topics.submissions().name(), s.submission())))
        .get();
    for (String v : validators) {
      Endorsement e = Signed.endorse(v, s, Verdict.ENDORSE);
      producer
          .send(
              new ProducerRecord<>(
                  topics.endorsements().name(),
                  s.key(),
                  topics
                      .endorsements()
                      .valueSerde()
                      .serializer()
                      .serialize(topics.endorsements().name(), e)))
          .get();
    }
  }

  @Test
  void admitsSequencesAndCheckpointsAndContinuesAfterARestart(KafkaFixture kafka) throws Exception {
    String prefix = KafkaFixture.uniquePrefix("issuance-service");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, TestPolicies.base().toYaml(), StandardCharsets.UTF_8);
    TrustPolicy policy = TestPolicies.check(TestPolicies.base());
    byte[] first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "it-1").der();
    byte[] second = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "it-2").der();

    try (LedgerSerdes serdes = LedgerSerdes.registry(kafka.registryUrl());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                kafka.producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
      ServiceConfig config = config(kafka, prefix, policyFile, "state-1");
      Topics topics = config.topics(serdes);
      try (Outputs out = new Outputs(kafka, topics)) {
        try (IssuanceService service = IssuanceService.start(config, TC.log())) {
          assertThat(service.runtime().awaitRunning(TIMEOUT)).isTrue();
          assertThat(service.applicationId()).isEqualTo(prefix + "ledger-issuance");
          send(producer, topics, Signed.issue("vendor-a", first), "operator-b", "operator-c");
          out.await(out.entries, l -> l.size() >= 2);
          out.await(out.checkpoints, l -> !l.isEmpty() && l.get(l.size() - 1).getSize() == 2);
          out.await(out.decisions, l -> !l.isEmpty());
          assertThat(service.counter(QuorumProcessor.DECISIONS_ACCEPTED)).isEqualTo(1);
        }
        assertThat(out.decisions)
            .extracting(Decision::getOutcome)
            .containsExactly(Outcome.ACCEPTED);

        // A new instance with no local state: its stores come back from the changelogs.
        try (IssuanceService service =
            IssuanceService.start(config(kafka, prefix, policyFile, "state-2"), TC.log())) {
          assertThat(service.runtime().awaitRunning(TIMEOUT)).isTrue();
          send(producer, topics, Signed.issue("operator-c", first), "operator-b", "vendor-a");
          send(producer, topics, Signed.issue("vendor-a", second), "vendor-a", "operator-b");
          out.await(out.decisions, l -> l.size() >= 3);
          out.await(out.entries, l -> l.size() >= 3);
          out.await(out.checkpoints, l -> l.get(l.size() - 1).getSize() == 3);
        }

        List<LedgerEntry> entries = out.entries;
        assertThat(entries).extracting(LedgerEntry::getIndex).containsExactly(0L, 1L, 2L);
        assertThat(Hex.encode(Evidence.bytes(entries.get(2).getCertificate())))
            .isEqualTo(Hex.encode(second));
        assertThat(out.decisions)
            .extracting(Decision::getOutcome)
            .containsExactly(Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED);
        assertThat(out.decisions.get(1).getReasons().get(0).getCode())
            .isEqualTo(ReasonCode.DUPLICATE);
        Checkpoint last = out.checkpoints.get(out.checkpoints.size() - 1);
        assertThat(last.getPreviousSize()).isEqualTo(2);
        assertThat(
                Notes.open(last.getNote(), List.of(NoteVerifiers.fromVkey(policy.log().vkey())))
                    .text())
            .startsWith(policy.log().origin() + "\n3\n");
      }
    }
  }
}
