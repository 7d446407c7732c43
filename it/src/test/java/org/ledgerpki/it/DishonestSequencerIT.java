package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.cosign.CosignService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * The adversary suite, third adversary: a dishonest sequencer. The test holds the log's signing key
 * and the verdicts the validators published, runs no issuance stream, and writes straight to {@code
 * ledger.entries}, {@code ledger.status} and {@code ledger.checkpoints} in front of the real
 * cosigners on a real broker. Each attack runs on its own fresh prefix with its own three
 * cosigners: foreign evidence, the same entry again at a later index, a replayed RESUME after a
 * consortium SUSPEND, a checkpoint whose status count goes backwards, a forked checkpoint (same
 * size, another root) and an entry on a key revoked for keyCompromise. In each case an honest
 * checkpoint is cosigned first (the positive control); then every cosigner counts the refusal with
 * its reason tag, and none publishes a cosignature on the offending checkpoint.
 */
class DishonestSequencerIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium gc;
  static TrustPolicy policy;
  static Path policyFile;
  static LedgerSerdes serdes;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    gc = GeneratedConsortium.generate("sequencer", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    policy = TrustPolicyReader.of(gc.document(), "p");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    serdes = LedgerSerdes.registry(kafka.registryUrl());
  }

  @AfterAll
  static void stop() {
    serdes.close();
  }

  // ---- the attacks, each on its own log ----

  @Test
  void foreignEvidenceTaintsTheEntry() throws Exception {
    try (Case c = new Case("seq-foreign")) {
      c.control();
      byte[] other = cert("vendor-a", "nf-other", ecdsa());
      byte[] mine = cert("vendor-a", "nf-mine", ecdsa());
      // Valid verdicts of two validators, but on the ISSUE of another certificate.
      List<Endorsement> foreign = endorsements(other, "s-other", "vendor-a", Operation.ISSUE);
      c.log.append(mine, "s-mine", "vendor-a", foreign);
      c.assertEntryTainted("no-quorum");
    }
  }

  @Test
  void theSameEntryAgainAtALaterIndexTaintsTheLog() throws Exception {
    try (Case c = new Case("seq-duplicate")) {
      LedgerEntry first = c.control();
      c.log.appendRecord(LedgerEntry.newBuilder(first).setIndex(c.log.size()).build());
      c.assertEntryTainted("entry-already-in-log");
    }
  }

  @Test
  void aReplayedResumeAfterAConsortiumSuspendTaintsTheStatusLog() throws Exception {
    try (Case c = new Case("seq-resume")) {
      LedgerEntry target = c.control();
      c.log.lifecycle(target, Operation.SUSPEND, null, "vendor-a");
      StatusEntry resume = c.log.lifecycle(target, Operation.RESUME, null, "vendor-a");
      c.log.lifecycle(target, Operation.SUSPEND, null, "operator-b", "operator-c");
      c.awaitCosignedByAll(c.log.checkpoint());
      c.log.replay(resume);
      c.assertStatusTainted("request-replayed");
    }
  }

  @Test
  void aCheckpointWhoseStatusCountGoesBackIsRefused() throws Exception {
    try (Case c = new Case("seq-rollback")) {
      LedgerEntry target = c.control();
      String before = c.log.status.commitment().extensionLine();
      long size = c.log.size();
      c.log.lifecycle(target, Operation.REVOKE, Lifecycle.REASON_KEY_COMPROMISE, "vendor-a");
      c.awaitCosignedByAll(c.log.checkpoint());
      // The checkpoint from before the revocation, re-issued at the same size.
      Cp stale = c.log.checkpoint(size, size, c.log.tree.rootAt(size), before);
      c.assertRefused(stale, "status-rollback");
    }
  }

  @Test
  void aForkedCheckpointIsRefused() throws Exception {
    try (Case c = new Case("seq-fork")) {
      LedgerEntry last = c.control();
      long size = c.log.size();
      long previous = c.log.previousOfLast;
      // The split view: the same size, whose last leaf is another certificate.
      MerkleTree fork = new MerkleTree(new InMemoryNodeStore());
      for (int i = 0; i < size - 1; i++) {
        fork.append(c.log.leaves.get(i));
      }
      fork.append(Rfc9162.leafHash(mtcEntry(cert("vendor-a", "nf-fork", ecdsa()))));
      assertThat(fork.root()).isNotEqualTo(c.log.tree.root());
      String line = c.log.status.commitment().extensionLine();
      // Extending the last checkpoint seen: its root is not the cosigners' mirror.
      c.assertRefused(c.log.checkpoint(size, size, fork.root(), line), "root-mismatch");
      // Presented as a sibling of the honest one (the same previousSize): a rival sequencer.
      c.assertRefused(
          c.log.checkpoint(size, previous, fork.root(), line), "previous-size-mismatch");
      assertThat(last.getIndex()).isEqualTo(size - 1);
    }
  }

  @Test
  void anEntryOnAKeyRevokedForKeyCompromiseTaintsTheLog() throws Exception {
    try (Case c = new Case("seq-compromised")) {
      KeyPair key = ecdsa();
      byte[] compromised = cert("vendor-a", "nf-compromised", key);
      LedgerEntry target =
          c.log.append(
              compromised,
              "s-compromised",
              "vendor-a",
              endorsements(compromised, "s-compromised", "vendor-a", Operation.ISSUE));
      c.log.lifecycle(target, Operation.REVOKE, Lifecycle.REASON_KEY_COMPROMISE, "vendor-a");
      c.awaitCosignedByAll(c.log.checkpoint()); // the positive control, revocation included
      byte[] again = cert("vendor-a", "nf-same-key", key);
      c.log.append(
          again,
          "s-again",
          "vendor-a",
          endorsements(again, "s-again", "vendor-a", Operation.ISSUE));
      c.assertEntryTainted("key-compromised");
    }
  }

  // ---- one attack's fixture: a fresh prefix, three cosigners, the dishonest log ----

  /** A fresh prefix with a cosigner (and aggregator) per member, and the dishonest log on it. */
  static final class Case implements AutoCloseable {
    final String prefix;
    final List<CosignService> cosigners = new ArrayList<>();
    final DishonestLog log;
    final LedgerReader<Cosignature> cosignatures;

    Case(String name) throws Exception {
      prefix = KafkaFixture.uniquePrefix(name);
      LocalConsortium.Connection conn =
          new LocalConsortium.Connection(
              kafka.bootstrapServers(),
              kafka.registryUrl(),
              prefix,
              dir.resolve("state-" + prefix));
      try {
        for (MemberKeys m : gc.members()) {
          if (m.roles().contains(Role.COSIGNER)) {
            cosigners.add(
                CosignService.start(
                    LocalConsortium.config(conn, policyFile, "cosigner-" + m.id()), m));
          }
        }
        for (CosignService s : cosigners) {
          assertThat(s.awaitRunning(Duration.ofSeconds(120))).as("cosigner running").isTrue();
        }
      } catch (RuntimeException | AssertionError e) {
        close();
        throw e;
      }
      log = new DishonestLog(Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes));
      cosignatures = new LedgerReader<>(kafka.bootstrapServers(), log.topics.cosignatures());
    }

    /**
     * The positive control: an honest, quorum-endorsed entry and a checkpoint over it, cosigned by
     * every cosigner.
     *
     * @return the entry
     */
    LedgerEntry control() {
      byte[] der = cert("vendor-a", "nf-honest", ecdsa());
      LedgerEntry e =
          log.append(
              der,
              "s-honest",
              "vendor-a",
              endorsements(der, "s-honest", "vendor-a", Operation.ISSUE));
      awaitCosignedByAll(log.checkpoint());
      return e;
    }

    /** Waits until every cosigner published a CHECKPOINT cosignature on {@code cp}'s body. */
    void awaitCosignedByAll(Cp cp) {
      List<Cosignature> all =
          cosignatures.until(l -> cosignersOf(l, cp) >= cosigners.size(), TIMEOUT);
      assertThat(cosignersOf(all, cp))
          .as("cosigners of the honest checkpoint at size %d", cp.size())
          .isEqualTo(cosigners.size());
    }

    /**
     * After an offending entry: every cosigner counts it in {@code tainted-entries-total{reason}},
     * and refuses the checkpoint that covers it ({@code tainted}).
     */
    void assertEntryTainted(String reason) {
      awaitCounter("tainted-entries-total", reason);
      assertRefused(log.next(), "tainted");
    }

    /**
     * After an offending status event: every cosigner counts it in {@code
     * tainted-status-events-total{reason}}, and refuses the checkpoint that commits to it ({@code
     * status-tainted}).
     */
    void assertStatusTainted(String reason) {
      awaitCounter("tainted-status-events-total", reason);
      assertRefused(log.next(), "status-tainted");
    }

    /**
     * {@code cp} is refused by every cosigner with {@code reason} (the counter {@code
     * refused-checkpoints-total{reason}} moved on each: the barrier), and no cosignature on its
     * body was published.
     */
    void assertRefused(Cp cp, String reason) {
      double[] before = new double[cosigners.size()];
      for (int i = 0; i < before.length; i++) {
        before[i] =
            AdversaryKit.count(
                cosigners.get(i).cosigner().streams(), "refused-checkpoints-total", reason);
      }
      // A rolled-back checkpoint can be byte-identical to one cosigned before: count only new ones.
      long earlier = cosignaturesOn(cosignatures.poll(), cp);
      log.publish(cp);
      Instant deadline = Instant.now().plus(TIMEOUT);
      for (int i = 0; i < before.length; i++) {
        double now;
        while ((now =
                    AdversaryKit.count(
                        cosigners.get(i).cosigner().streams(), "refused-checkpoints-total", reason))
                <= before[i]
            && Instant.now().isBefore(deadline)) {
          pause();
        }
        assertThat(now)
            .as(
                "refused-checkpoints-total{reason=%s} of cosigner %d; all its refusals: %s",
                reason,
                i,
                AdversaryKit.counters(
                    cosigners.get(i).cosigner().streams(), "refused-checkpoints-total"))
            .isGreaterThan(before[i]);
      }
      assertThat(cosignaturesOn(cosignatures.poll(), cp))
          .as("cosignatures on the refused checkpoint at size %d", cp.size())
          .isEqualTo(earlier);
    }

    void awaitCounter(String metric, String reason) {
      Instant deadline = Instant.now().plus(TIMEOUT);
      for (CosignService s : cosigners) {
        while (AdversaryKit.count(s.cosigner().streams(), metric, reason) < 1
            && Instant.now().isBefore(deadline)) {
          pause();
        }
        assertThat(AdversaryKit.count(s.cosigner().streams(), metric, reason))
            .as(
                "%s{reason=%s}; all: %s",
                metric, reason, AdversaryKit.counters(s.cosigner().streams(), metric))
            .isGreaterThanOrEqualTo(1);
      }
    }

    @Override
    public void close() {
      if (cosignatures != null) {
        cosignatures.close();
      }
      if (log != null) {
        log.close();
      }
      for (CosignService s : cosigners) {
        try {
          s.close();
        } catch (RuntimeException e) {
          // Closing the rest matters more.
        }
      }
    }
  }

  /** Polls a counter: waits on the cosigner's own count, not on the clock. */
  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A checkpoint body and the size it says it extends. */
  record Cp(Checkpoint body, long previousSize) {
    long size() {
      return body.size();
    }
  }

  /** The distinct cosigners of CHECKPOINT cosignatures on {@code cp}'s body. */
  static long cosignersOf(List<Cosignature> l, Cp cp) {
    return l.stream().filter(c -> isOn(c, cp)).map(Cosignature::getCosigner).distinct().count();
  }

  /** The number of CHECKPOINT cosignature records on {@code cp}'s body. */
  static long cosignaturesOn(List<Cosignature> l, Cp cp) {
    return l.stream().filter(c -> isOn(c, cp)).count();
  }

  static boolean isOn(Cosignature c, Cp cp) {
    byte[] body = Sha256.hash(cp.body().body().getBytes(StandardCharsets.UTF_8));
    return c.getKind() == CosignatureKind.CHECKPOINT
        && c.getEnd() == cp.size()
        && c.getBodySha256() != null
        && Arrays.equals(Evidence.bytes(c.getBodySha256()), body);
  }

  // ---- the dishonest sequencer ----

  /**
   * Plays the issuance stream of the policy's log: entries and status events, each signed with the
   * log's key as the issuance stream signs them (ADR 0012; the sequencer holds that key, so its
   * offending records are signed too), and log-signed checkpoints, written straight to the topics.
   * Keeps its own tree and status log, so that what it writes is exactly what an honest sequencer
   * would, unless a test says otherwise.
   */
  static final class DishonestLog implements AutoCloseable {
    final Topics topics;
    final RawTopicWriter writer;
    final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    final List<byte[]> leaves = new ArrayList<>();
    final StatusLog status = new StatusLog();
    final String origin = policy.log().origin();
    long lastCheckpoint;
    long previousOfLast;
    private int requests;

    DishonestLog(Topics topics) {
      this.topics = topics;
      writer = new RawTopicWriter(kafka.bootstrapServers());
      appendRecord(entry(0, MtcLogEntry.nullEntry().encode(), null, null, null, List.of()));
    }

    long size() {
      return tree.size();
    }

    <V> void send(Topic<String, V> topic, V value) {
      writer.send(topic, origin, value);
    }

    LedgerEntry entry(
        long index,
        byte[] entry,
        byte[] der,
        String submissionId,
        String submitter,
        List<Endorsement> evidence) {
      return LedgerEntry.newBuilder()
          .setOrigin(origin)
          .setLogNumber(1)
          .setIndex(index)
          .setEntry(Evidence.buffer(entry))
          .setCertificate(Evidence.buffer(der))
          .setCertificateSha256(der == null ? null : Evidence.buffer(Sha256.hash(der)))
          .setSubmissionId(submissionId)
          .setSubmitter(submitter)
          .setEvidence(evidence)
          .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
          .build();
    }

    /** Appends {@code der}'s MTC entry as the ISSUE {@code submissionId} of {@code submitter}. */
    LedgerEntry append(
        byte[] der, String submissionId, String submitter, List<Endorsement> evidence) {
      return appendRecord(entry(size(), mtcEntry(der), der, submissionId, submitter, evidence));
    }

    /**
     * Writes {@code e} as given, signed with the log's key (a signature it carries is replaced);
     * its leaf goes into the tree as the log would hash it.
     */
    LedgerEntry appendRecord(LedgerEntry e) {
      byte[] leaf = Rfc9162.leafHash(Evidence.bytes(e.getEntry()));
      tree.append(leaf);
      leaves.add(leaf);
      send(topics.entries(), LogRecords.sign(e, gc.log().ed25519().getPrivate()));
      return e;
    }

    /**
     * The next status event: {@code op} on {@code target} (owned by vendor-a), requested by {@code
     * requesters}, each request signed by its member and endorsed by two validators; applied to
     * this log's status log and written.
     */
    StatusEntry lifecycle(LedgerEntry target, Operation op, Integer reason, String... requesters) {
      byte[] hash = Evidence.bytes(target.getCertificateSha256());
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<Submission> signed = new ArrayList<>();
      List<Endorsement> evidence = new ArrayList<>();
      for (String r : requesters) {
        KeyPair k = member(r).submission();
        Submission s =
            Submissions.sign(
                    new BatchSigner(r, k.getPrivate(), k.getPublic()),
                    List.of(
                        Submissions.lifecycle(r, op, hash, reason, null)
                            .setSubmissionId("req-" + r + "-" + requests++)
                            .setSubmittedAt(now)))
                .get(0)
                .submission();
        signed.add(s);
        evidence.addAll(endorsementsOn(hash, s.getSubmissionId(), r, op));
      }
      Lifecycle.Operation lop = Lifecycle.Operation.valueOf(op.name());
      return event(target, op, Lifecycle.eventReason(lop, reason), signed, evidence, now);
    }

    /** Event {@code old} again, with its signed requests and evidence, as the next event. */
    StatusEntry replay(StatusEntry old) throws Exception {
      StatusEvent was = StatusEvent.decode(Evidence.bytes(old.getEvent()));
      return event(
          Evidence.bytes(old.getCertificateSha256()),
          was.entryHash(),
          was.spkiHash(),
          old.getOperation(),
          old.getReasonCode(),
          old.getRequests(),
          old.getEvidence(),
          Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private StatusEntry event(
        LedgerEntry target,
        Operation op,
        Integer eventReason,
        List<Submission> requests,
        List<Endorsement> evidence,
        Instant at) {
      EntryId id;
      try {
        id = EntryId.of(Evidence.bytes(target.getEntry()));
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
      return event(
          Evidence.bytes(target.getCertificateSha256()),
          id.leafHash(),
          id.spkiHash(),
          op,
          eventReason,
          requests,
          evidence,
          at);
    }

    private StatusEntry event(
        byte[] hash,
        byte[] leafHash,
        byte[] spkiHash,
        Operation op,
        Integer eventReason,
        List<Submission> requests,
        List<Endorsement> evidence,
        Instant at) {
      Lifecycle.Operation lop = Lifecycle.Operation.valueOf(op.name());
      StatusEvent e =
          new StatusEvent(
              status.count(),
              leafHash,
              spkiHash,
              hash,
              Lifecycle.apply(status.state(leafHash), lop).state().orElseThrow(),
              lop,
              eventReason,
              at.toEpochMilli(),
              null);
      status.apply(e);
      StatusEntry record =
          StatusEntry.newBuilder()
              .setOrigin(origin)
              .setLogNumber(1)
              .setSequence(e.sequence())
              .setEvent(Evidence.buffer(e.encode()))
              .setCertificateSha256(Evidence.buffer(hash))
              .setOperation(op)
              .setReasonCode(eventReason)
              .setSupersededBy(null)
              .setOwner("vendor-a")
              .setRequests(requests)
              .setEvidence(evidence)
              .setSequencedAt(at)
              .build();
      send(topics.status(), LogRecords.sign(record, gc.log().ed25519().getPrivate()));
      return record;
    }

    /** A log-signed checkpoint of the whole log and its status, extending the last one; written. */
    Cp checkpoint() {
      Cp cp = next();
      publish(cp);
      return cp;
    }

    /**
     * The next checkpoint (the tree and status log now, extending the last one), not yet written: a
     * test that must observe its refusal snapshots the counters first, then publishes it.
     */
    Cp next() {
      return checkpoint(size(), lastCheckpoint, tree.root(), status.commitment().extensionLine());
    }

    /**
     * A log-signed checkpoint with these fields, naming the genesis policy as the issuance stream
     * does (docs/governance.md); not written (see {@link #publish}).
     */
    Cp checkpoint(long size, long previousSize, byte[] root, String statusLine) {
      return new Cp(
          new Checkpoint(
              origin,
              size,
              root,
              List.of(
                  statusLine,
                  org.ledgerpki.core.policy.PolicyCommitment.of(policy).extensionLine())),
          previousSize);
    }

    /** Writes {@code cp} to {@code ledger.checkpoints}; it becomes the last checkpoint. */
    void publish(Cp cp) {
      long previous = cp.previousSize();
      String note = Notes.sign(cp.body().body(), List.of(gc.log().noteSigner()));
      send(
          topics.checkpoints(),
          org.ledgerpki.schemas.avro.Checkpoint.newBuilder()
              .setOrigin(origin)
              .setSize(cp.size())
              .setRootHash(Evidence.buffer(cp.body().rootHash()))
              .setPreviousSize(previous)
              .setNote(note)
              .setTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build());
      previousOfLast = previous;
      lastCheckpoint = cp.size();
    }

    @Override
    public void close() {
      writer.close();
    }
  }

  // ---- certificates and verdicts ----

  static MemberKeys member(String id) {
    return gc.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  static KeyPair ecdsa() {
    return Keys.generate(SignatureAlgorithm.ECDSA_P256);
  }

  static byte[] cert(String member, String cn, KeyPair key) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject("CN=" + cn + ",O=" + policy.member(member).orElseThrow().organization())
            .keyPair(key)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
            .build());
  }

  static byte[] mtcEntry(byte[] der) {
    try {
      return TbsCertificateLogEntry.fromSubmittedCertificate(der, policy.log().caId())
          .toMtcLogEntry(List.of())
          .encode();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The ENDORSE verdicts operator-b and operator-c published on an ISSUE of {@code der}. */
  static List<Endorsement> endorsements(
      byte[] der, String submissionId, String submitter, Operation op) {
    return endorsementsOn(Sha256.hash(der), submissionId, submitter, op);
  }

  static List<Endorsement> endorsementsOn(
      byte[] certSha256, String submissionId, String submitter, Operation op) {
    List<Endorsement> out = new ArrayList<>();
    for (String v : List.of("operator-b", "operator-c")) {
      MemberKeys m = member(v);
      Endorsement e =
          Endorsement.newBuilder()
              .setSubmissionId(submissionId)
              .setOperation(op)
              .setSubmitter(submitter)
              .setCertificateSha256(Evidence.buffer(certSha256))
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
      out.add(e);
    }
    return out;
  }
}
