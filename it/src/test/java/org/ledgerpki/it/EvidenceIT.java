package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ledgerpki.cli.GeneratedConsortium;
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
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.cosign.CosignService;
import org.ledgerpki.cosign.CosignerTopology;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
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
 * entry without quorum evidence (one endorsement, the same organisation twice, a forged signature),
 * each case on its own fresh topics; honest checkpoints before are cosigned. The test waits on the
 * cosigners' refusal counters, not on the clock.
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
    policy = TrustPolicyReader.of(gc.document(), "p");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    serdes = LedgerSerdes.registry(kafka.registryUrl());
  }

  @AfterAll
  static void stop() {
    serdes.close();
  }

  /**
   * Plays the issuance stream of one log onto the topics of {@code prefix}: it holds the log's key
   * and signs every entry with it (ADR 0012), the offending ones too.
   */
  static final class DishonestLog implements AutoCloseable {
    final Topics topics;
    final RawTopicWriter writer;
    final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    final String origin = policy.log().origin();
    long lastCheckpoint;

    DishonestLog(String prefix) {
      topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
      writer = new RawTopicWriter(kafka.bootstrapServers());
      append(MtcLogEntry.nullEntry().encode(), null, List.of());
    }

    <V> void send(Topic<String, V> topic, V value) {
      writer.send(topic, origin, value);
    }

    /**
     * Appends a certificate with the endorsements of {@code endorsers} as its evidence. An endorser
     * {@code "name:owner"} is a verdict under {@code name} signed with {@code owner}'s key (a
     * forgery).
     */
    void certificate(int i, List<String> endorsers) throws Exception {
      certificate(i, endorsers, true);
    }

    /**
     * As {@link #certificate(int, List)}; unless {@code byTheLog}, the entry is what a writer
     * without the log's key can write: unsigned, at the next index, and not in the log's tree.
     */
    void certificate(int i, List<String> endorsers, boolean byTheLog) throws Exception {
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
      for (String endorser : endorsers) {
        String v = endorser.split(":")[0];
        String keyOwner = endorser.contains(":") ? endorser.split(":")[1] : v;
        MemberKeys m =
            gc.members().stream().filter(x -> x.id().equals(keyOwner)).findFirst().orElseThrow();
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
          evidence,
          byTheLog);
    }

    void append(byte[] entry, byte[] der, List<Endorsement> evidence) {
      append(entry, der, evidence, true);
    }

    void append(byte[] entry, byte[] der, List<Endorsement> evidence, boolean byTheLog) {
      long index = tree.size();
      if (byTheLog) {
        tree.append(Rfc9162.leafHash(entry));
      }
      LedgerEntry e =
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
              .build();
      send(topics.entries(), byTheLog ? LogRecords.sign(e, gc.log().ed25519().getPrivate()) : e);
    }

    /** A log-signed checkpoint at the current size, with {@code root} (the honest one if null). */
    void checkpoint(byte[] root) {
      long size = tree.size();
      byte[] r = root != null ? root : tree.root();
      // Every checkpoint commits to the status log (docs/status.md); this log has no events. It
      // names the policy in force, as the issuance stream does (docs/governance.md).
      Checkpoint cp =
          new Checkpoint(
              origin,
              size,
              r,
              List.of(
                  new org.ledgerpki.core.status.StatusLog().commitment().extensionLine(),
                  org.ledgerpki.core.policy.PolicyCommitment.of(policy).extensionLine()));
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
      writer.close();
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

  /**
   * Every member's cosigner (and aggregator) on the topics of {@code prefix}, started as {@link
   * LocalConsortium} starts them, so that the test can read each one's counters.
   */
  static final class Cosigners implements AutoCloseable {
    final Map<String, CosignService> byId = new TreeMap<>();

    Cosigners(String prefix) throws Exception {
      LocalConsortium.Connection c =
          new LocalConsortium.Connection(
              kafka.bootstrapServers(),
              kafka.registryUrl(),
              prefix,
              dir.resolve("state-" + prefix));
      try {
        for (MemberKeys m : gc.members()) {
          if (m.roles().contains(Role.COSIGNER)) {
            byId.put(
                m.id(),
                CosignService.start(
                    LocalConsortium.config(c, policyFile, "cosigner-" + m.id()), m));
          }
        }
        for (var e : byId.entrySet()) {
          assertThat(e.getValue().awaitRunning(Duration.ofSeconds(120)))
              .as("the cosigner of %s runs", e.getKey())
              .isTrue();
        }
      } catch (Exception | AssertionError e) {
        close();
        throw e;
      }
    }

    /** Counter {@code name} (e.g. {@code refused-checkpoints-total}) of each cosigner. */
    Map<String, Double> counter(String name, String... tags) {
      Map<String, Double> out = new TreeMap<>();
      byId.forEach(
          (id, cs) ->
              out.put(
                  id,
                  Counters.sum(
                      cs.cosigner().streams().metrics(),
                      CosignerTopology.METRICS_SCOPE + "-metrics",
                      name,
                      tags)));
      return out;
    }

    /** {@code value} for every cosigner. */
    Map<String, Double> each(double value) {
      Map<String, Double> out = new TreeMap<>();
      byId.keySet().forEach(id -> out.put(id, value));
      return out;
    }

    /** Waits until counter {@code name} is {@code value} at every cosigner, and asserts it. */
    void await(double value, String name, String... tags) throws InterruptedException {
      assertThat(Counters.await(() -> counter(name, tags), c -> c.equals(each(value)), WAIT))
          .as("%s %s at each cosigner", name, Arrays.toString(tags))
          .isEqualTo(each(value));
    }

    @Override
    public void close() {
      byId.values().forEach(CosignService::close);
    }
  }

  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aCheckpointWhoseRootDoesNotMatchIsNotCosigned() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("evidence-root");
    try (Cosigners cosigners = new Cosigners(prefix);
        DishonestLog log = new DishonestLog(prefix);
        LedgerReader<Cosignature> out =
            new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures())) {
      log.certificate(1, List.of("operator-b", "operator-c"));
      log.checkpoint(null);
      assertThat(cosignersOf(out.until(l -> cosignersOf(l, 2) == 3, WAIT), 2)).isEqualTo(3);
      log.certificate(2, List.of("vendor-a", "operator-b"));
      log.checkpoint(Sha256.hash("a root of some other tree".getBytes(StandardCharsets.US_ASCII)));
      cosigners.await(1, "refused-checkpoints-total", "reason", "root-mismatch");
      log.certificate(3, List.of("vendor-a", "operator-c"));
      log.checkpoint(null);
      List<Cosignature> all = out.until(l -> cosignersOf(l, 4) == 3, WAIT);
      assertThat(cosignedSizes(all))
          .as("size 4 is cosigned after size 3 was refused")
          .contains(4L)
          .doesNotContain(3L);
      assertThat(cosignersOf(all, 4)).isEqualTo(3);
      assertThat(cosigners.counter("refused-checkpoints-total")).isEqualTo(cosigners.each(1));
      assertThat(cosigners.counter("tainted-entries-total")).isEqualTo(cosigners.each(0));
    }
  }

  /**
   * An entry without the log's signature (ADR 0012), written at the next index before the log's
   * own, is not the log's: each cosigner dead-letters it and counts it ({@code
   * unauthenticated-records-total{kind=entry}}). Though its evidence is one endorsement, it taints
   * nothing, and the log's entry at that index is mirrored and its checkpoint cosigned.
   */
  @Test
  void anUnsignedEntryAtTheNextIndexIsIgnoredAndTaintsNothing() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("evidence-unsigned");
    try (Cosigners cosigners = new Cosigners(prefix);
        DishonestLog log = new DishonestLog(prefix);
        LedgerReader<Cosignature> out =
            new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures())) {
      log.certificate(1, List.of("operator-b", "operator-c"));
      log.checkpoint(null);
      assertThat(cosignersOf(out.until(l -> cosignersOf(l, 2) == 3, WAIT), 2)).isEqualTo(3);

      log.certificate(20, List.of("operator-b"), false);
      cosigners.await(1, "unauthenticated-records-total", "kind", "entry");
      log.certificate(2, List.of("vendor-a", "operator-c"));
      log.checkpoint(null);
      assertThat(cosignersOf(out.until(l -> cosignersOf(l, 3) == 3, WAIT), 3))
          .as("cosigners of the checkpoint over the log's own entry at index 2")
          .isEqualTo(3);
      assertThat(cosigners.counter("tainted-entries-total")).isEqualTo(cosigners.each(0));
      assertThat(cosigners.counter("refused-checkpoints-total")).isEqualTo(cosigners.each(0));
      assertThat(cosigners.counter("unauthenticated-records-total"))
          .as("records dead-lettered for want of the log's signature, at each cosigner")
          .isEqualTo(cosigners.each(1));
    }
  }

  /**
   * Each bad-evidence case runs on its own fresh topics, after an honest prefix that is cosigned,
   * so that no earlier taint can hide it: the entry at index 2 taints the log (counted once at each
   * cosigner), and its checkpoint is refused as tainted.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "operator-b", // one endorsement: no quorum of 2
        "operator-b,operator-b", // the same organisation twice
        "operator-b,operator-c:operator-b" // operator-c's name, operator-b's key
      })
  void aCheckpointCoveringAnEntryWithoutQuorumEvidenceIsNotCosigned(String endorsers)
      throws Exception {
    String prefix = KafkaFixture.uniquePrefix("evidence-quorum");
    try (Cosigners cosigners = new Cosigners(prefix);
        DishonestLog log = new DishonestLog(prefix);
        LedgerReader<Cosignature> out =
            new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures())) {
      log.certificate(1, List.of("operator-b", "operator-c"));
      log.checkpoint(null);
      assertThat(cosignersOf(out.until(l -> cosignersOf(l, 2) == 3, WAIT), 2)).isEqualTo(3);
      cosigners.await(1, "cosigned-checkpoints-total");

      log.certificate(2, List.of(endorsers.split(",")));
      log.checkpoint(null);
      cosigners.await(1, "refused-checkpoints-total", "reason", "tainted");
      assertThat(cosigners.counter("tainted-entries-total"))
          .as("entries tainted at each cosigner")
          .isEqualTo(cosigners.each(1));
      assertThat(cosigners.counter("refused-checkpoints-total"))
          .as("all refusals at each cosigner")
          .isEqualTo(cosigners.each(1));
      assertThat(cosigners.counter("cosigned-checkpoints-total"))
          .as("checkpoints cosigned at each cosigner")
          .isEqualTo(cosigners.each(1));
      assertThat(cosignedSizes(out.untilEnd(WAIT)))
          .as("only the honest prefix is cosigned")
          .containsExactly(2L);
    }
  }
}
