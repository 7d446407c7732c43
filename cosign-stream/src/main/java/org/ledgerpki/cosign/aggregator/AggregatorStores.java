package org.ledgerpki.cosign.aggregator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.cosign.landmarks.PendingLandmark;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.StoreKeys;

/**
 * The aggregator task's four state stores and their key layout: the {@link AggregatorState} of each
 * origin, the checkpoints with the cosignatures collected on them, the CHECKPOINT cosignatures
 * waiting for their checkpoint and the valid SUBTREE signatures, and the allocated landmarks
 * waiting for their quorum. Also forgets what no later output can use ({@link #prune}). One per
 * processor instance.
 */
final class AggregatorStores {
  private static final int CHECKPOINT_TAG = 'C';
  private static final int PENDING_TAG = 'Q';
  private static final int SUBTREE_TAG = 'S';
  private static final int LANDMARK_TAG = 'L';

  private final KeyValueStore<String, byte[]> states;
  private final KeyValueStore<Bytes, byte[]> checkpoints;
  private final KeyValueStore<Bytes, byte[]> cosignatures;
  private final KeyValueStore<Bytes, byte[]> landmarks;

  AggregatorStores(
      KeyValueStore<String, byte[]> states,
      KeyValueStore<Bytes, byte[]> checkpoints,
      KeyValueStore<Bytes, byte[]> cosignatures,
      KeyValueStore<Bytes, byte[]> landmarks) {
    this.states = states;
    this.checkpoints = checkpoints;
    this.cosignatures = cosignatures;
    this.landmarks = landmarks;
  }

  /** The saved state of {@code origin}, or a new one if none was saved. */
  AggregatorState state(String origin) {
    byte[] b = states.get(origin);
    return b == null ? new AggregatorState() : AggregatorState.decode(b);
  }

  void save(String origin, AggregatorState st) {
    states.put(origin, st.encode());
  }

  // ---- checkpoints -----------------------------------------------------------------------------

  /**
   * Checkpoints of one size and root may differ in their extension lines (the status commitment
   * grows without the tree), so the body's hash is part of the key.
   */
  static Bytes checkpointKey(String origin, long size, byte[] root, byte[] bodyHash) {
    return StoreKeys.of(origin, CHECKPOINT_TAG).u64(size).raw(root).raw(bodyHash).build();
  }

  /** Whether a checkpoint is held under {@code key}. */
  boolean hasCheckpoint(Bytes key) {
    return checkpoints.get(key) != null;
  }

  /** The checkpoint held under {@code key}, or null. */
  CheckpointEntry checkpoint(Bytes key) {
    byte[] b = checkpoints.get(key);
    return b == null ? null : CheckpointEntry.decode(b);
  }

  void putCheckpoint(Bytes key, CheckpointEntry entry) {
    checkpoints.put(key, entry.encode());
  }

  // ---- CHECKPOINT cosignatures waiting for their checkpoint ------------------------------------

  /**
   * Keeps {@code c}, a CHECKPOINT cosignature on (size, root, body hash) of a checkpoint not seen
   * yet, until it arrives.
   *
   * @throws IllegalArgumentException if it cannot be encoded
   */
  void putPending(Cosignature c, byte[] root, byte[] bodyHash) {
    cosignatures.put(
        StoreKeys.of(c.getOrigin(), PENDING_TAG)
            .u64(c.getEnd())
            .raw(root)
            .raw(bodyHash)
            .string(c.getCosigner())
            .build(),
        toBytes(c));
  }

  /** Removes and returns the cosignatures waiting for the checkpoint (size, root, body hash). */
  List<Cosignature> takePending(String origin, long size, byte[] root, byte[] bodyHash) {
    List<KeyValue<Bytes, byte[]>> waiting = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        cosignatures.prefixScan(
            StoreKeys.of(origin, PENDING_TAG).u64(size).raw(root).raw(bodyHash).build(),
            Serdes.Bytes().serializer())) {
      it.forEachRemaining(waiting::add);
    }
    List<Cosignature> out = new ArrayList<>();
    for (KeyValue<Bytes, byte[]> kv : waiting) {
      cosignatures.delete(kv.key);
      try {
        out.add(Cosignature.fromByteBuffer(ByteBuffer.wrap(kv.value)));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("corrupt pending cosignature in a state store", e);
      }
    }
    return out;
  }

  private static byte[] toBytes(Cosignature c) {
    try {
      ByteBuffer b = c.toByteBuffer();
      return Evidence.bytes(b);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot encode the cosignature: " + e.getMessage(), e);
    }
  }

  // ---- SUBTREE signatures ----------------------------------------------------------------------

  /** A valid signature by {@code cosigner} on a subtree with hash {@code hash}. */
  record SubtreeSignature(String cosigner, byte[] hash, byte[] signature) {}

  /** Keeps {@code sig}, a valid signature on the subtree {@code [start, end)} of {@code origin}. */
  void putSubtreeSignature(String origin, long start, long end, SubtreeSignature sig) {
    cosignatures.put(
        subtreeKey(origin, end, start).raw(sig.hash()).string(sig.cosigner()).build(),
        new Codec.Writer()
            .string(sig.cosigner())
            .bytes(sig.hash())
            .bytes(sig.signature())
            .toByteArray());
  }

  /** The valid signatures held on subtree {@code s} of {@code origin}, whatever their hash. */
  List<SubtreeSignature> subtreeSignatures(String origin, Subtree s) {
    List<SubtreeSignature> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        cosignatures.prefixScan(
            subtreeKey(origin, s.end(), s.start()).build(), Serdes.Bytes().serializer())) {
      while (it.hasNext()) {
        Codec.Reader r = new Codec.Reader(it.next().value, "subtree signature");
        String cosigner = r.string();
        byte[] hash = r.bytes();
        byte[] sig = r.bytes();
        r.end();
        out.add(new SubtreeSignature(cosigner, hash, sig));
      }
    }
    return out;
  }

  private static StoreKeys subtreeKey(String origin, long end, long start) {
    return StoreKeys.of(origin, SUBTREE_TAG).u64(end).u64(start);
  }

  // ---- landmarks waiting for their quorum ------------------------------------------------------

  static Bytes landmarkKey(String origin, long number) {
    return StoreKeys.of(origin, LANDMARK_TAG).u64(number).build();
  }

  void putLandmark(Bytes key, PendingLandmark l) {
    landmarks.put(key, l.encode());
  }

  void deleteLandmark(Bytes key) {
    landmarks.delete(key);
  }

  List<KeyValue<Bytes, PendingLandmark>> pendingLandmarks(String origin) {
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
  void prune(String origin, AggregatorState st) {
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
}
