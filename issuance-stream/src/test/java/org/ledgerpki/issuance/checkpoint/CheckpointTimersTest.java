package org.ledgerpki.issuance.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.ledgerpki.streams.testkit.ExactlyOnceContexts;

/**
 * Kafka Streams commits after every wall-clock punctuation, so a checkpoint timer that ran every
 * {@code punctuateEvery} made the idle issuance commit an empty transaction every commit interval.
 * The frequent timer must run only while a log has something no checkpoint covers; heartbeats have
 * a slow timer of their own.
 */
class CheckpointTimersTest {
  private static final Duration EVERY = Duration.ofMillis(50);

  /** The issuance's context: exactly-once, 100 ms commits, as the service runs. */
  private final MockProcessorContext<String, Checkpoint> context =
      new MockProcessorContext<>(ExactlyOnceContexts.properties("checkpoint-timers-test", 100L));

  private List<CapturedPunctuator> frequent() {
    return context.scheduledPunctuators().stream()
        .filter(p -> p.getInterval().equals(EVERY))
        .toList();
  }

  @Test
  void theFrequentTimerRunsOnlyWhileALogHasSomethingUnpublished() {
    TrustPolicy policy = TestConsortium.get().policy();
    KeyValueStore<String, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(IssuanceTopology.CHECKPOINT_STATE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    LogSigner signer = LogSigner.of(TestConsortium.get().log());
    String origin = signer.origin();
    CheckpointProcessor p =
        new CheckpointProcessor(
            signer,
            PolicyHolder.genesis(policy),
            Clock.systemUTC(),
            Duration.ofMillis(200), // interval
            Duration.ofSeconds(30), // heartbeat
            1000,
            EVERY);
    p.init(context);
    assertThat(frequent()).as("idle: no frequent timer").isEmpty();
    assertThat(p.heartbeatEvery()).isEqualTo(Duration.ofSeconds(3));
    assertThat(context.scheduledPunctuators())
        .anySatisfy(t -> assertThat(t.getInterval()).isEqualTo(Duration.ofSeconds(3)));

    long t0 = System.currentTimeMillis();
    context.setCurrentSystemTimeMs(t0);
    StatusCommitment empty = new StatusCommitment(0, new byte[32], new byte[32]);
    p.process(new Record<>(origin, new TreeHead(origin, 1, new byte[32], empty), 0L));
    assertThat(context.forwarded()).as("a quiet log's first entry: published at once").hasSize(1);
    assertThat(context.committed()).as("and committed at once (ADR 0017)").isTrue();
    context.resetCommit();
    assertThat(frequent()).as("nothing waits").isEmpty();

    // Within the interval of that checkpoint, the next entry waits for the timer.
    context.setCurrentSystemTimeMs(t0 + 50);
    p.process(new Record<>(origin, new TreeHead(origin, 2, new byte[32], empty), 0L));
    assertThat(context.forwarded()).hasSize(1);
    assertThat(frequent()).hasSize(1);
    CapturedPunctuator timer = frequent().get(0);
    assertThat(timer.cancelled()).as("an entry waits for its checkpoint").isFalse();
    context.setCurrentSystemTimeMs(t0 + 150);
    timer.getPunctuator().punctuate(t0 + 150);
    assertThat(context.forwarded()).as("150 ms after the last checkpoint").hasSize(1);
    assertThat(context.committed()).isFalse();

    // An interval after the last checkpoint: the waiting entry is published, and the timer stops.
    context.setCurrentSystemTimeMs(t0 + 200);
    timer.getPunctuator().punctuate(t0 + 200);
    assertThat(context.forwarded()).hasSize(2);
    assertThat(context.committed())
        .as("the timer's checkpoint, a commit interval after the last: committed at once")
        .isTrue();
    assertThat(timer.cancelled()).as("nothing waits: the frequent timer stopped").isTrue();
  }
}
