package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.demo.GeneratedConsortium;
import org.ledgerpki.cli.demo.LocalConsortium;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * The cosigners on a real broker, fed by the test playing a dishonest sequencer: they refuse to
 * cosign a checkpoint whose root does not match their own mirror, and a checkpoint that covers an
 * entry without quorum evidence; honest checkpoints before and after are cosigned.
 */
class EvidenceIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium gc;
  static TrustPolicy policy;
  static Path policyFile;
  static LedgerSerdes serdes;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    gc = GeneratedConsortium.generate("evidence", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    policy = TrustPolicy.of(gc.document(), "p");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, TrustPolicy.toYaml(gc.document()), StandardCharsets.UTF_8);
    serdes = LedgerSerdes.registry(kafka.registryUrl());
  }

  @AfterAll
  static void stop() {
    serdes.close();
  }

  /** Plays the issuance stream of one log onto the topics of {@code prefix}. */
  static final class DishonestLog implements AutoCloseable {
    final Topics topics;
    final KafkaProducer<String, byte[]> producer;
    final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    final String origin = policy.log().origin();
    long lastCheckpoint;

    DishonestLog(String prefix) {
      topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
      append(MtcLogEntry.nullEntry().encode(), null, List.of());
    }

    <V> void send(Topic<String, V> topic, V value) {
      try {
        producer
            .send(
                new ProducerRecord<>(
                    topic.name(),
                    origin,
                    topic.valueSerde().serializer().serialize(topic.name(), value)))
            .get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Appends a certificate with the endorsements of {@code endorsers} as its evidence. */
    void certificate(int i, List<String> endorsers) throws Exception {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      byte[] der =
          Certificates.der(
              new CertificateBuilder()
                  .subject(
                      "CN=nf-" + i + ",O=" + policy.member("vendor-a").orElseThrow().organization())
                  .keyPair(Keys.generate(SignatureAlgorithm.ED25519))
                  .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                  .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                  .build());
      List<Endorsement> evidence = new ArrayList<>();
      for (String v : endorsers) {
        MemberKeys m =
            gc.members().stream().filter(x -> x.id().equals(v)).findFirst().orElseThrow();
        Endorsement e =
            Endorsement.newBuilder()
                .setSubmissionId("s-" + i)
                .setOperation(Operation.ISSUE)
                .setSubmitter("vendor-a")
                .setCertificateSha256(Evidence.buffer(Sha256.hash(der)))
                .setValidator(v)
                .setVerdict(Verdict.ENDORSE)
                .setReasons(List.of())
                .setValidatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSignature(Evidence.unsigned(v))
                .build();
        e.setSignature(
            Evidence.signature(
                new BatchSigner(v, m.endorsement().getPrivate(), m.endorsement().getPublic())
                    .sign(EndorsementStatement.KIND, List.of(Evidence.statement(e).encode()))
                    .get(0)));
        evidence.add(e);
      }
      append(
          TbsCertificateLogEntry.fromSubmittedCertificate(der, policy.log().caId())
              .toMtcLogEntry(List.of())
              .encode(),
          der,
          evidence);
    }

    void append(byte[] entry, byte[] der, List<Endorsement> evidence) {
      long index = tree.size();
      tree.append(Rfc9162.leafHash(entry));
      send(
          topics.entries(),
          LedgerEntry.newBuilder()
              .setOrigin(origin)
              .setLogNumber(1)
              .setIndex(index)
              .setEntry(Evidence.buffer(entry))
              .setCertificate(Evidence.buffer(der))
              .setCertificateSha256(der == null ? null : Evidence.buffer(Sha256.hash(der)))
              .setSubmissionId(der == null ? null : "s-" + index)
              .setSubmitter(der == null ? null : "vendor-a")
              .setEvidence(evidence)
              .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build());
    }

    /** A log-signed checkpoint at the current size, with {@code root} (the honest one if null). */
    void checkpoint(byte[] root) {
      long size = tree.size();
      byte[] r = root != null ? root : tree.root();
      // Every checkpoint commits to the status log (docs/status.md); this log has no events.
      Checkpoint cp =
          new Checkpoint(
              origin,
              size,
              r,
              List.of(new org.ledgerpki.core.status.StatusLog().commitment().extensionLine()));
      String note = Notes.sign(cp.body(), List.of(gc.log().noteSigner()));
      send(
          topics.checkpoints(),
          org.ledgerpki.schemas.avro.Checkpoint.newBuilder()
              .setOrigin(origin)
              .setSize(size)
              .setRootHash(Evidence.buffer(r))
              .setPreviousSize(lastCheckpoint)
              .setNote(note)
              .setTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build());
      lastCheckpoint = size;
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  static Set<Long> cosignedSizes(List<Cosignature> cosignatures) {
    return cosignatures.stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .map(Cosignature::getEnd)
        .collect(Collectors.toSet());
  }

  static long cosignersOf(List<Cosignature> l, long size) {
    return l.stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT && c.getEnd() == size)
        .map(Cosignature::getCosigner)
        .distinct()
        .count();
  }

  static LocalConsortium cosigners(String prefix) throws Exception {
    return LocalConsortium.start(
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state-" + prefix)),
        policyFile,
        null,
        gc.members(),
        EnumSet.of(LocalConsortium.Service.COSIGNERS),
        Duration.ofSeconds(120));
  }

  @Test
  void aCheckpointWhoseRootDoesNotMatchIsNotCosigned() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("evidence-root");
    try (LocalConsortium cosigners = cosigners(prefix);
        DishonestLog log = new DishonestLog(prefix);
        LedgerReader<Cosignature> out =
            new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures())) {
      log.certificate(1, List.of("operator-b", "operator-c"));
      log.checkpoint(null);
      assertThat(
              cosignedSizes(out.until(l -> cosignedSizes(l).contains(2L), Duration.ofSeconds(60))))
          .contains(2L);
      log.certificate(2, List.of("vendor-a", "operator-b"));
      log.checkpoint(Sha256.hash("a root of some other tree".getBytes(StandardCharsets.US_ASCII)));
      log.certificate(3, List.of("vendor-a", "operator-c"));
      log.checkpoint(null);
      List<Cosignature> all = out.until(l -> cosignersOf(l, 4) == 3, Duration.ofSeconds(60));
      assertThat(cosignedSizes(all))
          .as("size 4 is cosigned after size 3 was seen, so size 3 was refused")
          .contains(4L)
          .doesNotContain(3L);
      assertThat(cosignersOf(all, 4)).isEqualTo(3);
    }
  }

  @Test
  void aCheckpointCoveringAnEntryWithoutQuorumEvidenceIsNotCosigned() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("evidence-quorum");
    try (LocalConsortium cosigners = cosigners(prefix);
        DishonestLog log = new DishonestLog(prefix);
        LedgerReader<Cosignature> out =
            new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures())) {
      log.certificate(1, List.of("operator-b", "operator-c"));
      log.checkpoint(null);
      assertThat(
              cosignedSizes(out.until(l -> cosignedSizes(l).contains(2L), Duration.ofSeconds(60))))
          .contains(2L);
      log.certificate(2, List.of("operator-b")); // one endorsement: no quorum of 2
      log.checkpoint(null);
      log.certificate(3, List.of("operator-b", "operator-b")); // the same organisation twice
      log.checkpoint(null);
      List<Cosignature> all = out.until(l -> false, Duration.ofSeconds(8));
      assertThat(cosignedSizes(all)).as("the log is tainted from index 2").containsExactly(2L);
    }
  }
}
