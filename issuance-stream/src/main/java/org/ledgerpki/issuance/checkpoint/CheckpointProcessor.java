package org.ledgerpki.issuance.checkpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.issuance.IssuanceOptions;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the log's signed checkpoints on {@code ledger.checkpoints} (key = origin). A checkpoint
 * is due when the tree or the status log has grown since the last one and either the policy's
 * checkpoint interval has passed since the last checkpoint was published, or at least the policy's
 * maximum batch of entries waits (ADR 0016). So an entry or a revocation that arrives when the log
 * has been quiet for an interval is published at once, in the transaction that appends it; under
 * load there is still at most one checkpoint per interval (apart from the maximum batch), and
 * nothing waits longer than the interval. The arrival of a tree head from {@code integrate} and a
 * wall-clock punctuation (every {@link IssuanceOptions#punctuateEvery()}) both check. When nothing
 * changed for the policy's {@code checkpoints.heartbeat}, the punctuation re-issues the last
 * checkpoint unchanged ({@code previousSize} = its size): cosigners re-cosign it with fresh
 * timestamps, so that relying parties, who take freshness from those signed timestamps only, keep
 * accepting answers in quiet periods (docs/status.md, "Freshness").
 *
 * <p>The checkpoint is a C2SP tlog-checkpoint body with two extension lines, the status commitment
 * ({@code ledger-pki-status <count> <log root> <map root>}, docs/status.md) and the policy in force
 * ({@code ledger-pki-policy <serial> <hash>}, docs/governance.md; a change that takes effect gets a
 * checkpoint at once), signed as a signed note by the log's Ed25519 key and, if it has one, its
 * ML-DSA-44 key ({@code subtree/v1}, timestamped). The record carries {@code previousSize}, the
 * size of the checkpoint it extends, so that cosigners detect a rival sequencer. The state ({@code
 * checkpoint-state}: origin → {@link CheckpointState}) is committed with the output, so a
 * checkpoint is published once per size.
 *
 * <p>A checkpoint that follows a quiet commit interval, as they almost all do, is committed at once
 * (ADR 0017), also when the timer publishes it. Wall-clock decisions use the task's clock ({@code
 * currentSystemTimeMs}), the one punctuation runs on; timestamps in records and in the ML-DSA line
 * come from the injected {@link Clock}.
 */
public final class CheckpointProcessor implements Processor<String, Object, String, Checkpoint> {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointProcessor.class);

  public static final String CHECKPOINTS_PUBLISHED = "checkpoints-published";
  public static final String HEARTBEATS_PUBLISHED = "checkpoint-heartbeats";

  /** Age metric {@code checkpoint-signed-age-seconds}: since a checkpoint was last signed. */
  public static final String CHECKPOINT_SIGNED = "checkpoint-signed";

  private final LogSigner signer;
  private final PolicyHolder holder;
  private final Clock clock;
  private final Duration interval;
  private final Duration heartbeat;
  private final long maxBatch;
  private final Duration punctuateEvery;

  private ProcessorContext<String, Checkpoint> context;
  private PromptCommit prompt;
  private KeyValueStore<String, byte[]> store;
  private LedgerCounters counters;
  private long published;
  private long lastSizeLogged = -1;
  private long lastSize;

  // Kafka Streams commits after every wall-clock punctuation, so the frequent timer runs only while
  // a log has entries or status events that no checkpoint covers yet; heartbeats have a slow timer
  // of their own. A timer that always ran made the idle issuance commit an empty transaction every
  // commit interval.
  private Cancellable frequent;

  /** A log's checkpoint signer; the class comment says what it signs and when. */
  public CheckpointProcessor(
      LogSigner signer,
      PolicyHolder holder,
      Clock clock,
      Duration interval,
      Duration heartbeat,
      int maxBatch,
      Duration punctuateEvery) {
    this.signer = signer;
    this.holder = holder;
    this.clock = clock;
    this.interval = interval;
    this.heartbeat = heartbeat;
    this.maxBatch = maxBatch;
    this.punctuateEvery = punctuateEvery;
  }

  @Override
  public void init(ProcessorContext<String, Checkpoint> context) {
    this.context = context;
    this.prompt = PromptCommit.of(context);
    this.store = context.getStateStore(IssuanceTopology.CHECKPOINT_STATE_STORE);
    this.counters =
        LedgerCounters.perTask(
            context,
            IssuanceTopology.METRICS_GROUP,
            IssuanceTopology.CHECKPOINT,
            Map.of(
                CHECKPOINTS_PUBLISHED,
                "Log-signed checkpoints published.",
                HEARTBEATS_PUBLISHED,
                "Unchanged checkpoints re-issued for freshness."));
    counters.addAge(
        CHECKPOINT_SIGNED, "Seconds since this log last signed a checkpoint (new or heartbeat).");
    context.schedule(heartbeatEvery(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, t -> logSummary());
    if (anyUnpublished()) {
      armFrequent();
    }
  }

  /**
   * How often heartbeats are checked: a tenth of the heartbeat, never more often than punctuation.
   */
  Duration heartbeatEvery() {
    Duration tenth = heartbeat.dividedBy(10);
    return tenth.compareTo(punctuateEvery) > 0 ? tenth : punctuateEvery;
  }

  private void armFrequent() {
    if (frequent == null) {
      frequent =
          context.schedule(
              punctuateEvery,
              PunctuationType.WALL_CLOCK_TIME,
              now -> {
                if (!punctuate(now)) {
                  frequent.cancel();
                  frequent = null;
                }
              });
    }
  }

  /** Whether a log has something no checkpoint covers (read once, at start-up). */
  private boolean anyUnpublished() {
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        if (parse(kv.key, kv.value).unpublished() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof PolicySwitch s) {
      onPolicySwitch(s);
      return;
    }
    TreeHead head = (TreeHead) record.value();
    CheckpointState state = load(head.origin());
    if (!state.isBehind(head)) {
      return; // nothing new (the tree and the status log never shrink)
    }
    long now = context.currentSystemTimeMs();
    state = state.grown(head, now);
    store.put(head.origin(), state.toBytes());
    if (maybePublish(head.origin(), state, now)) {
      armFrequent();
    }
  }

  /**
   * A policy change took effect: a checkpoint naming it now, of the tree as it is (like a heartbeat
   * when nothing else waits), so that cosigners and relying parties see the switch promptly. Before
   * the log's first checkpoint there is nothing to re-sign: the first one will name the policy.
   */
  private void onPolicySwitch(PolicySwitch s) {
    CheckpointState state = load(s.origin());
    if (state.size() == 0) {
      return;
    }
    publish(
        s.origin(),
        state,
        context.currentSystemTimeMs(),
        "policy serial " + s.serial() + " took effect");
  }

  /** Publishes what is due; whether a log still has something no checkpoint covers. */
  private boolean punctuate(long now) {
    List<KeyValue<String, byte[]>> logs = new ArrayList<>(1);
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        logs.add(it.next());
      }
    }
    boolean waits = false;
    for (KeyValue<String, byte[]> kv : logs) {
      CheckpointState state = parse(kv.key, kv.value);
      if (state.heartbeatDue(now, heartbeat.toMillis())) {
        publish(kv.key, state, now, "heartbeat");
        counters.inc(HEARTBEATS_PUBLISHED);
      } else {
        waits |= maybePublish(kv.key, state, now);
      }
    }
    return waits;
  }

  /** Publishes {@code state} if it is due; whether something still waits for a checkpoint. */
  private boolean maybePublish(String origin, CheckpointState state, long now) {
    if (state.unpublished() <= 0) {
      return false;
    }
    boolean full = state.unpublished() >= maxBatch;
    boolean spaced = now - state.lastPublishedAt() >= interval.toMillis();
    if (!full && !spaced) {
      return true;
    }
    publish(
        origin,
        state,
        now,
        full
            ? state.unpublished() + " entries and status events waited"
            : "an interval passed since the last checkpoint");
    return false;
  }

  private void publish(String origin, CheckpointState state, long now, String because) {
    // Every checkpoint commits to the status log as well (docs/status.md), even with no events,
    // and names the policy in force (docs/governance.md).
    String body =
        new org.ledgerpki.core.tlog.Checkpoint(
                origin,
                state.size(),
                state.root(),
                List.of(
                    state.status().extensionLine(),
                    PolicyCommitment.of(holder.latest()).extensionLine()))
            .body();
    String note = signer.sign(body, clock);
    Checkpoint cp =
        Checkpoint.newBuilder()
            .setOrigin(origin)
            .setSize(state.size())
            .setRootHash(Evidence.buffer(state.root()))
            .setPreviousSize(state.lastSize())
            .setNote(note)
            .setTimestamp(Instant.ofEpochMilli(clock.millis()))
            .build();
    context.forward(new Record<>(origin, cp, now), IssuanceTopology.CHECKPOINTS_SINK);
    // The cosigners wait for it. At most one request per commit interval (PromptCommit); under a
    // backlog that is at most one more transaction per checkpoint.
    prompt.forwarded();
    store.put(origin, state.published(now).toBytes());
    counters.touch(CHECKPOINT_SIGNED);
    counters.inc(CHECKPOINTS_PUBLISHED);
    published++;
    lastSize = state.size();
    LOG.debug(
        "checkpoint of {} at size {} (previous {}), root {}, because {}",
        origin,
        state.size(),
        state.lastSize(),
        Hex.encode(state.root()),
        because);
  }

  private CheckpointState load(String origin) {
    byte[] b = store.get(origin);
    return b == null ? CheckpointState.initial() : parse(origin, b);
  }

  private static CheckpointState parse(String origin, byte[] b) {
    try {
      return CheckpointState.fromBytes(b);
    } catch (MalformedInputException e) {
      throw new IllegalStateException(
          "store "
              + IssuanceTopology.CHECKPOINT_STATE_STORE
              + ", log "
              + origin
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void logSummary() {
    if (lastSize != lastSizeLogged) {
      LOG.info(
          "{}: {} checkpoints published by task {}, the last at size {}",
          signer.origin(),
          published,
          context.taskId(),
          lastSize);
      lastSizeLogged = lastSize;
    }
  }

  @Override
  public void close() {
    if (counters != null) {
      counters.close();
    }
  }
}
