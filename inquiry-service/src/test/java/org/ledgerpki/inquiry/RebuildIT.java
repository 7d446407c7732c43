package org.ledgerpki.inquiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.inquiry.index.CertKey;
import org.ledgerpki.inquiry.index.FollowerState;
import org.ledgerpki.inquiry.index.Journal;
import org.ledgerpki.inquiry.index.LedgerFollower;
import org.ledgerpki.inquiry.index.LedgerIndex;
import org.ledgerpki.inquiry.index.Located;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topics;

/**
 * The node's store is only a cache: a node whose store directory was wiped rebuilds the same index
 * from the topics, and a node restarted on its store resumes from it with the same answers.
 */
class RebuildIT {
  @TempDir Path store;

  private record Node(LedgerIndex index, FollowerState state, LedgerFollower follower) {}

  private static Node start(String prefix, Path store, LedgerSerdes serdes) throws Exception {
    LedgerIndex index =
        new LedgerIndex(
            new CheckpointVerifier(TrustBundle.fromPolicy(TestConsortium.get().policy())), null);
    FollowerState state = new FollowerState();
    LedgerFollower f =
        new LedgerFollower(
            new LedgerFollower.Settings(
                KafkaFixture.shared().bootstrapServers(), "rebuild-it", Map.of()),
            Topics.create(prefix, serdes),
            index,
            new org.ledgerpki.inquiry.index.PolicyLedger(
                TestConsortium.get().policy(), org.ledgerpki.core.crypto.Signatures.defaults()),
            Journal.open(store),
            state);
    f.start();
    assertThat(state.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    return new Node(index, state, f);
  }

  private static Map<Long, String> answers(LedgerIndex index, Map<String, Object> ledger) {
    Map<Long, String> out = new HashMap<>();
    for (long i = 1; i < Scenarios.SIZE; i++) {
      Located l =
          index.locate(CertKey.of(Sha256.hash((byte[]) ledger.get("cert." + i)))).orElseThrow();
      out.put(
          i,
          l.index()
              + " "
              + (l.checkpoint() == null ? "-" : l.checkpoint().size())
              + " "
              + (l.inclusionProof() == null
                  ? "-"
                  : l.inclusionProof().stream().map(Hex::encode).toList())
              + " "
              + (l.statusProof() == null
                  ? "-"
                  : l.statusProof().bitmap() + l.statusProof().keyBitmap()));
    }
    return out;
  }

  /**
   * The decisions held are the log's: the {@code rejected} certificate rejected (not accepted, as
   * the forged acceptances before its rejection would have it) and none for the {@code unknown} one
   * (the log's rejection of another certificate was republished under its hash).
   */
  private static void assertDecisionsAreTheLogs(LedgerIndex index, Map<String, Object> ledger) {
    assertThat(index.decision(CertKey.of(Sha256.hash((byte[]) ledger.get("rejected")))))
        .hasValueSatisfying(d -> assertThat(d.accepted()).as("accepted").isFalse());
    assertThat(index.decision(CertKey.of(Sha256.hash((byte[]) ledger.get("unknown"))))).isEmpty();
  }

  @Test
  void aWipedStoreIsRebuiltFromTheTopicsAndAKeptOneIsReplayed() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("inquiry-rebuild");
    Map<String, Object> ledger = new HashMap<>();
    try (LedgerFeed feed = new LedgerFeed(prefix);
        LedgerSerdes serdes = LedgerSerdes.registry(KafkaFixture.shared().registryUrl())) {
      Scenarios.api(feed, ledger);
      Node first = start(prefix, store, serdes);
      Map<Long, String> expected = answers(first.index(), ledger);
      assertThat(expected.get(1L)).contains(" 7 ");
      long records = first.state().consumedRecords();
      assertThat(records).as("records of the topics").isPositive();
      assertThat(first.state().replayedRecords()).as("replayed by a node without a store").isZero();
      // The journal keeps what the index holds: every record but the garbage one Scenarios writes,
      // the decisions it forges without the log's key and the landmarks it forges without the
      // cosigners' (both refused), and the landmarks only ALLOCATED (ignored).
      assertThat(first.state().skipped()).as("records skipped (the garbage decision)").isOne();
      assertThat(first.index().unsignedCount()).isEqualTo(Scenarios.FORGED_DECISIONS);
      assertThat(first.index().refusedCount())
          .isEqualTo(Scenarios.FORGED_DECISIONS + Scenarios.FORGED_LANDMARKS);
      assertDecisionsAreTheLogs(first.index(), ledger);
      long applied =
          records
              - first.state().skipped()
              - Scenarios.FORGED_DECISIONS
              - Scenarios.FORGED_LANDMARKS
              - Scenarios.ALLOCATED_LANDMARKS;
      first.follower().close();
      try (Stream<Path> files = Files.list(store)) {
        assertThat(files.count()).as("the store holds a journal").isPositive();
      }

      Node resumed = start(prefix, store, serdes);
      assertThat(answers(resumed.index(), ledger)).isEqualTo(expected);
      // A replay takes the journal's records as checked: the forgeries must not be in it, nor
      // anything else the index refused.
      assertDecisionsAreTheLogs(resumed.index(), ledger);
      assertThat(resumed.index().refusedCount()).as("refused again in the replay").isZero();
      // The answers alone would not tell a replay from a silent rebuild: the counts do.
      assertThat(resumed.state().replayedRecords())
          .as("records replayed from the kept journal")
          .isEqualTo(applied);
      assertThat(resumed.state().consumedRecords())
          .as("records read from the topics after the replay (nothing was written since)")
          .isZero();
      resumed.follower().close();

      try (Stream<Path> files = Files.walk(store)) {
        files
            .sorted(java.util.Comparator.reverseOrder())
            .filter(p -> !p.equals(store))
            .forEach(p -> p.toFile().delete());
      }
      Node rebuilt = start(prefix, store, serdes);
      assertThat(answers(rebuilt.index(), ledger)).isEqualTo(expected);
      assertDecisionsAreTheLogs(rebuilt.index(), ledger);
      assertThat(rebuilt.index().certificateCount()).isEqualTo(first.index().certificateCount());
      assertThat(rebuilt.state().replayedRecords()).as("replayed from a wiped store").isZero();
      assertThat(rebuilt.state().consumedRecords())
          .as("records read from the topics by the rebuild")
          .isEqualTo(records);
      rebuilt.follower().close();
    }
  }
}
