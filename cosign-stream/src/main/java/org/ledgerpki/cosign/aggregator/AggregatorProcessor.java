package org.ledgerpki.cosign.aggregator;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.cosign.landmarks.LandmarkAllocation;
import org.ledgerpki.cosign.landmarks.PendingLandmark;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.CosignatureCheck;
import org.ledgerpki.cosign.witness.Covering;
import org.ledgerpki.cosign.witness.SignatureLines;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.StoreKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator and landmark allocator: collects valid cosignatures, publishes each checkpoint
 * once it has {@code m} distinct cosigners, allocates landmarks from the cosigned checkpoints and
 * publishes each landmark again once {@code m} cosigners agree on every one of its subtrees. See
 * {@link AggregatorTopology}.
 */
final class AggregatorProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorProcessor.class);
  private static final String SERVICE = "aggregator";
  private static final int CHECKPOINT_TAG = 'C';
  private static final int PENDING_TAG = 'Q';
  private static final int SUBTREE_TAG = 'S';
  private static final int LANDMARK_TAG = 'L';

  private final PolicyHolder holder;
  private final Topics topics;
  private final Clock clock;
  private final CheckpointCheck checkpointCheck;
  private final java.util.Map<TrustPolicy, CosignatureCheck> cosignatureChecks =
      new java.util.IdentityHashMap<>();
  private final LandmarkAllocation landmarkAllocation;
  private final Deserializer<org.ledgerpki.schemas.avro.Checkpoint> checkpointReader;
  private final Deserializer<Cosignature> cosignatureReader;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> states;
  private KeyValueStore<Bytes, byte[]> checkpoints;
  private KeyValueStore<Bytes, byte[]> cosignatures;
  private KeyValueStore<Bytes, byte[]> landmarks;
  private LedgerCounters counters;
  private DeadLetterOut dlq;

  AggregatorProcessor(
      PolicyHolder holder, Topics topics, Clock clock, CheckpointCheck checkpointCheck) {
    this.holder = holder;
    TrustPolicy policy = holder.latest();
    this.topics = topics;
    this.clock = clock;
    this.checkpointCheck = checkpointCheck;
    this.landmarkAllocation = new LandmarkAllocation(policy.landmarkInterval());
    this.checkpointReader = topics.checkpoints().valueSerde().deserializer();
    this.cosignatureReader = topics.cosignatures().valueSerde().deserializer();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.states = context.getStateStore(AggregatorTopology.STATE);
    this.checkpoints = context.getStateStore(AggregatorTopology.CHECKPOINTS);
    this.cosignatures = context.getStateStore(AggregatorTopology.COSIGNATURES);
    this.landmarks = context.getStateStore(AggregatorTopology.LANDMARKS);
    this.counters =
        new LedgerCounters(
            context.metrics(), AggregatorTopology.METRICS_SCOPE, context.applicationId());
    this.dlq =
        new DeadLetterOut(
            context,
            SERVICE,
            clock,
            LOG,
            (r, kind, letter) -> {
              counters.count("dead-letters", "Records the aggregator could not read");
              context.forward(
                  new Record<String, SpecificRecord>(
                      letter.getSourceTopic(), letter, r.timestamp()),
                  AggregatorTopology.DLQ_SINK);
            });
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    if (topic.equals(topics.checkpoints().name())) {
      org.ledgerpki.schemas.avro.Checkpoint c =
          dlq.decode(record, checkpointReader, topic, "a Checkpoint");
      if (c != null) {
        onCheckpoint(c, record.timestamp());
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

  // ---- checkpoints -----------------------------------------------------------------------------

  private void onCheckpoint(org.ledgerpki.schemas.avro.Checkpoint c, long timestamp) {
    String origin = c.getOrigin();
    String what = "checkpoint of size " + c.getSize() + " of " + origin;
    Checkpoint body;
    try {
      body = checkpointCheck.open(c);
    } catch (CheckpointCheck.Rejected e) {
      counters.count(
          "ignored-checkpoints",
          "Checkpoints the aggregator ignored, by reason",
          "reason",
          e.reason().tag());
      LOG.warn("{}: ignoring {} ({}): {}", SERVICE, what, e.reason().tag(), e.getMessage());
      return;
    }
    AggregatorState st = state(origin);
    if (body.size() < st.publishedSize) {
      LOG.debug("{}: {} is older than the cosigned size {}", SERVICE, what, st.publishedSize);
      return;
    }
    byte[] bodyHash = bodyHash(body);
    Bytes key = checkpointKey(origin, body.size(), body.rootHash(), bodyHash);
    if (checkpoints.get(key) != null) {
      return;
    }
    CheckpointEntry entry =
        new CheckpointEntry(c.getPreviousSize(), c.getNote(), c.getTimestamp().toEpochMilli());
    // Cosignatures that arrived before the checkpoint.
    List<KeyValue<Bytes, byte[]>> waiting = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        cosignatures.prefixScan(
            StoreKeys.of(origin, PENDING_TAG)
                .u64(body.size())
                .raw(body.rootHash())
                .raw(bodyHash)
                .build(),
            Serdes.Bytes().serializer())) {
      it.forEachRemaining(waiting::add);
    }
    for (KeyValue<Bytes, byte[]> kv : waiting) {
      cosignatures.delete(kv.key);
      Cosignature pending;
      try {
        pending = Cosignature.fromByteBuffer(ByteBuffer.wrap(kv.value));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("corrupt pending cosignature in a state store", e);
      }
      addCheckpointCosignature(entry, body, pending);
    }
    checkpoints.put(key, entry.encode());
    maybePublish(st, body, entry, key, timestamp);
    states.put(origin, st.encode());
  }

  // ---- cosignatures ----------------------------------------------------------------------------

  private void onCosignature(Cosignature c, long timestamp) {
    String origin = c.getOrigin();
    if (!origin.equals(checkpointCheck.origin())) {
      invalid(c, "its origin is not the trust policy's log " + checkpointCheck.origin());
      return;
    }
    if (c.getKind() == CosignatureKind.CHECKPOINT) {
      onCheckpointCosignature(c, timestamp);
    } else {
      onSubtreeCosignature(c, timestamp);
    }
  }

  private void onCheckpointCosignature(Cosignature c, long timestamp) {
    String origin = c.getOrigin();
    byte[] root = Evidence.bytes(c.getHash());
    if (root.length != 32 || c.getEnd() < 0) {
      invalid(c, "malformed: end " + c.getEnd() + ", hash of " + root.length + " bytes");
      return;
    }
    AggregatorState st = state(origin);
    if (c.getEnd() < st.publishedSize) {
      LOG.debug(
          "{}: late cosignature of {} on size {} (cosigned size {})",
          SERVICE,
          c.getCosigner(),
          c.getEnd(),
          st.publishedSize);
      return;
    }
    byte[] bodyHash = Evidence.bytes(c.getBodySha256());
    if (bodyHash == null || bodyHash.length != 32) {
      invalid(c, "a CHECKPOINT cosignature names the SHA-256 of the checkpoint body it cosigns");
      return;
    }
    Bytes key = checkpointKey(origin, c.getEnd(), root, bodyHash);
    byte[] stored = checkpoints.get(key);
    if (stored == null) {
      // The checkpoint is on another topic and may come later: keep the cosignature until then.
      try {
        cosignatures.put(
            StoreKeys.of(origin, PENDING_TAG)
                .u64(c.getEnd())
                .raw(root)
                .raw(bodyHash)
                .string(c.getCosigner())
                .build(),
            toBytes(c));
      } catch (IllegalArgumentException e) {
        invalid(c, e.getMessage());
      }
      return;
    }
    CheckpointEntry entry = CheckpointEntry.decode(stored);
    Checkpoint body = body(entry);
    addCheckpointCosignature(entry, body, c);
    checkpoints.put(key, entry.encode());
    maybePublish(st, body, entry, key, timestamp);
    states.put(origin, st.encode());
  }

  /** The cosignature check of {@code policy} (its cosigners' keys). */
  private CosignatureCheck cosignatureCheck(TrustPolicy policy) {
    return cosignatureChecks.computeIfAbsent(policy, CosignatureCheck::new);
  }

  /**
   * The policy a checkpoint names (docs/governance.md), if this aggregator holds it with that hash:
   * its cosigners' keys and {@code m} count the checkpoint's cosignatures (cosigner keys rotate by
   * governance). Empty if the checkpoint names none or one the verified chain does not hold.
   */
  private Optional<TrustPolicy> named(Checkpoint body) {
    PolicyCommitment c;
    try {
      c = PolicyCommitment.find(body.extensions()).orElse(null);
    } catch (org.ledgerpki.core.MalformedInputException e) {
      return Optional.empty();
    }
    if (c == null) {
      return Optional.empty();
    }
    if (holder.history().bySerial(c.serial()).isEmpty()) {
      holder.refresh();
    }
    return holder.history().bySerial(c.serial()).map(PolicyHistory.Entry::policy).filter(c::names);
  }

  private void addCheckpointCosignature(CheckpointEntry entry, Checkpoint body, Cosignature c) {
    Optional<TrustPolicy> policy = named(body);
    if (policy.isEmpty()) {
      invalid(c, "the checkpoint names a policy this aggregator cannot verify");
      return;
    }
    try {
      cosignatureCheck(policy.get()).checkCheckpoint(c, body.body(), body.size(), body.rootHash());
    } catch (CosignatureCheck.Invalid e) {
      invalid(c, e.getMessage());
      return;
    }
    entry.take(c.getCosigner(), c.getLines(), c.getTimestamp());
  }

  private void onSubtreeCosignature(Cosignature c, long timestamp) {
    byte[] signature;
    try {
      signature = cosignatureCheck(holder.latest()).checkSubtree(c);
    } catch (CosignatureCheck.Invalid e) {
      invalid(c, e.getMessage());
      return;
    }
    String origin = c.getOrigin();
    byte[] hash = Evidence.bytes(c.getHash());
    cosignatures.put(
        subtreeKey(origin, c.getEnd(), c.getStart()).raw(hash).string(c.getCosigner()).build(),
        new Codec.Writer().string(c.getCosigner()).bytes(hash).bytes(signature).toByteArray());
    AggregatorState st = state(origin);
    boolean completed = false;
    for (KeyValue<Bytes, PendingLandmark> l : pendingLandmarks(origin)) {
      if (l.value.subtrees().contains(new Subtree(c.getStart(), c.getEnd()))) {
        completed |= tryComplete(origin, l.key, l.value, timestamp);
      }
    }
    if (completed) {
      prune(origin, st);
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

  // ---- cosigned checkpoints --------------------------------------------------------------------

  private void maybePublish(
      AggregatorState st, Checkpoint body, CheckpointEntry entry, Bytes key, long timestamp) {
    Optional<TrustPolicy> named = named(body);
    if (named.isEmpty()) {
      return;
    }
    int m = named.get().cosignerQuorum();
    boolean heartbeat = entry.published && entry.refreshed.size() >= m;
    if (entry.published && !heartbeat || entry.cosignatures.size() < m) {
      return;
    }
    String origin = body.origin();
    Note note;
    try {
      note = Note.parse(entry.note);
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a stored checkpoint note no longer parses", e);
    }
    for (List<String> lines : entry.cosignatures.values()) {
      for (String line : lines) {
        try {
          note = note.withSignature(SignatureLines.parse(line));
        } catch (MalformedInputException e) {
          throw new IllegalStateException("a verified cosignature line no longer parses", e);
        }
      }
    }
    List<SignedSubtree> subtrees = new ArrayList<>();
    for (Subtree s : Covering.subtrees(entry.previousSize, body.size())) {
      subtrees.add(signedSubtree(origin, s, entry.cosignatures.keySet(), 0));
    }
    CosignedCheckpoint out =
        CosignedCheckpoint.newBuilder()
            .setOrigin(origin)
            .setSize(body.size())
            .setRootHash(Evidence.buffer(body.rootHash()))
            .setPreviousSize(entry.previousSize)
            .setNote(note.format())
            .setCosigners(List.copyOf(entry.cosignatures.keySet()))
            .setSubtrees(subtrees)
            .setPublishedAt(clock.instant())
            .build();
    context.forward(
        new Record<String, SpecificRecord>(origin, out, timestamp),
        AggregatorTopology.COSIGNED_SINK);
    entry.published = true;
    entry.refreshed.clear();
    checkpoints.put(key, entry.encode());
    if (heartbeat) {
      counters.count(
          "recosigned-checkpoints", "Cosigned checkpoints published again with fresh cosignatures");
      LOG.debug(
          "{}: published the checkpoint of size {} of {} again, re-cosigned by {}",
          SERVICE,
          body.size(),
          origin,
          entry.cosignatures.keySet());
      // A heartbeat is a cosigned checkpoint of now: in quiet periods it is what lets a landmark
      // window close and a landmark cover the entries admitted before it.
      allocateLandmark(st, origin, body.size(), clock.millis(), timestamp);
      prune(origin, st);
      return;
    }
    counters.count("cosigned-checkpoints", "Cosigned checkpoints published");
    counters.touch(
        "cosigned-checkpoint", "Seconds since the aggregator last published a cosigned checkpoint");
    LOG.info(
        "{}: published the cosigned checkpoint of size {} of {} with cosigners {}",
        SERVICE,
        body.size(),
        origin,
        entry.cosignatures.keySet());
    st.publishedSize = Math.max(st.publishedSize, body.size());
    allocateLandmark(st, origin, body.size(), entry.timestampMillis, timestamp);
    prune(origin, st);
  }

  /**
   * Subtree {@code s} with the signatures collected on it. The hash is the one signed by the most
   * cosigners of {@code preferred} (those who cosigned the checkpoint), then by the most cosigners;
   * with {@code quorum > 0} only a hash signed by at least that many cosigners is taken. Without
   * such a hash the subtree has an empty hash and no signatures.
   */
  private SignedSubtree signedSubtree(String origin, Subtree s, Set<String> preferred, int quorum) {
    Map<String, TreeMap<String, byte[]>> byHash = new HashMap<>();
    Map<String, byte[]> hashes = new HashMap<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        cosignatures.prefixScan(
            subtreeKey(origin, s.end(), s.start()).build(), Serdes.Bytes().serializer())) {
      while (it.hasNext()) {
        Codec.Reader r = new Codec.Reader(it.next().value, "subtree signature");
        String cosigner = r.string();
        byte[] hash = r.bytes();
        byte[] sig = r.bytes();
        r.end();
        String hex = Hex.encode(hash);
        hashes.put(hex, hash);
        byHash.computeIfAbsent(hex, h -> new TreeMap<>()).put(cosigner, sig);
      }
    }
    Comparator<String> order =
        Comparator.<String>comparingLong(
                h -> byHash.get(h).keySet().stream().filter(preferred::contains).count())
            .thenComparingInt(h -> byHash.get(h).size())
            .reversed()
            .thenComparing(Comparator.naturalOrder());
    Optional<String> best =
        byHash.keySet().stream()
            .filter(h -> byHash.get(h).size() >= quorum)
            .sorted(order)
            .findFirst();
    if (byHash.size() > 1) {
      LOG.warn(
          "{}: cosigners disagree on the hash of subtree {} of {}: {}",
          SERVICE,
          s,
          origin,
          byHash.entrySet().stream()
              .map(e -> e.getKey() + " by " + e.getValue().keySet())
              .toList());
    }
    List<SubtreeSignature> sigs = new ArrayList<>();
    byte[] hash = new byte[0];
    if (best.isPresent()) {
      hash = hashes.get(best.get());
      for (Map.Entry<String, byte[]> e : byHash.get(best.get()).entrySet()) {
        // A cosigner removed by governance since it signed is left out (it used to crash the
        // stream here): relying parties on the newer policy would not count it anyway.
        Optional<TrustPolicy.CosignerIdentity> cosigner =
            holder.latest().member(e.getKey()).map(TrustPolicy.Member::cosigner);
        if (cosigner.isEmpty()) {
          continue;
        }
        sigs.add(
            SubtreeSignature.newBuilder()
                .setCosigner(e.getKey())
                .setCosignerId(cosigner.get().trustAnchorId())
                .setSignature(Evidence.buffer(e.getValue()))
                .build());
      }
    }
    return SignedSubtree.newBuilder()
        .setStart(s.start())
        .setEnd(s.end())
        .setHash(Evidence.buffer(hash))
        .setSignatures(sigs)
        .build();
  }

  // ---- landmarks -------------------------------------------------------------------------------

  private void allocateLandmark(
      AggregatorState st, String origin, long size, long checkpointMillis, long timestamp) {
    Optional<LandmarkAllocation.Next> next =
        landmarkAllocation.next(
            st.lastLandmarkNumber,
            st.lastLandmarkSize,
            st.lastLandmarkWindow,
            size,
            checkpointMillis);
    if (next.isEmpty()) {
      return;
    }
    LandmarkAllocation.Next n = next.get();
    List<Subtree> subtrees = n.subtrees();
    PendingLandmark pending =
        new PendingLandmark(
            n.number(), n.treeSize(), n.previousTreeSize(), checkpointMillis, subtrees);
    List<SignedSubtree> unsigned = new ArrayList<>();
    for (Subtree s : subtrees) {
      unsigned.add(
          SignedSubtree.newBuilder()
              .setStart(s.start())
              .setEnd(s.end())
              .setHash(ByteBuffer.allocate(0))
              .setSignatures(List.of())
              .build());
    }
    context.forward(
        new Record<String, SpecificRecord>(
            origin, landmark(origin, pending, LandmarkState.ALLOCATED, unsigned), timestamp),
        AggregatorTopology.LANDMARKS_SINK);
    st.lastLandmarkNumber = n.number();
    st.lastLandmarkSize = n.treeSize();
    st.lastLandmarkWindow = n.window();
    counters.count("allocated-landmarks", "Landmarks allocated");
    LOG.info(
        "{}: allocated landmark {} of {}: tree size {}, subtrees {}",
        SERVICE,
        n.number(),
        origin,
        n.treeSize(),
        subtrees);
    Bytes key = StoreKeys.of(origin, LANDMARK_TAG).u64(n.number()).build();
    landmarks.put(key, pending.encode());
    tryComplete(origin, key, pending, timestamp);
  }

  /** Publishes {@code l} as COSIGNED if each of its subtrees has a quorum; true if it did. */
  private boolean tryComplete(String origin, Bytes key, PendingLandmark l, long timestamp) {
    int m = holder.latest().cosignerQuorum();
    List<SignedSubtree> signed = new ArrayList<>();
    for (Subtree s : l.subtrees()) {
      SignedSubtree ss = signedSubtree(origin, s, Set.of(), m);
      if (ss.getSignatures().size() < m) {
        return false;
      }
      signed.add(ss);
    }
    context.forward(
        new Record<String, SpecificRecord>(
            origin, landmark(origin, l, LandmarkState.COSIGNED, signed), timestamp),
        AggregatorTopology.LANDMARKS_SINK);
    landmarks.delete(key);
    counters.count("cosigned-landmarks", "Landmarks published with a quorum of signatures");
    Set<String> who = new HashSet<>();
    signed.forEach(ss -> ss.getSignatures().forEach(x -> who.add(x.getCosigner())));
    LOG.info(
        "{}: landmark {} of {} (size {}) is cosigned by {}",
        SERVICE,
        l.number(),
        origin,
        l.treeSize(),
        new java.util.TreeSet<>(who));
    return true;
  }

  private Landmark landmark(
      String origin, PendingLandmark l, LandmarkState state, List<SignedSubtree> subtrees) {
    return Landmark.newBuilder()
        .setOrigin(origin)
        .setNumber(l.number())
        .setTreeSize(l.treeSize())
        .setPreviousTreeSize(l.previousTreeSize())
        .setState(state)
        .setSubtrees(subtrees)
        .setAllocatedAt(Instant.ofEpochMilli(l.allocatedAtMillis()))
        .build();
  }

  private List<KeyValue<Bytes, PendingLandmark>> pendingLandmarks(String origin) {
    List<KeyValue<Bytes, PendingLandmark>> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        landmarks.prefixScan(
            StoreKeys.of(origin, LANDMARK_TAG).build(), Serdes.Bytes().serializer())) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        out.add(KeyValue.pair(kv.key, PendingLandmark.decode(kv.value)));
      }
    }
    return out;
  }

  // ---- housekeeping ----------------------------------------------------------------------------

  /**
   * Forgets what no later output can use: checkpoints (and cosignatures waiting for them) below the
   * cosigned size, and subtree signatures that end at or below every interval a later cosigned
   * checkpoint or landmark can cover. A checkpoint still held (the cosigned one included: a
   * heartbeat publishes it again with the subtrees of its {@code [previousSize, size)}) keeps the
   * signatures of the subtrees that cover its interval.
   */
  private void prune(String origin, AggregatorState st) {
    if (st.publishedSize <= 0) {
      return;
    }
    deleteRange(
        checkpoints,
        StoreKeys.of(origin, CHECKPOINT_TAG).u64(0).build(),
        StoreKeys.of(origin, CHECKPOINT_TAG).u64(st.publishedSize).build());
    deleteRange(
        cosignatures,
        StoreKeys.of(origin, PENDING_TAG).u64(0).build(),
        StoreKeys.of(origin, PENDING_TAG).u64(st.publishedSize).build());
    long bound = Math.min(st.publishedSize, st.lastLandmarkSize);
    for (KeyValue<Bytes, PendingLandmark> l : pendingLandmarks(origin)) {
      bound = Math.min(bound, l.value.previousTreeSize());
    }
    try (KeyValueIterator<Bytes, byte[]> it =
        checkpoints.prefixScan(
            StoreKeys.of(origin, CHECKPOINT_TAG).build(), Serdes.Bytes().serializer())) {
      while (it.hasNext()) {
        bound = Math.min(bound, CheckpointEntry.decode(it.next().value).previousSize);
      }
    }
    if (bound > 0) {
      // Keys of subtrees ending at bound + 1 are longer than this bound, so they stay.
      deleteRange(
          cosignatures,
          StoreKeys.of(origin, SUBTREE_TAG).u64(0).build(),
          StoreKeys.of(origin, SUBTREE_TAG).u64(bound + 1).build());
    }
  }

  private static void deleteRange(KeyValueStore<Bytes, byte[]> store, Bytes from, Bytes to) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(store::delete);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /**
   * Checkpoints of one size and root may differ in their extension lines (the status commitment
   * grows without the tree), so the body's hash is part of the key.
   */
  private static Bytes checkpointKey(String origin, long size, byte[] root, byte[] bodyHash) {
    return StoreKeys.of(origin, CHECKPOINT_TAG).u64(size).raw(root).raw(bodyHash).build();
  }

  private static byte[] bodyHash(Checkpoint body) {
    return org.ledgerpki.core.Sha256.hash(
        body.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static StoreKeys subtreeKey(String origin, long end, long start) {
    return StoreKeys.of(origin, SUBTREE_TAG).u64(end).u64(start);
  }

  private static Checkpoint body(CheckpointEntry entry) {
    try {
      return Checkpoint.fromNote(Note.parse(entry.note));
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a stored checkpoint note no longer parses", e);
    }
  }

  private static byte[] toBytes(Cosignature c) {
    try {
      ByteBuffer b = c.toByteBuffer();
      return Evidence.bytes(b);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot encode the cosignature: " + e.getMessage(), e);
    }
  }

  private AggregatorState state(String origin) {
    byte[] b = states.get(origin);
    return b == null ? new AggregatorState() : AggregatorState.decode(b);
  }
}
