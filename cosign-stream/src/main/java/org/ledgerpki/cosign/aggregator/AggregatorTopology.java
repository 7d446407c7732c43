package org.ledgerpki.cosign.aggregator;

import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.landmarks.LandmarkAllocation;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.CosignatureCheck;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The aggregator and landmark allocator, {@code application.id = <prefix>ledger-aggregator}: one
 * consumer group shared by every cosign-stream instance, so Kafka gives each log's task to one of
 * them. It holds no secret; everything it publishes carries the signatures its readers check.
 *
 * <pre>
 * ledger.checkpoints  ─┐                                   ┌─► ledger.cosigned
 * ledger.cosignatures ─┴─► aggregator [aggregator-state,   ├─► ledger.landmarks
 *                                      checkpoints,        └─► ledger.dlq (undecodable)
 *                                      cosignatures, landmarks]
 * </pre>
 *
 * <ul>
 *   <li>Checkpoints are kept if their note opens under the log's keys (as the cosigners check).
 *   <li>Each cosignature is verified against the policy ({@link CosignatureCheck}); invalid ones
 *       are logged, counted ({@code invalid-cosignatures-total}) and ignored. A CHECKPOINT
 *       cosignature whose checkpoint is not known yet waits for it.
 *   <li>Once {@code m} distinct cosigners have valid CHECKPOINT cosignatures on the same (origin,
 *       size, root), a {@code CosignedCheckpoint} is published once: the log-signed note with every
 *       valid cosignature line, the cosigners, and the covering subtrees of {@code [previousSize,
 *       size)} with the valid SUBTREE signatures collected so far on the hash most of those
 *       cosigners signed.
 *   <li>Landmarks ({@link LandmarkAllocation}): at most once per {@code landmarks.interval} window
 *       of the cosigned checkpoint's own timestamp, its size becomes the next landmark if it is
 *       greater than the last one's. The landmark is published ALLOCATED with its covering subtrees
 *       of {@code [previous landmark size, size)} (empty hashes, no signatures), and again COSIGNED
 *       once {@code m} distinct cosigners signed each subtree with the same hash.
 * </ul>
 */
public final class AggregatorTopology {
  /** Store: origin → {@link AggregatorState} (landmark sequence, largest cosigned size). */
  public static final String STATE = "aggregator-state";

  /** Store: (origin, size, root) → checkpoint note and the valid cosignatures collected on it. */
  public static final String CHECKPOINTS = "aggregator-checkpoints";

  /**
   * Store: CHECKPOINT cosignatures waiting for their checkpoint, and valid SUBTREE signatures by
   * (origin, end, start, hash, cosigner).
   */
  public static final String COSIGNATURES = "aggregator-cosignatures";

  /** Store: (origin, number) → allocated landmark waiting for its quorum. */
  public static final String LANDMARKS = "aggregator-landmarks";

  /** Scope of this app's metrics: group {@code ledger-aggregator-metrics}. */
  public static final String METRICS_SCOPE = "ledger-aggregator";

  static final String PROCESSOR = "aggregator";
  static final String COSIGNED_SINK = "cosigned";
  static final String LANDMARKS_SINK = "landmarks";
  static final String DLQ_SINK = "dlq";

  private AggregatorTopology() {}

  /** The application id of the shared aggregator: {@code <prefix>ledger-aggregator}. */
  public static String applicationId(String topicPrefix) {
    return topicPrefix + "ledger-aggregator";
  }

  /**
   * Builds the aggregator.
   *
   * @param policy the trust policy: the log's keys, the cosigners' keys, {@code m} and the landmark
   *     interval
   * @param topics the ledger topics, whose serdes read and write the records
   * @param clock the source of {@code publishedAt}
   */
  public static Topology build(TrustPolicy policy, Topics topics, Clock clock) {
    return build(PolicyHolder.genesis(policy), topics, clock);
  }

  /**
   * Builds the aggregator with the policy history of {@code holder}: a checkpoint's cosignatures
   * are counted with the cosigners and {@code m} of the policy it names (docs/governance.md).
   */
  public static Topology build(PolicyHolder holder, Topics topics, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    CheckpointCheck checkpointCheck = new CheckpointCheck(holder.history().genesis());
    Topology t = new Topology();
    t.addSource(
        "checkpoints-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.checkpoints().name());
    t.addSource(
        "cosignatures-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.cosignatures().name());
    t.addProcessor(
        PROCESSOR,
        () -> new AggregatorProcessor(holder, topics, clock, checkpointCheck),
        "checkpoints-source",
        "cosignatures-source");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled(),
        PROCESSOR);
    for (String store : new String[] {CHECKPOINTS, COSIGNATURES, LANDMARKS}) {
      t.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray())
              .withCachingEnabled(),
          PROCESSOR);
    }
    t.addSink(
        COSIGNED_SINK,
        topics.cosigned().name(),
        topics.cosigned().keySerde().serializer(),
        topics.cosigned().valueSerde().serializer(),
        PROCESSOR);
    t.addSink(
        LANDMARKS_SINK,
        topics.landmarks().name(),
        topics.landmarks().keySerde().serializer(),
        topics.landmarks().valueSerde().serializer(),
        PROCESSOR);
    t.addSink(
        DLQ_SINK,
        topics.dlq().name(),
        topics.dlq().keySerde().serializer(),
        topics.dlq().valueSerde().serializer(),
        PROCESSOR);
    return t;
  }
}
