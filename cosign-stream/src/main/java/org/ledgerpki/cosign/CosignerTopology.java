package org.ledgerpki.cosign;

import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.landmarks.LandmarkSigner;
import org.ledgerpki.cosign.mirror.EntryChecks;
import org.ledgerpki.cosign.mirror.EntryMirror;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.parking.ParkingLot;
import org.ledgerpki.cosign.status.StatusChecks;
import org.ledgerpki.cosign.status.StatusMirror;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.Witness;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The cosigner of one member organisation (witness and mirror), {@code application.id =
 * <prefix>ledger-cosigner-<org>}:
 *
 * <pre>
 * ledger.entries     ─┐                                        ┌─► ledger.cosignatures
 * ledger.status      ─┤                                        │
 * ledger.checkpoints ─┼─► cosigner [mirror-state, mirror-nodes, ┤
 * ledger.landmarks   ─┘             parked, status]             └─► ledger.dlq (undecodable,
 *                                                                     not signed by the log)
 * </pre>
 *
 * <p>All three topics are keyed by origin and co-partitioned, so one task sees all of a log.
 *
 * <p>Entries and status events must carry the log's signature ({@code logSignature}, with the log's
 * Ed25519 key of the policy; docs/adr/0012-log-signed-ledger-records.md). One that does not is not
 * the log's: it goes to {@code ledger.dlq} with the reason, is counted in {@code
 * unauthenticated-records-total{kind=entry|status-event}}, and is otherwise ignored, so that a
 * writer without the log's key cannot taint the log or stall the mirror. The rules below apply to
 * the records the log signed.
 *
 * <ul>
 *   <li><b>Mirror</b> ({@link EntryMirror}, package {@code mirror}). Each entry must have the next
 *       index (a replay of a mirrored index with the same leaf is ignored; another leaf, or a gap,
 *       taints the log from there) and pass {@code EntryCheck} (MTC encoding of its certificate,
 *       {@code k} valid endorsements of distinct validators). The leaf is appended either way, so
 *       that the mirror follows the log; a failed entry taints the log from its index.
 *   <li><b>Witness</b> ({@link Witness}, package {@code witness}). A checkpoint must open under the
 *       log's vkey (Ed25519; an ML-DSA log line, if the policy names the key, must verify too),
 *       agree with its record, and extend the last checkpoint seen ({@code previousSize}). Once the
 *       mirror reaches its size: it must not shrink below the last cosigned size, its root must be
 *       the mirror's, and no entry below its size may be tainted. Then the cosigner publishes
 *       timestamp-0 ML-DSA-44 SUBTREE cosignatures on the covering subtrees of {@code
 *       [previousSize, size)} (standalone certificates), then the CHECKPOINT cosignature (Ed25519
 *       {@code cosignature/v1} and, with an ML-DSA-44 key, the timestamped {@code subtree/v1}
 *       line). A refusal is logged and counted in {@code refused-checkpoints-total{reason}}, never
 *       published.
 *   <li><b>Status</b> ({@link StatusMirror}, package {@code status}). Each status event must have
 *       the next sequence number, pass {@code StatusCheck} (signed requests by the owner or by
 *       enough other members, each with {@code k} endorsements) and be a valid transition of the
 *       cosigner's own status log. A checkpoint is cosigned only if its {@code ledger-pki-status}
 *       line is the cosigner's own commitment after that many events (refusal {@code
 *       status-mismatch} or {@code status-tainted}).
 *   <li><b>Landmarks</b> ({@link LandmarkSigner}, package {@code landmarks}). For an ALLOCATED
 *       landmark it signs each landmark subtree with the hash of its own mirror (timestamp 0,
 *       ML-DSA-44 only), once the mirror has reached the landmark and unless the log is tainted
 *       below it.
 * </ul>
 *
 * <p>Checkpoints and landmarks beyond the mirror are parked ({@link ParkingLot}, package {@code
 * parking}) and handled, in size order, as soon as the entries arrive. {@link CosignerProcessor}
 * only routes each record to one of these jobs.
 */
public final class CosignerTopology {
  /** Store: origin → {@link MirrorState} (frontier, taint, last checkpoint seen, last cosigned). */
  public static final String MIRROR_STATE = "cosigner-mirror-state";

  /** Store: (origin, level, index) → hash of each perfect subtree of the mirror. */
  public static final String MIRROR_NODES = "cosigner-mirror-nodes";

  /** Store: (origin, size, arrival) → checkpoint or landmark waiting for the mirror. */
  public static final String PARKED = "cosigner-parked";

  /**
   * Store: what the mirror remembers of the entries ({@code MirrorIndex}: by leaf hash, the index,
   * certificate, key hash and owner of an entry that passed); (origin, 'E', sequence) → encoded
   * status event; (origin, 'K', count) → status log and map roots after that many events
   * (docs/cosign-stream.md).
   */
  public static final String STATUS = "cosigner-status";

  /** Scope of this app's metrics: group {@code ledger-cosigner-metrics}. */
  public static final String METRICS_SCOPE = "ledger-cosigner";

  static final String PROCESSOR = "cosigner";
  static final String COSIGNATURES_SINK = "cosignatures";
  static final String DLQ_SINK = "dlq";

  private CosignerTopology() {}

  /** The application id of {@code org}'s cosigner: {@code <prefix>ledger-cosigner-<org>}. */
  public static String applicationId(String topicPrefix, String org) {
    return topicPrefix + "ledger-cosigner-" + org;
  }

  /**
   * Builds the cosigner of {@code member}.
   *
   * @param policy the trust policy: the log's keys and CA ID, validators and {@code k}
   * @param member the cosigning member's keys; requires the cosigner role in {@code policy} and an
   *     Ed25519 cosigner key (an ML-DSA-44 key is needed for subtree and landmark signatures)
   * @param topics the ledger topics, whose serdes read and write the records
   * @param clock the source of cosignature timestamps
   * @throws IllegalArgumentException if {@code member} is not a cosigner of {@code policy}
   */
  public static Topology build(TrustPolicy policy, MemberKeys member, Topics topics, Clock clock) {
    return build(PolicyHolder.genesis(policy), member, topics, clock);
  }

  /**
   * Builds the cosigner with the policy history of {@code holder} (docs/governance.md): its genesis
   * policy fixes the log's identity; entries and status events are checked with the policy in force
   * at their position, and a checkpoint is cosigned only if it names a policy of the verified
   * chain. {@code member} must be a cosigner of the newest policy.
   */
  public static Topology build(PolicyHolder holder, MemberKeys member, Topics topics, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    TrustPolicy policy = holder.latest();
    TrustPolicy.Member m =
        policy
            .member(member.id())
            .filter(x -> x.has(Role.COSIGNER))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + member.id() + "' is not a cosigner of " + policy.consortium()));
    if (member.cosignerEd25519() == null) {
      throw new IllegalArgumentException("'" + member.id() + "' has no Ed25519 cosigner key");
    }
    if (!m.cosigner().trustAnchorId().equals(member.trustAnchorId())) {
      throw new IllegalArgumentException(
          "'"
              + member.id()
              + "' cosigns as "
              + m.cosigner().trustAnchorId()
              + " in the policy, not "
              + member.trustAnchorId());
    }
    CheckpointCheck checkpointCheck = new CheckpointCheck(holder.history().genesis());
    BatchVerifier verifier = new BatchVerifier();
    EntryChecks entryChecks = new EntryChecks(holder, verifier);
    StatusChecks statusChecks = new StatusChecks(holder, verifier);

    Topology t = new Topology();
    t.addSource(
        "entries-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.entries().name());
    t.addSource(
        "checkpoints-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.checkpoints().name());
    t.addSource(
        "landmarks-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.landmarks().name());
    t.addSource(
        "status-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.status().name());
    t.addProcessor(
        PROCESSOR,
        () ->
            new CosignerProcessor(
                holder, member, topics, clock, entryChecks, statusChecks, checkpointCheck),
        "entries-source",
        "status-source",
        "checkpoints-source",
        "landmarks-source");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MIRROR_STATE), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled(),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MIRROR_NODES), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled(),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PARKED), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled(),
        PROCESSOR);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STATUS), Serdes.Bytes(), Serdes.ByteArray()),
        PROCESSOR);
    t.addSink(
        COSIGNATURES_SINK,
        topics.cosignatures().name(),
        topics.cosignatures().keySerde().serializer(),
        topics.cosignatures().valueSerde().serializer(),
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
