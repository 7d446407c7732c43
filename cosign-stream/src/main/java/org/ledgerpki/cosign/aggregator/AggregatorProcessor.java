package org.ledgerpki.cosign.aggregator;

import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.cosign.landmarks.LandmarkAllocation;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator and landmark allocator: routes checkpoints and CHECKPOINT cosignatures to the
 * checkpoint quorum ({@link CheckpointQuorum}), SUBTREE cosignatures to the subtree signatures
 * ({@link SubtreeSignatures}) and, once kept, to the landmark allocator ({@link
 * LandmarkPublisher}), which publishes each landmark again once {@code m} cosigners agree on every
 * one of its subtrees. Undecodable records go to the dead-letter topic; cosignatures of another log
 * are ignored. See {@link AggregatorTopology}.
 */
final class AggregatorProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorProcessor.class);

  /** The name that opens each log line of the aggregator. */
  static final String SERVICE = "aggregator";

  private final PolicyHolder holder;
  private final Topics topics;
  private final Clock clock;
  private final CheckpointCheck checkpointCheck;
  private final CosignatureChecks cosignatureChecks = new CosignatureChecks();
  private final LandmarkAllocation landmarkAllocation;
  private final Deserializer<org.ledgerpki.schemas.avro.Checkpoint> checkpointReader;
  private final Deserializer<Cosignature> cosignatureReader;

  private ProcessorContext<String, SpecificRecord> context;
  private PromptCommit prompt;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  private AggregatorStores stores;
  private SubtreeSignatures subtrees;
  private LandmarkPublisher landmarks;
  private CheckpointQuorum quorum;

  AggregatorProcessor(
      PolicyHolder holder, Topics topics, Clock clock, CheckpointCheck checkpointCheck) {
    this.holder = holder;
    this.topics = topics;
    this.clock = clock;
    this.checkpointCheck = checkpointCheck;
    this.landmarkAllocation = new LandmarkAllocation(holder.latest().landmarkInterval());
    this.checkpointReader = topics.checkpoints().valueSerde().deserializer();
    this.cosignatureReader = topics.cosignatures().valueSerde().deserializer();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.prompt = PromptCommit.of(context);
    this.stores =
        new AggregatorStores(
            context.getStateStore(AggregatorTopology.STATE),
            context.getStateStore(AggregatorTopology.CHECKPOINTS),
            context.getStateStore(AggregatorTopology.COSIGNATURES),
            context.getStateStore(AggregatorTopology.LANDMARKS));
    this.counters =
        new LedgerCounters(
            context.metrics(), AggregatorTopology.METRICS_SCOPE, context.applicationId());
    this.dlq =
        DeadLetterOut.toChild(
            context,
            SERVICE,
            clock,
            LOG,
            () -> counters.count("dead-letters", "Records the aggregator could not read"),
            AggregatorTopology.DLQ_SINK);
    this.subtrees = new SubtreeSignatures(stores, holder, cosignatureChecks);
    this.landmarks =
        new LandmarkPublisher(
            stores,
            subtrees,
            holder,
            landmarkAllocation,
            counters,
            (l, timestamp) ->
                context.forward(
                    new Record<String, SpecificRecord>(l.getOrigin(), l, timestamp),
                    AggregatorTopology.LANDMARKS_SINK));
    this.quorum =
        new CheckpointQuorum(
            stores,
            subtrees,
            landmarks,
            checkpointCheck,
            cosignatureChecks,
            holder,
            counters,
            clock,
            this::cosigned,
            this::invalid);
  }

  /**
   * Publishes a cosigned checkpoint, the record the inquiry nodes wait for, and commits it
   * promptly.
   */
  private void cosigned(CosignedCheckpoint c, long timestamp) {
    context.forward(
        new Record<String, SpecificRecord>(c.getOrigin(), c, timestamp),
        AggregatorTopology.COSIGNED_SINK);
    prompt.forwarded();
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    if (topic.equals(topics.checkpoints().name())) {
      org.ledgerpki.schemas.avro.Checkpoint c =
          dlq.decode(record, checkpointReader, topic, "a Checkpoint");
      if (c != null) {
        quorum.onCheckpoint(c, record.timestamp());
      }
    } else if (topic.equals(topics.cosignatures().name())) {
      Cosignature c = dlq.decode(record, cosignatureReader, topic, "a Cosignature");
      if (c != null) {
        onCosignature(c, record.timestamp());
      }
    } else {
      throw new IllegalStateException("record from unexpected topic '" + topic + "'");
    }
  }

  private void onCosignature(Cosignature c, long timestamp) {
    String origin = c.getOrigin();
    if (!origin.equals(checkpointCheck.origin())) {
      invalid(c, "its origin is not the trust policy's log " + checkpointCheck.origin());
      return;
    }
    if (c.getKind() == CosignatureKind.CHECKPOINT) {
      quorum.onCosignature(c, timestamp);
    } else if (subtrees.take(c, this::invalid)
        && landmarks.subtreeSigned(origin, c.getStart(), c.getEnd(), timestamp)) {
      stores.prune(origin, stores.state(origin));
    }
  }

  private void invalid(Cosignature c, String reason) {
    counters.count("invalid-cosignatures", "Cosignatures the aggregator found invalid and ignored");
    LOG.warn(
        "{}: ignoring the {} cosignature of '{}' on [{}, {}) of {}: {}",
        SERVICE,
        c.getKind(),
        c.getCosigner(),
        c.getStart(),
        c.getEnd(),
        c.getOrigin(),
        reason);
  }
}
