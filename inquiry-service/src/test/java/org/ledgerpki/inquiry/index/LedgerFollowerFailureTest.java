package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topics;

/**
 * The follower's state tells a follower that stopped on an error (it will not recover: the node
 * must say so, and by default exit) from one that was closed, or one still waiting for Kafka.
 */
class LedgerFollowerFailureTest {
  private static final TestConsortium TC = TestConsortium.get();

  @TempDir Path store;

  private LedgerFollower follower(Map<String, Object> extra, FollowerState state) throws Exception {
    return new LedgerFollower(
        // Nothing listens there: the follower waits for the topics until it is closed.
        new LedgerFollower.Settings("127.0.0.1:1", "follower-failure-test", extra),
        Topics.create("follower-failure-", LedgerSerdes.inMemory()),
        new LedgerIndex(new CheckpointVerifier(TrustBundle.fromPolicy(TC.policy())), null),
        new PolicyLedger(TC.policy(), Signatures.defaults()),
        Journal.open(store),
        state);
  }

  @Test
  void aConsumerTheKafkaClientRefusesStopsTheFollowerForGoodAndSaysWhy() throws Exception {
    FollowerState state = new FollowerState();
    List<String> told = new CopyOnWriteArrayList<>();
    state.whenFailed(told::add);
    Path missing = store.resolveSibling("no-such-truststore.p12");
    try (LedgerFollower f =
        follower(
            Map.of("security.protocol", "SSL", "ssl.truststore.location", missing.toString()),
            state)) {
      f.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (state.live() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(state.live()).as("live after the error").isFalse();
      assertThat(state.failure())
          .hasValueSatisfying(f1 -> assertThat(f1).contains("Failed to construct kafka consumer"));
      assertThat(state.phase()).startsWith("stopped: ");
      assertThat(told).as("told once, with the reason").containsExactly(state.failure().get());
      assertThat(state.caughtUp()).isFalse();
      // Told at once to whoever asks after the failure.
      List<String> late = new CopyOnWriteArrayList<>();
      state.whenFailed(late::add);
      assertThat(late).containsExactly(state.failure().get());
    }
  }

  @Test
  void aFollowerClosedWhileItWaitsForKafkaHasNotFailed() throws Exception {
    FollowerState state = new FollowerState();
    List<String> told = new CopyOnWriteArrayList<>();
    state.whenFailed(told::add);
    LedgerFollower f = follower(Map.of(), state);
    f.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!state.phase().startsWith("waiting for topics") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(state.phase()).startsWith("waiting for topics");
    assertThat(state.live()).isTrue();
    f.close();
    assertThat(state.live()).as("live after a close").isTrue();
    assertThat(state.failure()).isEmpty();
    assertThat(told).isEmpty();
  }
}
