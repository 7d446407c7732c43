package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.SignedSubtree;

/**
 * A quiet log's heartbeats: the aggregator publishes the cosigned checkpoint again with fresh
 * cosignatures and the subtrees of its {@code [previousSize, size)}; the node replaces the held
 * checkpoint with it (the answers' freshness comes from it) when those subtrees are the ones the
 * entries give, and refuses it, keeping the held one, when a subtree's hash is not.
 */
class LedgerIndexHeartbeatTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final List<String> QUORUM = List.of("vendor-a", "operator-b");
  private static final Instant T0 = Instant.parse("2026-12-05T08:22:16Z");

  private final TestLog log = new TestLog();
  private final List<byte[]> certs = new ArrayList<>();

  private LedgerEntry entry(long i) {
    return TestEntries.entry(log, certs, i);
  }

  private SignedSubtree subtree(long start, long end, byte[] hash) {
    return SignedSubtree.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setHash(ByteBuffer.wrap(hash))
        .setSignatures(List.of())
        .build();
  }

  private CosignedCheckpoint cosigned(long size, Instant at, List<SignedSubtree> subtrees) {
    return cosigned(size, at, subtrees, log.cosignedCheckpoint(size, QUORUM, at.getEpochSecond()));
  }

  private CosignedCheckpoint cosigned(
      long size, Instant at, List<SignedSubtree> subtrees, String note) {
    return CosignedCheckpoint.newBuilder()
        .setOrigin(log.origin())
        .setSize(size)
        .setRootHash(ByteBuffer.wrap(log.tree().rootAt(size)))
        .setPreviousSize(0)
        .setNote(note)
        .setCosigners(QUORUM)
        .setSubtrees(subtrees)
        .setPublishedAt(at)
        .build();
  }

  /** A node's index of this log with one certificate added (index 1), entries applied. */
  private LedgerIndex indexOfOneCertificate(String cn, int slot) throws Exception {
    byte[] der =
        TestPki.vendor(
                SignatureAlgorithm.ED25519, TestConsortium.organization("vendor-a"), cn, slot)
            .der();
    certs.add(der);
    log.add(der);
    LedgerIndex index =
        new LedgerIndex(new CheckpointVerifier(TrustBundle.fromPolicy(TC.policy())), null);
    for (long i = 0; i < log.tree().size(); i++) {
      index.apply(entry(i));
    }
    return index;
  }

  /** The covering subtrees of [0, 2) with the hashes the entries give. */
  private List<SignedSubtree> covering() {
    return List.of(
        subtree(0, 1, log.tree().subtreeHash(0, 1)), subtree(1, 2, log.tree().subtreeHash(1, 2)));
  }

  @Test
  void aHeartbeatWithTheEntriesSubtreesReplacesTheHeldCheckpointAndOneWithoutIsRefused()
      throws Exception {
    LedgerIndex index = indexOfOneCertificate("hb-1", 61);
    assertThat(log.tree().size()).isEqualTo(2);
    List<SignedSubtree> covering = covering();
    index.apply(cosigned(2, T0, covering));
    assertThat(index.refusedCount()).isZero();
    LogState state = index.log(log.origin()).orElseThrow();
    assertThat(state.latestCheckpoint().publishedAt()).isEqualTo(T0);

    // A heartbeat after landmark 1 ([0, 1) and [1, 2)): the same subtrees, fresh cosignatures.
    Instant beat = T0.plusSeconds(30);
    index.apply(cosigned(2, beat, covering));
    assertThat(index.refusedCount()).isZero();
    assertThat(state.latestCheckpoint().publishedAt()).isEqualTo(beat);
    assertThat(state.latestCheckpoint().note())
        .isEqualTo(log.cosignedCheckpoint(2, QUORUM, beat.getEpochSecond()));

    // What the aggregator published when it had pruned the subtree signatures: an empty hash.
    index.apply(
        cosigned(
            2,
            T0.plusSeconds(60),
            List.of(subtree(0, 1, new byte[0]), subtree(1, 2, log.tree().subtreeHash(1, 2)))));
    assertThat(index.refusedCount()).isEqualTo(1);
    assertThat(state.latestCheckpoint().publishedAt())
        .as("the held checkpoint stays")
        .isEqualTo(beat);
  }

  @Test
  void jsonAnswersCarryTheNoteWithoutThePqStatusCosignaturesAndCheckpointServesThem()
      throws Exception {
    LedgerIndex index = indexOfOneCertificate("hb-pq", 62);
    List<SignedSubtree> covering = covering();
    LogState state = index.log(log.origin()).orElseThrow();
    for (Instant at : List.of(T0, T0.plusSeconds(30))) {
      // As the aggregator publishes it since ADR 0010; the second time, a heartbeat.
      String edLines = log.fullyCosignedCheckpoint(QUORUM, at.getEpochSecond());
      String full = log.withStatusCosignatures(edLines, QUORUM, at.getEpochSecond());
      index.apply(cosigned(2, at, covering, full));
      assertThat(index.refusedCount()).isZero();
      CheckpointView cp = state.latestCheckpoint();
      assertThat(cp.publishedAt()).isEqualTo(at);
      assertThat(cp.note()).as("/v1/checkpoint").isEqualTo(full);
      assertThat(cp.answerNote()).as("JSON answers").isEqualTo(edLines);
      assertThat(cp.statusNote())
          .as("compact answers")
          .isEqualTo(org.ledgerpki.core.verify.StatusCheckpoints.statusForm(edLines));
      assertThat(cp.sha256())
          .isEqualTo(org.ledgerpki.core.verify.StatusCheckpoints.sha256(edLines));
    }
  }
}
