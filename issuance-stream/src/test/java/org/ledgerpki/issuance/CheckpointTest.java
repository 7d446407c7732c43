package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.issuance.checkpoint.CheckpointProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;

class CheckpointTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static int serial;

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static byte[] cert() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "cp-" + serial++).der();
  }

  /** The root of the tree the published entries form, computed without the issuance stream. */
  private static byte[] rootOf(List<LedgerEntry> entries, long size) {
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    for (LedgerEntry e : entries.subList(0, (int) size)) {
      t.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
    }
    return t.root();
  }

  /**
   * Opens the note with the policy's log vkey(s) and checks it is the checkpoint the record says.
   */
  private static void assertSignedByTheLog(TrustPolicy policy, Checkpoint cp) throws Exception {
    VerifiedNote v = Notes.open(cp.getNote(), List.of(NoteVerifiers.fromVkey(policy.log().vkey())));
    org.ledgerpki.core.tlog.Checkpoint body = org.ledgerpki.core.tlog.Checkpoint.parse(v.text());
    assertThat(body.origin()).isEqualTo(policy.log().origin()).isEqualTo(cp.getOrigin());
    assertThat(body.size()).isEqualTo(cp.getSize());
    assertThat(Hex.encode(body.rootHash())).isEqualTo(Hex.encode(Evidence.bytes(cp.getRootHash())));
    // It commits to the (still empty) certificate-status log, which relying parties need.
    assertThat(org.ledgerpki.core.status.StatusCommitment.find(body.extensions()))
        .contains(new org.ledgerpki.core.status.StatusLog().commitment());
    if (policy.log().mldsaVkey() != null) {
      VerifiedNote pq =
          Notes.open(cp.getNote(), List.of(NoteVerifiers.fromVkey(policy.log().mldsaVkey())));
      assertThat(pq.verifiedNames()).containsExactly(policy.log().origin());
    }
  }

  @Test
  void aCheckpointIsPublishedOnceMaxBatchEntriesWait() throws Exception {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    h = new Harness(policy);
    h.admit(cert());
    List<Checkpoint> first = h.checkpoints.readValuesToList();
    assertThat(first).as("a quiet log's first entries are published at once").hasSize(1);
    h.admit(cert());
    h.admit(cert());
    assertThat(h.checkpoints.isEmpty()).as("2 entries wait < 3, within the hour").isTrue();
    h.admit(cert());
    List<Checkpoint> second = h.checkpoints.readValuesToList();
    assertThat(second).hasSize(1);
    h.admit(cert());
    h.admit(cert());
    assertThat(h.checkpoints.isEmpty()).isTrue();
    h.admit(cert());
    List<Checkpoint> third = h.checkpoints.readValuesToList();
    assertThat(third).hasSize(1);
    List<LedgerEntry> entries = h.entries();
    assertThat(entries).hasSize(8);

    Checkpoint a = first.get(0);
    Checkpoint b = second.get(0);
    Checkpoint c = third.get(0);
    assertThat(a.getSize()).as("the null entry and the first certificate").isEqualTo(2);
    assertThat(a.getPreviousSize()).isZero();
    assertThat(b.getSize()).isEqualTo(5);
    assertThat(b.getPreviousSize()).isEqualTo(a.getSize());
    assertThat(c.getSize()).isEqualTo(8);
    assertThat(c.getPreviousSize()).isEqualTo(b.getSize());
    assertThat(Evidence.bytes(a.getRootHash())).isEqualTo(rootOf(entries, 2));
    assertThat(Evidence.bytes(b.getRootHash())).isEqualTo(rootOf(entries, 5));
    assertThat(Evidence.bytes(c.getRootHash())).isEqualTo(rootOf(entries, 8));
    assertSignedByTheLog(policy, a);
    assertSignedByTheLog(policy, b);
    assertSignedByTheLog(policy, c);
    assertThat(Note.parse(b.getNote()).signatures()).hasSize(2);
    assertThat(h.counter(CheckpointProcessor.CHECKPOINTS_PUBLISHED)).isEqualTo(3);
  }

  /**
   * ADR 0016: a checkpoint is due an interval after the last one, not an interval after the oldest
   * entry it covers. What arrives in a quiet log is published at once; what arrives within an
   * interval of the last checkpoint waits until that interval ends, so there is still at most one
   * checkpoint per interval, and nothing waits longer than one.
   */
  @Test
  void aCheckpointIsDueAnIntervalAfterTheLastOne() throws Exception {
    TrustPolicy policy = TestConsortium.get().policy(); // every 200ms or 1000 entries
    h = new Harness(policy);
    h.admit(cert());
    List<Checkpoint> first = h.checkpoints.readValuesToList();
    assertThat(first)
        .as("the log was quiet: published at once")
        .extracting(Checkpoint::getSize)
        .containsExactly(2L);
    assertThat(first.get(0).getPreviousSize()).isZero();

    h.advance(Duration.ofMillis(120));
    h.admit(cert());
    h.admit(cert());
    assertThat(h.checkpoints.isEmpty()).as("120 ms after the last checkpoint").isTrue();
    h.advance(Duration.ofMillis(50));
    assertThat(h.checkpoints.isEmpty()).as("170 ms after it").isTrue();
    h.advance(Duration.ofMillis(50));
    List<Checkpoint> second = h.checkpoints.readValuesToList();
    assertThat(second)
        .as("an interval after the last checkpoint, 100 ms after the entries came")
        .extracting(Checkpoint::getSize, Checkpoint::getPreviousSize)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, 2L));

    h.advance(Duration.ofSeconds(2));
    assertThat(h.checkpoints.isEmpty()).as("the tree did not grow").isTrue();

    // Quiet for longer than an interval: the next entry is published in the same step.
    h.admit(cert());
    List<Checkpoint> third = h.checkpoints.readValuesToList();
    assertThat(third)
        .extracting(Checkpoint::getSize, Checkpoint::getPreviousSize)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, 4L));
    List<LedgerEntry> entries = h.entries();
    assertThat(Evidence.bytes(second.get(0).getRootHash())).isEqualTo(rootOf(entries, 4));
    assertThat(Evidence.bytes(third.get(0).getRootHash())).isEqualTo(rootOf(entries, 5));
    assertSignedByTheLog(policy, first.get(0));
    assertSignedByTheLog(policy, second.get(0));
    assertSignedByTheLog(policy, third.get(0));
  }

  /**
   * The bound a steady stream of submissions cannot raise (ADR 0016): entries every 30 ms for 3 s
   * give one checkpoint per 200 ms interval at the most, and each entry is in one within the
   * interval plus one punctuation period.
   */
  @Test
  void aSteadyStreamOfEntriesGetsAtMostOneCheckpointPerInterval() throws Exception {
    TrustPolicy policy = TestConsortium.get().policy(); // every 200ms or 1000 entries
    h = new Harness(policy);
    int entries = 100;
    for (int i = 0; i < entries; i++) {
      h.admit(cert());
      h.advance(Duration.ofMillis(30));
    }
    h.advance(Duration.ofMillis(250));
    List<Checkpoint> cps = h.checkpoints.readValuesToList();
    // 3,000 ms of arrivals and 250 ms after: at most one per 200 ms, the first at once.
    assertThat(cps).hasSizeLessThanOrEqualTo(3250 / 200 + 1).hasSizeGreaterThanOrEqualTo(14);
    assertThat(cps.get(cps.size() - 1).getSize()).as("every entry covered").isEqualTo(entries + 1);
    for (int i = 1; i < cps.size(); i++) {
      assertThat(cps.get(i).getPreviousSize()).isEqualTo(cps.get(i - 1).getSize());
    }
  }

  @Test
  void inQuietPeriodsTheLastCheckpointIsReissuedOnTheHeartbeat() throws Exception {
    TrustPolicy policy =
        TestPolicies.check(
            TestPolicies.checkpoints(TestPolicies.base(), "200ms", 1000, "5s", "20s"));
    assertThat(policy.checkpointHeartbeat()).isEqualTo(Duration.ofSeconds(5));
    h = new Harness(policy);
    h.admit(cert());
    h.advance(Duration.ofMillis(250));
    List<Checkpoint> first = h.checkpoints.readValuesToList();
    assertThat(first).extracting(Checkpoint::getSize).containsExactly(2L);
    h.advance(Duration.ofSeconds(4));
    assertThat(h.checkpoints.isEmpty()).as("before the heartbeat").isTrue();
    h.advance(Duration.ofMillis(1100));
    List<Checkpoint> beat = h.checkpoints.readValuesToList();
    assertThat(beat).hasSize(1);
    Checkpoint hb = beat.get(0);
    assertThat(hb.getSize()).isEqualTo(2);
    assertThat(hb.getPreviousSize()).as("it extends itself").isEqualTo(2);
    assertThat(Evidence.bytes(hb.getRootHash()))
        .isEqualTo(Evidence.bytes(first.get(0).getRootHash()));
    assertThat(Note.parse(hb.getNote()).text())
        .isEqualTo(Note.parse(first.get(0).getNote()).text());
    assertSignedByTheLog(policy, hb);
    assertThat(h.counter(CheckpointProcessor.HEARTBEATS_PUBLISHED)).isEqualTo(1);
    h.advance(Duration.ofSeconds(5));
    assertThat(h.checkpoints.readValuesToList()).hasSize(1);
    assertThat(h.counter(CheckpointProcessor.HEARTBEATS_PUBLISHED)).isEqualTo(2);

    // Growth is published as usual, extending the heartbeat's size.
    h.admit(cert());
    h.advance(Duration.ofMillis(250));
    assertThat(h.checkpoints.readValuesToList())
        .extracting(Checkpoint::getSize, Checkpoint::getPreviousSize)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 2L));
  }

  @Test
  void aMaxAgeBelowTwoHeartbeatsIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TrustPolicyReader.of(
                    TestPolicies.checkpoints(TestPolicies.base(), "200ms", 1000, "30s", "40s"),
                    "test-policy"))
        .hasMessageContaining("checkpoints.maxAge")
        .hasMessageContaining("twice checkpoints.heartbeat");
  }

  @Test
  void aLogWithoutAnMlDsaKeySignsWithEd25519Only() throws Exception {
    LogKeys full = TestConsortium.get().log();
    LogKeys edOnly = new LogKeys(full.caId(), full.number(), full.ed25519(), null);
    TrustPolicy policy =
        TestPolicies.check(
            TestPolicies.checkpoints(TestPolicies.log(TestPolicies.base(), edOnly), "1h", 2));
    h = new Harness(policy, edOnly, LedgerSerdes.inMemory(), null, true);
    h.admit(cert());
    Checkpoint cp = h.checkpoints.readValuesToList().get(0);
    assertThat(cp.getSize()).isEqualTo(2);
    assertThat(Note.parse(cp.getNote()).signatures()).hasSize(1);
    assertSignedByTheLog(policy, cp);
    assertThat(Evidence.bytes(h.entries().get(0).getEntry()))
        .isEqualTo(MtcLogEntry.nullEntry().encode());
  }
}
