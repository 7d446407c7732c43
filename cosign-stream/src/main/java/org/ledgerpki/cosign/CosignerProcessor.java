package org.ledgerpki.cosign;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.tlog.Ed25519Cosigner;
import org.ledgerpki.core.tlog.MlDsaCosigner;
import org.ledgerpki.cosign.mirror.EntryCheck;
import org.ledgerpki.cosign.mirror.Fault;
import org.ledgerpki.cosign.mirror.MirrorIndex;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.mirror.PolicyChecks;
import org.ledgerpki.cosign.parking.Parked;
import org.ledgerpki.cosign.status.StatusCheck;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.Covering;
import org.ledgerpki.cosign.witness.Refusal;
import org.ledgerpki.cosign.witness.SignatureLines;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.KeyValueNodeStore;
import org.ledgerpki.streams.store.StoreKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cosigner of one member organisation: mirror, witness and landmark signer in one processor, so
 * that a log's entries, checkpoints and landmarks share the task's stores. See {@link
 * CosignerTopology} for the rules; every decision is logged, and refusals are counted.
 */
final class CosignerProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(CosignerProcessor.class);
  private static final int NODE_TAG = 'N';
  private static final int PARKED_TAG = 'P';
  private static final int OWNER_TAG = 'O';
  private static final int EVENT_TAG = 'E';
  private static final int COMMITMENT_TAG = 'K';
  private static final int ENTRY_ID_TAG = 'I';

  /** A heartbeat identical to the last checkpoint cosigned is cosigned again after this long. */
  private static final long RECOSIGN_AFTER_SECONDS = 1;

  private final TrustPolicy policy;
  private final String org;
  private final Topics topics;
  private final Clock clock;
  private final PolicyChecks checks;
  private final CheckpointCheck checkpointCheck;
  private final Ed25519Cosigner ed25519;
  private final MlDsaCosigner mlDsa;
  private final String service;
  private final Deserializer<LedgerEntry> entryReader;
  private final Deserializer<org.ledgerpki.schemas.avro.Checkpoint> checkpointReader;
  private final Deserializer<Landmark> landmarkReader;
  private final Deserializer<StatusEntry> statusReader;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> states;
  private KeyValueStore<Bytes, byte[]> nodes;
  private KeyValueStore<Bytes, byte[]> parked;
  private KeyValueStore<Bytes, byte[]> status;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  // Per origin, a cache of the status log the status store holds; checked against the mirror
  // state's statusCount on every use, dropped on init.
  private final java.util.Map<String, StatusLog> statusLogs = new java.util.HashMap<>();
  private boolean warnedNoMlDsa;

  CosignerProcessor(
      TrustPolicy policy,
      MemberKeys member,
      Topics topics,
      Clock clock,
      PolicyChecks checks,
      CheckpointCheck checkpointCheck) {
    this.policy = policy;
    this.org = member.id();
    this.topics = topics;
    this.clock = clock;
    this.checks = checks;
    this.checkpointCheck = checkpointCheck;
    this.ed25519 = member.ed25519Cosigner();
    this.mlDsa = member.cosignerMlDsa44() == null ? null : member.mlDsaCosigner();
    this.service = "cosigner/" + org;
    this.entryReader = topics.entries().valueSerde().deserializer();
    this.checkpointReader = topics.checkpoints().valueSerde().deserializer();
    this.landmarkReader = topics.landmarks().valueSerde().deserializer();
    this.statusReader = topics.status().valueSerde().deserializer();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.states = context.getStateStore(CosignerTopology.MIRROR_STATE);
    this.nodes = context.getStateStore(CosignerTopology.MIRROR_NODES);
    this.parked = context.getStateStore(CosignerTopology.PARKED);
    this.status = context.getStateStore(CosignerTopology.STATUS);
    this.statusLogs.clear();
    this.counters = new LedgerCounters(context.metrics(), CosignerTopology.METRICS_SCOPE, org);
    this.dlq =
        new DeadLetterOut(
            context,
            service,
            clock,
            LOG,
            (r, kind, letter) -> {
              counters.count("dead-letters", "Records this cosigner could not read");
              context.forward(
                  new Record<String, SpecificRecord>(
                      letter.getSourceTopic(), letter, r.timestamp()),
                  CosignerTopology.DLQ_SINK);
            });
    // Checkpoints parked for a policy change this cosigner had not read yet: tried again.
    context.schedule(
        java.time.Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::retryParked);
  }

  private void retryParked(long now) {
    String origin = policy.log().origin();
    boolean any;
    try (KeyValueIterator<Bytes, byte[]> it =
        parked.range(
            StoreKeys.of(origin, PARKED_TAG).u64(0).u64(0).build(),
            StoreKeys.of(origin, PARKED_TAG).u64(Long.MAX_VALUE).u64(Long.MAX_VALUE).build())) {
      any = it.hasNext();
    }
    if (!any || states.get(origin) == null) {
      return;
    }
    MirrorState st = state(origin);
    MerkleTree tree =
        MerkleTree.open(
            new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
    drainParked(origin, st, tree, now);
    states.put(origin, st.encode());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    if (topic.equals(topics.entries().name())) {
      LedgerEntry e = dlq.decode(record, entryReader, topic, "a LedgerEntry");
      if (e != null) {
        onEntry(e, record.timestamp());
      }
    } else if (topic.equals(topics.checkpoints().name())) {
      org.ledgerpki.schemas.avro.Checkpoint c =
          dlq.decode(record, checkpointReader, topic, "a Checkpoint");
      if (c != null) {
        onCheckpoint(c, record.timestamp());
      }
    } else if (topic.equals(topics.status().name())) {
      StatusEntry e = dlq.decode(record, statusReader, topic, "a StatusEntry");
      if (e != null) {
        onStatus(e, record.timestamp());
      }
    } else if (topic.equals(topics.landmarks().name())) {
      Landmark l = dlq.decode(record, landmarkReader, topic, "a Landmark");
      if (l != null) {
        onLandmark(l, record.timestamp());
      }
    } else {
      throw new IllegalStateException("record from unexpected topic '" + topic + "'");
    }
  }

  // ---- mirror ----------------------------------------------------------------------------------

  private void onEntry(LedgerEntry e, long timestamp) {
    String origin = e.getOrigin();
    if (!isOurLog(origin, "entry " + e.getIndex())) {
      return;
    }
    MirrorState st = state(origin);
    MerkleTree tree =
        MerkleTree.open(
            new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
    long index = e.getIndex();
    byte[] leaf = Rfc9162.leafHash(Evidence.bytes(e.getEntry()));
    if (index < 0) {
      taint(st, origin, tree.size(), "an entry has the negative index " + index);
    } else if (index < tree.size()) {
      byte[] mirrored = tree.leafHash(index);
      if (Arrays.equals(mirrored, leaf)) {
        LOG.debug("{}: entry {} of {} replayed, already mirrored", service, index, origin);
        return;
      }
      taint(
          st,
          origin,
          index,
          "entry "
              + index
              + " was published again with leaf hash "
              + Hex.encode(leaf)
              + ", the mirror has "
              + Hex.encode(mirrored));
    } else if (index > tree.size()) {
      taint(
          st,
          origin,
          tree.size(),
          "gap: the next entry must have index " + tree.size() + ", got index " + index);
    } else {
      MirrorIndex mirror = new MirrorIndex(status, origin);
      EntryCheck entryCheck = checks.entry(index);
      Optional<Fault> fault = entryCheck.check(e, mirror);
      if (fault.isPresent() && Fault.NO_QUORUM.equals(fault.get().tag())) {
        // The change that admits this evidence may not have reached this cosigner yet.
        checks.holder().refresh();
        if (checks.entry(index) != entryCheck) {
          entryCheck = checks.entry(index);
          fault = entryCheck.check(e, mirror);
        }
      }
      fault.ifPresent(f -> taint(st, origin, index, f.tag(), "entry " + index + ": " + f.detail()));
      entryCheck.remember(e, mirror);
      if (fault.isEmpty() && index > 0 && e.getSubmitter() != null) {
        // The owner of the certificate, for the status events about it.
        status.put(
            StoreKeys.of(origin, OWNER_TAG).raw(Evidence.bytes(e.getCertificateSha256())).build(),
            e.getSubmitter().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // The entry's status identity, which the status events about it must name.
        try {
          EntryId id = EntryId.of(Evidence.bytes(e.getEntry()));
          status.put(
              StoreKeys.of(origin, ENTRY_ID_TAG)
                  .raw(Evidence.bytes(e.getCertificateSha256()))
                  .build(),
              new Codec.Writer().bytes(id.leafHash()).bytes(id.spkiHash()).toByteArray());
        } catch (MalformedInputException ex) {
          taint(st, origin, index, "entry " + index + ": " + ex.getMessage());
        }
      }
      // The mirror follows the log either way; a bad entry only taints what covers it.
      tree.append(leaf);
      st.frontier = tree.frontier();
      drainParked(origin, st, tree, timestamp);
    }
    states.put(origin, st.encode());
  }

  private void taint(MirrorState st, String origin, long index, String reason) {
    taint(st, origin, index, Fault.INVALID, reason);
  }

  private void taint(MirrorState st, String origin, long index, String tag, String reason) {
    counters.count("tainted-entries", "Entries that failed the cosigner's checks", "reason", tag);
    if (st.taint(index, reason)) {
      LOG.warn(
          "{}: log {} is tainted from index {}: {}; no checkpoint or landmark covering it will be"
              + " cosigned",
          service,
          origin,
          index,
          reason);
    } else {
      LOG.warn(
          "{}: log {}: {} (already tainted from index {})",
          service,
          origin,
          reason,
          st.taintedFrom);
    }
  }

  // ---- witness ---------------------------------------------------------------------------------

  private void onCheckpoint(org.ledgerpki.schemas.avro.Checkpoint c, long timestamp) {
    String origin = c.getOrigin();
    String what = "checkpoint of size " + c.getSize() + " of " + origin;
    Checkpoint body;
    try {
      body = checkpointCheck.open(c);
    } catch (CheckpointCheck.Rejected e) {
      refuse(e.reason(), what, e.getMessage());
      return;
    }
    MirrorState st = state(origin);
    long previous = c.getPreviousSize();
    if (cosignedJustNow(st, body)) {
      LOG.debug("{}: {} was cosigned less than a second ago", service, what);
      return;
    }
    if (previous != st.lastCheckpointSize) {
      refuse(
          Refusal.PREVIOUS_SIZE_MISMATCH,
          what,
          "it extends size "
              + previous
              + ", but the last checkpoint this cosigner saw has size "
              + st.lastCheckpointSize
              + " (rival sequencer?)");
      return;
    }
    if (body.size() < previous) {
      refuse(
          Refusal.SHRINKING,
          what,
          "the log shrinks from size " + previous + " to " + body.size() + " (append-only)");
      return;
    }
    st.lastCheckpointSize = body.size();
    MerkleTree tree =
        MerkleTree.open(
            new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
    Optional<String> unproven = policyUnproven(body);
    if (unproven.isPresent() && !unproven.get().isEmpty()) {
      refuse(Refusal.POLICY_UNPROVEN, what, unproven.get());
      states.put(origin, st.encode());
      return;
    }
    if (unproven.isPresent()) {
      LOG.info(
          "{}: {} names a policy this cosigner cannot verify yet; parked until it can",
          service,
          what);
      park(st, new Parked.Checkpoint(origin, body.size(), previous, c.getNote()));
    } else if (tree.size() < body.size() || statusAhead(body, st)) {
      LOG.info(
          "{}: {} waits for the mirror, which has {} entries and {} status events",
          service,
          what,
          tree.size(),
          st.statusCount);
      park(st, new Parked.Checkpoint(origin, body.size(), previous, c.getNote()));
    } else {
      witness(st, tree, body, previous, timestamp);
    }
    states.put(origin, st.encode());
  }

  /** The checks that need the mirror at the checkpoint's size, then the cosignatures. */
  /**
   * Whether this checkpoint body was cosigned less than {@link #RECOSIGN_AFTER_SECONDS} ago. A
   * heartbeat (the same checkpoint re-issued, whatever its {@code previousSize}) is cosigned again
   * with a fresh timestamp, so relying parties keep taking it as fresh; the same body twice within
   * a second, on arrival or out of the parking lot, adds nothing and is not cosigned again.
   */
  private boolean cosignedJustNow(MirrorState st, Checkpoint body) {
    return st.lastCosignedRoot != null
        && body.size() == st.lastCosignedSize
        && Arrays.equals(body.rootHash(), st.lastCosignedRoot)
        && Arrays.equals(bodyHash(body), st.lastCosignedBody)
        && clock.instant().getEpochSecond() - st.lastCosignedAt < RECOSIGN_AFTER_SECONDS;
  }

  private void witness(
      MirrorState st, MerkleTree tree, Checkpoint body, long previous, long timestamp) {
    String origin = body.origin();
    String what = "checkpoint of size " + body.size() + " of " + origin;
    if (cosignedJustNow(st, body)) {
      LOG.debug("{}: {} (parked) was cosigned less than a second ago", service, what);
      return;
    }
    if (body.size() < st.lastCosignedSize) {
      refuse(
          Refusal.SHRINKING,
          what,
          "this cosigner already cosigned size " + st.lastCosignedSize + " (append-only)");
      return;
    }
    byte[] mine = tree.rootAt(body.size());
    if (!Arrays.equals(mine, body.rootHash())) {
      refuse(
          Refusal.ROOT_MISMATCH,
          what,
          "the checkpoint's root is "
              + Hex.encode(body.rootHash())
              + ", the mirror's root at that size is "
              + Hex.encode(mine));
      return;
    }
    if (st.taintedBelow(body.size())) {
      refuse(
          Refusal.TAINTED,
          what,
          "the log is tainted from index " + st.taintedFrom + ": " + st.taintReason);
      return;
    }
    if (!statusAgrees(st, body, what)) {
      return;
    }
    // Subtree signatures first: the aggregator then has them when the checkpoint reaches quorum.
    List<Subtree> subtrees = Covering.subtrees(previous, body.size());
    if (mlDsa != null) {
      for (Subtree s : subtrees) {
        forward(subtreeCosignature(origin, s, tree.subtreeHash(s.start(), s.end())), timestamp);
      }
    } else if (!subtrees.isEmpty()) {
      warnNoMlDsa("subtrees for standalone certificates and no landmarks");
    }
    long now = clock.instant().getEpochSecond();
    List<String> lines = new ArrayList<>(2);
    lines.add(ed25519.cosign(body, now).line());
    if (mlDsa != null) {
      lines.add(mlDsa.cosign(body, now).line());
    }
    forward(
        Cosignature.newBuilder()
            .setCosigner(org)
            .setOrigin(origin)
            .setKind(CosignatureKind.CHECKPOINT)
            .setStart(0)
            .setEnd(body.size())
            .setHash(Evidence.buffer(body.rootHash()))
            .setBodySha256(Evidence.buffer(bodyHash(body)))
            .setTimestamp(now)
            .setLines(lines)
            .build(),
        timestamp);
    st.lastCosignedSize = body.size();
    st.lastCosignedRoot = body.rootHash();
    st.lastCosignedPrevious = previous;
    st.lastCosignedBody = bodyHash(body);
    st.lastCosignedAt = now;
    try {
      st.lastCosignedStatusCount =
          StatusCommitment.find(body.extensions()).map(StatusCommitment::count).orElse(0L);
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a status line that statusAgrees accepted does not parse", e);
    }
    counters.count("cosigned-checkpoints", "Checkpoints this cosigner cosigned");
    counters.touch("cosigned-checkpoint", "Seconds since this cosigner last cosigned a checkpoint");
    LOG.info(
        "{}: cosigned {} (root {}, extends {}, {} subtree signature(s))",
        service,
        what,
        Hex.encode(body.rootHash()),
        previous,
        mlDsa == null ? 0 : subtrees.size());
  }

  // ---- landmarks -------------------------------------------------------------------------------

  private void onLandmark(Landmark l, long timestamp) {
    String origin = l.getOrigin();
    String what = "landmark " + l.getNumber() + " (size " + l.getTreeSize() + ") of " + origin;
    if (l.getState() != LandmarkState.ALLOCATED) {
      return;
    }
    if (!origin.equals(policy.log().origin())) {
      refuseLandmark(Refusal.UNKNOWN_LOG, what, "its origin is not the log of the trust policy");
      return;
    }
    if (mlDsa == null) {
      warnNoMlDsa("subtrees for standalone certificates and no landmarks");
      refuseLandmark(Refusal.NO_MLDSA_KEY, what, "this cosigner has no ML-DSA-44 key");
      return;
    }
    if (l.getPreviousTreeSize() < 0
        || l.getTreeSize() <= l.getPreviousTreeSize()
        || l.getSubtrees().isEmpty()) {
      refuseLandmark(
          Refusal.MALFORMED,
          what,
          "it must grow the tree from previousTreeSize "
              + l.getPreviousTreeSize()
              + " and name its subtrees");
      return;
    }
    List<Subtree> subtrees = new ArrayList<>();
    for (SignedSubtree s : l.getSubtrees()) {
      long start = s.getStart();
      long end = s.getEnd();
      if (start < 0 || end <= start || end > l.getTreeSize() || !Subtrees.isValid(start, end)) {
        refuseLandmark(
            Refusal.MALFORMED,
            what,
            "[" + start + ", " + end + ") is not a non-empty valid subtree within the landmark");
        return;
      }
      subtrees.add(new Subtree(start, end));
    }
    MirrorState st = state(origin);
    Parked.Landmark p = new Parked.Landmark(origin, l.getNumber(), l.getTreeSize(), subtrees);
    MerkleTree tree =
        MerkleTree.open(
            new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
    if (tree.size() < p.size()) {
      LOG.info("{}: {} waits for the mirror, which has {} entries", service, what, tree.size());
      park(st, p);
      states.put(origin, st.encode());
    } else {
      signLandmark(st, tree, p, timestamp);
    }
  }

  private void signLandmark(MirrorState st, MerkleTree tree, Parked.Landmark l, long timestamp) {
    String what = "landmark " + l.number() + " (size " + l.size() + ") of " + l.origin();
    if (st.taintedBelow(l.size())) {
      refuseLandmark(
          Refusal.TAINTED,
          what,
          "the log is tainted from index " + st.taintedFrom + ": " + st.taintReason);
      return;
    }
    for (Subtree s : l.subtrees()) {
      forward(subtreeCosignature(l.origin(), s, tree.subtreeHash(s.start(), s.end())), timestamp);
    }
    counters.count("signed-landmarks", "Landmarks whose subtrees this cosigner signed");
    LOG.info("{}: signed the subtrees {} of {}", service, l.subtrees(), what);
  }

  // ---- parking ---------------------------------------------------------------------------------

  private void park(MirrorState st, Parked p) {
    String origin = p instanceof Parked.Checkpoint c ? c.origin() : ((Parked.Landmark) p).origin();
    parked.put(
        StoreKeys.of(origin, PARKED_TAG).u64(p.size()).u64(st.parkSeq++).build(), p.encode());
  }

  /** Handles, in order, the parked records the mirror has now caught up with. */
  private void drainParked(String origin, MirrorState st, MerkleTree tree, long timestamp) {
    List<KeyValue<Bytes, byte[]>> ready = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        parked.range(
            StoreKeys.of(origin, PARKED_TAG).u64(0).u64(0).build(),
            StoreKeys.of(origin, PARKED_TAG).u64(tree.size()).u64(Long.MAX_VALUE).build())) {
      it.forEachRemaining(ready::add);
    }
    for (KeyValue<Bytes, byte[]> kv : ready) {
      Parked p = Parked.decode(kv.value);
      if (p instanceof Parked.Checkpoint c) {
        Checkpoint body;
        try {
          body = Checkpoint.fromNote(Note.parse(c.note()));
        } catch (MalformedInputException e) {
          throw new IllegalStateException("a parked checkpoint no longer parses", e);
        }
        if (statusAhead(body, st)) {
          continue; // it waits for more status events
        }
        Optional<String> unproven = policyUnproven(body);
        if (unproven.isPresent() && unproven.get().isEmpty()) {
          continue; // it waits for the policy change it names
        }
        parked.delete(kv.key);
        if (unproven.isPresent()) {
          refuse(
              Refusal.POLICY_UNPROVEN,
              "checkpoint of size " + body.size() + " of " + origin,
              unproven.get());
          continue;
        }
        witness(st, tree, body, c.previousSize(), timestamp);
      } else {
        parked.delete(kv.key);
        signLandmark(st, tree, (Parked.Landmark) p, timestamp);
      }
    }
  }

  // ---- status ----------------------------------------------------------------------------------

  /**
   * Mirrors the status log: each event must have the next sequence number and pass {@link
   * StatusCheck}, and applying it to this cosigner's own status log must be a valid transition. An
   * event that fails taints the status log from its sequence number; the status mirror stops there,
   * and no checkpoint committing to that event or a later one is cosigned.
   */
  private void onStatus(StatusEntry s, long timestamp) {
    String origin = s.getOrigin();
    if (!isOurLog(origin, "status event " + s.getSequence())) {
      return;
    }
    MirrorState st = state(origin);
    long seq = s.getSequence();
    byte[] encoded = Evidence.bytes(s.getEvent());
    if (seq < 0) {
      taintStatus(st, origin, st.statusCount, "a status event has the negative sequence " + seq);
    } else if (seq < st.statusCount) {
      byte[] held = status.get(StoreKeys.of(origin, EVENT_TAG).u64(seq).build());
      if (Arrays.equals(held, encoded)) {
        LOG.debug("{}: status event {} of {} replayed, already mirrored", service, seq, origin);
        return;
      }
      taintStatus(st, origin, seq, "status event " + seq + " was published again, different");
    } else if (seq > st.statusCount) {
      taintStatus(
          st,
          origin,
          st.statusCount,
          "gap: the next status event must have sequence " + st.statusCount + ", got " + seq);
    } else if (st.statusTaintedFrom >= 0) {
      LOG.warn(
          "{}: status event {} of {} not mirrored: the status log is tainted from {}",
          service,
          seq,
          origin,
          st.statusTaintedFrom);
    } else {
      applyStatus(st, origin, s, encoded, timestamp);
    }
    states.put(origin, st.encode());
  }

  private void applyStatus(
      MirrorState st, String origin, StatusEntry s, byte[] encoded, long timestamp) {
    long seq = s.getSequence();
    StatusEvent e;
    try {
      e = StatusEvent.decode(encoded);
    } catch (MalformedInputException ex) {
      taintStatus(st, origin, seq, "status event " + seq + ": " + ex.getMessage());
      return;
    }
    MirrorIndex mirror = new MirrorIndex(status, origin);
    StatusCheck statusCheck = checks.status(seq);
    Optional<Fault> fault = statusCheck.check(s, e, hash -> ownerOf(origin, hash), mirror);
    if (fault.isPresent()) {
      checks.holder().refresh();
      if (checks.status(seq) != statusCheck) {
        statusCheck = checks.status(seq);
        fault = statusCheck.check(s, e, hash -> ownerOf(origin, hash), mirror);
      }
    }
    if (fault.isEmpty()) {
      fault = entryIdFault(origin, e).map(d -> new Fault("entry-mismatch", d));
    }
    if (fault.isPresent()) {
      taintStatus(
          st, origin, seq, fault.get().tag(), "status event " + seq + ": " + fault.get().detail());
      return;
    }
    StatusLog log = statusLog(origin, st);
    try {
      log.apply(e);
    } catch (IllegalArgumentException ex) {
      statusLogs.remove(origin);
      taintStatus(st, origin, seq, ex.getMessage());
      return;
    }
    status.put(StoreKeys.of(origin, EVENT_TAG).u64(seq).build(), encoded);
    statusCheck.remember(s, mirror);
    StatusCommitment c = log.commitment();
    status.put(
        StoreKeys.of(origin, COMMITMENT_TAG).u64(c.count()).build(),
        new Codec.Writer().bytes(c.logRoot()).bytes(c.mapRoot()).toByteArray());
    st.statusCount = c.count();
    LOG.debug("{}: mirrored status event {} of {} ({})", service, seq, origin, e.state());
    MerkleTree tree =
        MerkleTree.open(
            new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
    drainParked(origin, st, tree, timestamp);
  }

  /** The status log of {@code origin} as the store holds it. */
  private StatusLog statusLog(String origin, MirrorState st) {
    StatusLog log = statusLogs.get(origin);
    if (log == null || log.count() != st.statusCount) {
      log = new StatusLog();
      for (long i = 0; i < st.statusCount; i++) {
        byte[] b = status.get(StoreKeys.of(origin, EVENT_TAG).u64(i).build());
        try {
          log.apply(StatusEvent.decode(b));
        } catch (MalformedInputException | RuntimeException ex) {
          throw new IllegalStateException(
              "status event " + i + " of " + origin + " in the store cannot be replayed", ex);
        }
      }
      statusLogs.put(origin, log);
    }
    return log;
  }

  /**
   * Status is keyed by the log entry: the event must name the entry (leaf hash) and key (SPKI hash)
   * of the certificate it is about, as this cosigner mirrored them.
   */
  private Optional<String> entryIdFault(String origin, StatusEvent e) {
    byte[] b = status.get(StoreKeys.of(origin, ENTRY_ID_TAG).raw(e.certificateSha256()).build());
    if (b == null) {
      return Optional.of(
          "certificate " + Hex.encode(e.certificateSha256()) + " has no entry in the mirror");
    }
    Codec.Reader r = new Codec.Reader(b, "entry id");
    byte[] leaf = r.bytes();
    byte[] spki = r.bytes();
    r.end();
    if (!Arrays.equals(leaf, e.entryHash()) || !Arrays.equals(spki, e.spkiHash())) {
      return Optional.of(
          "the event names entry "
              + Hex.encode(e.entryHash())
              + " and key "
              + Hex.encode(e.spkiHash())
              + ", the mirror's entry of certificate "
              + Hex.encode(e.certificateSha256())
              + " is "
              + Hex.encode(leaf)
              + " with key "
              + Hex.encode(spki));
    }
    return Optional.empty();
  }

  private Optional<String> ownerOf(String origin, String certHash) {
    byte[] b = status.get(StoreKeys.of(origin, OWNER_TAG).raw(Hex.decode(certHash)).build());
    return b == null
        ? Optional.empty()
        : Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** This cosigner's status commitment after {@code count} events (count ≤ statusCount). */
  private StatusCommitment commitmentAt(String origin, long count) {
    if (count == 0) {
      return new StatusLog().commitment();
    }
    byte[] b = status.get(StoreKeys.of(origin, COMMITMENT_TAG).u64(count).build());
    Codec.Reader r = new Codec.Reader(b, "status commitment");
    StatusCommitment c = new StatusCommitment(count, r.bytes(), r.bytes());
    r.end();
    return c;
  }

  /**
   * Whether this cosigner can vouch for the policy the checkpoint names (docs/governance.md): empty
   * if it holds a chain verified from the genesis policy up to that serial with that hash, and the
   * policy applies from a position within the checkpoint; an empty string if it does not hold that
   * serial yet (park: the change may still be on its way); otherwise why it refuses ({@code
   * policy-unproven}).
   */
  private Optional<String> policyUnproven(Checkpoint body) {
    PolicyCommitment named;
    try {
      named = PolicyCommitment.find(body.extensions()).orElse(null);
    } catch (MalformedInputException e) {
      return Optional.of(e.getMessage());
    }
    if (named == null) {
      return Optional.of("it names no policy (no " + PolicyCommitment.PREFIX.trim() + " line)");
    }
    PolicyHistory h = checks.holder().history();
    if (h.bySerial(named.serial()).isEmpty()) {
      checks.holder().refresh();
      h = checks.holder().history();
    }
    Optional<PolicyHistory.Entry> held = h.bySerial(named.serial());
    if (held.isEmpty()) {
      return Optional.of("");
    }
    if (!Arrays.equals(held.get().policy().sha256(), named.policySha256())) {
      return Optional.of(
          "it names policy serial "
              + named.serial()
              + " with hash "
              + Hex.encode(named.policySha256())
              + ", the chain this cosigner verified has "
              + Hex.encode(held.get().policy().sha256()));
    }
    if (held.get().effectiveIndex() > body.size()) {
      return Optional.of(
          "it names policy serial "
              + named.serial()
              + ", in force from index "
              + held.get().effectiveIndex()
              + ", beyond its size "
              + body.size());
    }
    return Optional.empty();
  }

  /** Whether the checkpoint commits to more status events than this cosigner has mirrored. */
  private static boolean statusAhead(Checkpoint body, MirrorState st) {
    try {
      return StatusCommitment.find(body.extensions())
          .map(c -> c.count() > st.statusCount && st.statusTaintedFrom < 0)
          .orElse(false);
    } catch (MalformedInputException e) {
      return false; // refused in witness
    }
  }

  /** The status checks of {@code witness}: refuses and returns false if one fails. */
  private boolean statusAgrees(MirrorState st, Checkpoint body, String what) {
    StatusCommitment claimed;
    try {
      claimed = StatusCommitment.find(body.extensions()).orElse(null);
    } catch (MalformedInputException e) {
      refuse(Refusal.STATUS_MISMATCH, what, e.getMessage());
      return false;
    }
    if (claimed == null) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "it commits to no certificate status (no " + StatusCommitment.PREFIX.trim() + " line)");
      return false;
    }
    if (st.statusTaintedFrom >= 0 && claimed.count() > st.statusTaintedFrom) {
      refuse(
          Refusal.STATUS_TAINTED,
          what,
          "it commits to "
              + claimed.count()
              + " status events; the status log is tainted from event "
              + st.statusTaintedFrom
              + ": "
              + st.statusTaintReason);
      return false;
    }
    if (claimed.count() > st.statusCount) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "it commits to " + claimed.count() + " status events, the mirror has " + st.statusCount);
      return false;
    }
    if (claimed.count() < st.lastCosignedStatusCount) {
      refuse(
          Refusal.STATUS_ROLLBACK,
          what,
          "it commits to "
              + claimed.count()
              + " status events; this cosigner already cosigned a checkpoint committing to "
              + st.lastCosignedStatusCount
              + " (the status log never shrinks: a checkpoint from before a revocation?)");
      return false;
    }
    StatusCommitment mine = commitmentAt(body.origin(), claimed.count());
    if (!mine.equals(claimed)) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "the checkpoint says '"
              + claimed.extensionLine()
              + "', this cosigner's status log gives '"
              + mine.extensionLine()
              + "'");
      return false;
    }
    return true;
  }

  private void taintStatus(MirrorState st, String origin, long seq, String reason) {
    taintStatus(st, origin, seq, Fault.INVALID, reason);
  }

  private void taintStatus(MirrorState st, String origin, long seq, String tag, String reason) {
    counters.count(
        "tainted-status-events", "Status events that failed the cosigner's checks", "reason", tag);
    if (st.taintStatus(seq, reason)) {
      LOG.warn(
          "{}: the status log of {} is tainted from event {}: {}; no checkpoint committing to it"
              + " will be cosigned",
          service,
          origin,
          seq,
          reason);
    } else {
      LOG.warn(
          "{}: status log of {}: {} (already tainted from {})",
          service,
          origin,
          reason,
          st.statusTaintedFrom);
    }
  }

  private static byte[] bodyHash(Checkpoint body) {
    return Sha256.hash(body.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  // ---- output ----------------------------------------------------------------------------------

  private Cosignature subtreeCosignature(String origin, Subtree s, byte[] hash) {
    byte[] sig = mlDsa.signSubtree(origin, s.start(), s.end(), hash);
    return Cosignature.newBuilder()
        .setCosigner(org)
        .setOrigin(origin)
        .setKind(CosignatureKind.SUBTREE)
        .setStart(s.start())
        .setEnd(s.end())
        .setHash(Evidence.buffer(hash))
        .setTimestamp(0)
        .setLines(List.of(SignatureLines.subtreeLine(mlDsa.name(), mlDsa.keyId(), sig)))
        .build();
  }

  private void forward(Cosignature c, long timestamp) {
    context.forward(
        new Record<String, SpecificRecord>(c.getOrigin(), c, timestamp),
        CosignerTopology.COSIGNATURES_SINK);
  }

  private void refuse(Refusal reason, String what, String detail) {
    counters.count(
        "refused-checkpoints",
        "Checkpoints this cosigner refused to cosign, by reason",
        "reason",
        reason.tag());
    LOG.warn("{}: refusing to cosign {} ({}): {}", service, what, reason.tag(), detail);
  }

  private void refuseLandmark(Refusal reason, String what, String detail) {
    counters.count(
        "refused-landmarks",
        "Landmarks this cosigner refused to sign, by reason",
        "reason",
        reason.tag());
    LOG.warn("{}: refusing to sign {} ({}): {}", service, what, reason.tag(), detail);
  }

  private void warnNoMlDsa(String what) {
    if (!warnedNoMlDsa) {
      warnedNoMlDsa = true;
      LOG.warn("{}: this cosigner has no ML-DSA-44 key, so it signs no {}", service, what);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private boolean isOurLog(String origin, String what) {
    if (origin.equals(policy.log().origin())) {
      return true;
    }
    LOG.warn(
        "{}: ignoring {} of {}: not the log of the trust policy ({})",
        service,
        what,
        origin,
        policy.log().origin());
    return false;
  }

  private MirrorState state(String origin) {
    byte[] b = states.get(origin);
    return b == null ? new MirrorState() : MirrorState.decode(b);
  }
}
