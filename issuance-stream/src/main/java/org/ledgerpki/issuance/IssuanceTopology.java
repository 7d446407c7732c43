package org.ledgerpki.issuance;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.issuance.checkpoint.CheckpointProcessor;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.issuance.governance.GovernanceProcessor;
import org.ledgerpki.issuance.integrate.IntegrateProcessor;
import org.ledgerpki.issuance.quorum.Pending;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.ledgerpki.streams.store.AvroStoreSerde;

/**
 * The issuance stream, the consortium's Merkle Tree CA, as a Kafka Streams topology of named
 * processors:
 *
 * <pre>
 * ledger.submissions  ─► submissions-source ─┐
 * ledger.endorsements ─► endorsements-source ┴► quorum [submissions, verdicts, decided, admitted]
 *                                                 ├─► decisions-sink   ─► ledger.decisions
 *                                                 ├─► sequence-sink    ─► ledger.sequence (partition = log - 1)
 *                                                 ├─► status-sequence-sink ─► ledger.status-sequence (partition = log - 1)
 *                                                 └─► quorum-dlq-sink  ─► ledger.dlq
 * ledger.sequence        ─► sequence-source        ─┐
 * ledger.status-sequence ─► status-sequence-source ─┴► integrate [log-state, tree-nodes, sequenced,
 *                                                                 status-events, status-sequenced]
 *                                          ├─► entries-sink       ─► ledger.entries
 *                                          ├─► integrate-decisions-sink ─► ledger.decisions (ISSUE)
 *                                          ├─► status-sink        ─► ledger.status
 *                                          ├─► integrate-dlq-sink ─► ledger.dlq
 *                                          └─► checkpoint [checkpoint-state] ─► checkpoints-sink ─► ledger.checkpoints
 * ledger.governance ─► governance-source ─► governance [governance-acts, policy-changes; reads log-state]
 *                                          ├─► policy-sink ─► ledger.policy
 *                                          ├─► integrate-dlq-sink ─► ledger.dlq
 *                                          └─► checkpoint (a checkpoint naming the new policy, now)
 * </pre>
 *
 * <p>{@code governance} shares {@code integrate}'s task (it reads its {@code log-state}), so a
 * policy change is sequenced at an exact log and status-log position (docs/governance.md). The
 * policy in force is held by a {@link PolicyHolder} that {@code governance} advances and {@code
 * quorum}, {@code integrate} and {@code checkpoint} read.
 *
 * <p>Two sub-topologies: {@code quorum} runs one task per partition of the (co-partitioned)
 * submission and endorsement topics; {@code integrate} and {@code checkpoint} run one task per log.
 * Every source reads values as bytes and decodes them in the processor, so that a record that
 * cannot be read goes to {@code ledger.dlq} and the stream goes on. See docs/issuance-stream.md.
 */
public final class IssuanceTopology {
  /** The service name in dead letters and logs. */
  public static final String SERVICE = "issuance-stream";

  /** The metric group of every issuance-stream counter (see docs/issuance-stream.md). */
  public static final String METRICS_GROUP = "ledger-issuance";

  public static final String SUBMISSIONS_SOURCE = "submissions-source";
  public static final String ENDORSEMENTS_SOURCE = "endorsements-source";
  public static final String QUORUM = "quorum";
  public static final String DECISIONS_SINK = "decisions-sink";
  public static final String SEQUENCE_SINK = "sequence-sink";
  public static final String QUORUM_DLQ_SINK = "quorum-dlq-sink";
  public static final String SEQUENCE_SOURCE = "sequence-source";
  public static final String INTEGRATE = "integrate";
  public static final String ENTRIES_SINK = "entries-sink";
  public static final String INTEGRATE_DLQ_SINK = "integrate-dlq-sink";
  public static final String CHECKPOINT = "checkpoint";
  public static final String CHECKPOINTS_SINK = "checkpoints-sink";
  public static final String STATUS_SEQUENCE_SINK = "status-sequence-sink";
  public static final String STATUS_SEQUENCE_SOURCE = "status-sequence-source";
  public static final String STATUS_SINK = "status-sink";
  public static final String INTEGRATE_DECISIONS_SINK = "integrate-decisions-sink";
  public static final String GOVERNANCE_SOURCE = "governance-source";
  public static final String GOVERNANCE = "governance";
  public static final String POLICY_SINK = "policy-sink";

  /**
   * Store of {@code governance}: {@code <serial>/<hash hex>/proposal} and {@code <serial>/<hash
   * hex>/approval/<member>} → the act.
   */
  public static final String GOVERNANCE_ACTS_STORE = "governance-acts";

  /** Store of {@code governance}: serial → the sequenced policy change. */
  public static final String POLICY_CHANGES_STORE = "policy-changes";

  /**
   * Store of {@code quorum}: {@code <certHash>/<submitter>/<submissionId>} → verified Submission,
   * as kept before {@link #VERDICTS_STORE} held it. No longer written; read so that a submission an
   * older version kept is still decided.
   */
  public static final String SUBMISSIONS_STORE = "submissions";

  /**
   * Store of {@code quorum}: {@code <certHash>/<submitter>/<submissionId>} → the submission, once
   * it arrived, and its counted verdicts, until it is decided.
   */
  public static final String VERDICTS_STORE = "verdicts";

  /**
   * Store of {@code quorum}: {@code <certHash>/<submitter>/<submissionId>} → outcome, once decided
   * (an accepted ISSUE: its {@link #OWNERS_STORE} record instead).
   */
  public static final String DECIDED_STORE = "decided";

  /**
   * Store of {@code quorum}: certificate hash → true, once accepted, as written before {@link
   * #OWNERS_STORE} alone marked an accepted certificate. No longer written; read so that a store
   * restored from an older changelog still refuses a second acceptance.
   */
  public static final String ADMITTED_STORE = "admitted";

  /** Store of {@code integrate}: origin → the tree's frontier (size and perfect-subtree roots). */
  public static final String LOG_STATE_STORE = "log-state";

  /** Store of {@code integrate}: (level, index) → hash of every perfect node of the tree. */
  public static final String TREE_NODES_STORE = "tree-nodes";

  /** Store of {@code integrate}: certificate hash → its index in the log. */
  public static final String SEQUENCED_STORE = "sequenced";

  /**
   * Store of {@code quorum}: certificate hash → {@code <submitter>/<submissionId>} of its accepted
   * ISSUE (the submitter alone, as written before): its owner, and that submission's decision.
   */
  public static final String OWNERS_STORE = "owners";

  /** Store of {@code quorum}: certificate hash → its lifecycle state once a request was granted. */
  public static final String LIFECYCLE_STORE = "lifecycle";

  /** Store of {@code quorum}: {@code <certHash>/<operation>} → endorsed non-owner requests. */
  public static final String REQUESTS_STORE = "requests";

  /** Store of {@code integrate}: sequence number → encoded status event. */
  public static final String STATUS_EVENTS_STORE = "status-events";

  /**
   * Store of {@code integrate}: {@code <certHash>/<submitter>/<submissionId>} of every granted
   * request → its status event's sequence.
   */
  public static final String STATUS_SEQUENCED_STORE = "status-sequenced";

  /**
   * Integrate's store: certificate hash (hex) → its entry's status identity (RFC 9162 leaf hash ‖
   * subjectPublicKeyInfoHash, 64 bytes), which the status events it sequences name.
   */
  public static final String ENTRY_IDS_STORE = "entry-ids";

  /**
   * Store of {@code integrate}: entries by leaf hash, keys of entries, and keys of revoked entries
   * (see {@link IntegrateProcessor}).
   */
  public static final String ADMISSION_STORE = "admission";

  /** Store of {@code checkpoint}: origin → last checkpoint, tree now, pending since. */
  public static final String CHECKPOINT_STATE_STORE = "checkpoint-state";

  private IssuanceTopology() {}

  /**
   * Builds the topology of the issuance stream for the log of {@code policy}.
   *
   * @param policy the trust policy: members, roles and keys, the quorum k of n, the log's identity
   *     and the checkpoint cadence
   * @param topics the ledger topics (their serdes decode and encode the values)
   * @param signer the log's checkpoint signer; its keys must be the policy's log keys
   * @param clock the time written into decisions, entries and checkpoints
   * @param options engineering knobs
   * @throws IllegalArgumentException if the signer's keys are not the policy's log keys, or the
   *     sequencing topic has no partition for the policy's log number
   */
  public static Topology build(
      TrustPolicy policy, Topics topics, LogSigner signer, Clock clock, IssuanceOptions options) {
    Objects.requireNonNull(policy, "policy");
    return build(PolicyHolder.genesis(policy), topics, signer, clock, options);
  }

  /**
   * Builds the topology with the policy history of {@code holder} (its genesis policy fixes the
   * log's identity; its newest policy decides until {@code governance} advances it).
   *
   * @throws IllegalArgumentException as {@link #build(TrustPolicy, Topics, LogSigner, Clock,
   *     IssuanceOptions)}, and if the log number is not 1 (governance is sequenced with the log
   *     that reads partition 0 of the one-partition governance topic; ADR 0006)
   */
  static Topology build(
      PolicyHolder holder, Topics topics, LogSigner signer, Clock clock, IssuanceOptions options) {
    Objects.requireNonNull(holder, "holder");
    TrustPolicy policy = holder.history().genesis();
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(options, "options");
    List<String> problems = new ArrayList<>(signer.mismatches(policy.log()));
    int logNumber = policy.log().number();
    if (logNumber > topics.sequence().partitions()) {
      problems.add(
          "log number "
              + logNumber
              + " needs at least "
              + logNumber
              + " partitions of "
              + topics.sequence().name()
              + ", the topics have "
              + topics.sequence().partitions()
              + " (ledgerpki.topics.logs)");
    }
    if (logNumber != 1) {
      problems.add(
          "log number "
              + logNumber
              + ": governance is sequenced with log 1 only (one log per consortium,"
              + " docs/adr/0006-governance-on-the-ledger.md)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot build the issuance stream of " + policy.log().origin() + ": " + problems);
    }

    BatchVerifier verifier = new BatchVerifier(options.verifierCacheSize());
    Serde<String> keys = Serdes.String();
    Topology t = new Topology();

    // Sub-topology 1: the quorum, per partition of the certificate-keyed topics.
    t.addSource(
        SUBMISSIONS_SOURCE,
        keys.deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.submissions().name());
    t.addSource(
        ENDORSEMENTS_SOURCE,
        keys.deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.endorsements().name());
    t.addProcessor(
        QUORUM,
        () ->
            new QuorumProcessor(
                holder,
                topics.submissions(),
                topics.endorsements(),
                verifier,
                signer,
                clock,
                options.unclaimedVerdictsTtl()),
        SUBMISSIONS_SOURCE,
        ENDORSEMENTS_SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SUBMISSIONS_STORE),
                Serdes.String(),
                new AvroStoreSerde<>(Submission.class))
            .withCachingEnabled(),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VERDICTS_STORE),
                Serdes.String(),
                new Pending.StoreSerde())
            .withCachingEnabled(),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DECIDED_STORE), Serdes.String(), Serdes.String()),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ADMITTED_STORE), Serdes.String(), Serdes.Boolean()),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(OWNERS_STORE), Serdes.String(), Serdes.String()),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LIFECYCLE_STORE), Serdes.String(), Serdes.String()),
        QUORUM);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(REQUESTS_STORE),
                Serdes.String(),
                new AvroStoreSerde<>(StatusEntry.class))
            .withCachingEnabled(),
        QUORUM);
    t.addSink(
        DECISIONS_SINK,
        topics.decisions().name(),
        keys.serializer(),
        topics.decisions().valueSerde().serializer(),
        QUORUM);
    t.addSink(
        SEQUENCE_SINK,
        topics.sequence().name(),
        keys.serializer(),
        topics.sequence().valueSerde().serializer(),
        LogPartitioner.entries(),
        QUORUM);
    t.addSink(
        STATUS_SEQUENCE_SINK,
        topics.statusSequence().name(),
        keys.serializer(),
        topics.statusSequence().valueSerde().serializer(),
        LogPartitioner.status(),
        QUORUM);
    t.addSink(
        QUORUM_DLQ_SINK,
        topics.dlq().name(),
        keys.serializer(),
        topics.dlq().valueSerde().serializer(),
        QUORUM);

    // Sub-topology 2: integration and checkpoints, one task per log. Its own dead-letter sink, so
    // that the two sub-topologies stay apart (a shared node would join them, and Kafka Streams
    // would then require the sequencing topic to be co-partitioned with the submissions).
    t.addSource(
        SEQUENCE_SOURCE,
        keys.deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.sequence().name());
    t.addSource(
        STATUS_SEQUENCE_SOURCE,
        keys.deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.statusSequence().name());
    t.addProcessor(
        INTEGRATE,
        () ->
            new IntegrateProcessor(
                policy.log(),
                holder,
                verifier,
                signer,
                topics.sequence(),
                topics.statusSequence(),
                clock),
        SEQUENCE_SOURCE,
        STATUS_SEQUENCE_SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LOG_STATE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled(),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TREE_NODES_STORE),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withCachingEnabled(),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SEQUENCED_STORE), Serdes.String(), Serdes.Long()),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STATUS_EVENTS_STORE), Serdes.Long(), Serdes.ByteArray()),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STATUS_SEQUENCED_STORE), Serdes.String(), Serdes.Long()),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ENTRY_IDS_STORE), Serdes.String(), Serdes.ByteArray()),
        INTEGRATE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ADMISSION_STORE), Serdes.String(), Serdes.String()),
        INTEGRATE);
    t.addSink(
        INTEGRATE_DECISIONS_SINK,
        topics.decisions().name(),
        keys.serializer(),
        topics.decisions().valueSerde().serializer(),
        INTEGRATE);
    t.addSink(
        STATUS_SINK,
        topics.status().name(),
        keys.serializer(),
        topics.status().valueSerde().serializer(),
        INTEGRATE);
    t.addSink(
        ENTRIES_SINK,
        topics.entries().name(),
        keys.serializer(),
        topics.entries().valueSerde().serializer(),
        INTEGRATE);
    t.addSource(
        GOVERNANCE_SOURCE,
        keys.deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.governance().name());
    t.addProcessor(
        GOVERNANCE,
        () -> new GovernanceProcessor(policy, holder, topics.governance(), clock),
        GOVERNANCE_SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(GOVERNANCE_ACTS_STORE),
            Serdes.String(),
            new AvroStoreSerde<>(GovernanceAct.class)),
        GOVERNANCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(POLICY_CHANGES_STORE),
            Serdes.Long(),
            new AvroStoreSerde<>(PolicyChange.class)),
        GOVERNANCE);
    // Governance reads the log's size: the shared store puts it in integrate's task.
    t.connectProcessorAndStateStores(GOVERNANCE, LOG_STATE_STORE);
    t.addSink(
        POLICY_SINK,
        topics.policy().name(),
        keys.serializer(),
        topics.policy().valueSerde().serializer(),
        GOVERNANCE);
    t.addSink(
        INTEGRATE_DLQ_SINK,
        topics.dlq().name(),
        keys.serializer(),
        topics.dlq().valueSerde().serializer(),
        INTEGRATE,
        GOVERNANCE);
    t.addProcessor(
        CHECKPOINT,
        () ->
            new CheckpointProcessor(
                signer,
                holder,
                clock,
                policy.checkpointInterval(),
                policy.checkpointHeartbeat(),
                policy.checkpointMaxBatch(),
                options.punctuateEvery()),
        INTEGRATE,
        GOVERNANCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CHECKPOINT_STATE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled(),
        CHECKPOINT);
    t.addSink(
        CHECKPOINTS_SINK,
        topics.checkpoints().name(),
        keys.serializer(),
        topics.checkpoints().valueSerde().serializer(),
        CHECKPOINT);
    return t;
  }
}
