package org.ledgerpki.cosign.aggregator;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.cosign.landmarks.LandmarkAllocation;
import org.ledgerpki.cosign.landmarks.PendingLandmark;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The landmark allocator: allocates landmarks from the cosigned checkpoints ({@link
 * LandmarkAllocation}) and publishes each one ALLOCATED (its covering subtrees, empty hashes, no
 * signatures), then again COSIGNED once {@code m} distinct cosigners signed each of its subtrees
 * with the same hash. One per processor instance.
 */
final class LandmarkPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(LandmarkPublisher.class);

  private final AggregatorStores stores;
  private final SubtreeSignatures subtrees;
  private final PolicyHolder holder;
  private final LandmarkAllocation allocation;
  private final LedgerCounters counters;
  private final ObjLongConsumer<Landmark> forward;

  /**
   * @param forward publishes a landmark with the timestamp of the record that caused it
   */
  LandmarkPublisher(
      AggregatorStores stores,
      SubtreeSignatures subtrees,
      PolicyHolder holder,
      LandmarkAllocation allocation,
      LedgerCounters counters,
      ObjLongConsumer<Landmark> forward) {
    this.stores = stores;
    this.subtrees = subtrees;
    this.holder = holder;
    this.allocation = allocation;
    this.counters = counters;
    this.forward = forward;
  }

  /**
   * Allocates the landmark that a cosigned checkpoint of {@code size} at {@code checkpointMillis}
   * allocates, if any, and publishes it; records it in {@code st}, saved by the caller.
   */
  void allocate(
      AggregatorState st, String origin, long size, long checkpointMillis, long timestamp) {
    Optional<LandmarkAllocation.Next> next =
        allocation.next(
            st.lastLandmarkNumber,
            st.lastLandmarkSize,
            st.lastLandmarkWindow,
            size,
            checkpointMillis);
    if (next.isEmpty()) {
      return;
    }
    LandmarkAllocation.Next n = next.get();
    List<Subtree> covering = n.subtrees();
    PendingLandmark pending =
        new PendingLandmark(
            n.number(), n.treeSize(), n.previousTreeSize(), checkpointMillis, covering);
    List<SignedSubtree> unsigned = new ArrayList<>();
    for (Subtree s : covering) {
      unsigned.add(
          SignedSubtree.newBuilder()
              .setStart(s.start())
              .setEnd(s.end())
              .setHash(ByteBuffer.allocate(0))
              .setSignatures(List.of())
              .build());
    }
    forward.accept(landmark(origin, pending, LandmarkState.ALLOCATED, unsigned), timestamp);
    st.lastLandmarkNumber = n.number();
    st.lastLandmarkSize = n.treeSize();
    st.lastLandmarkWindow = n.window();
    counters.count("allocated-landmarks", "Landmarks allocated");
    LOG.info(
        "{}: allocated landmark {} of {}: tree size {}, subtrees {}",
        AggregatorProcessor.SERVICE,
        n.number(),
        origin,
        n.treeSize(),
        covering);
    Bytes key = AggregatorStores.landmarkKey(origin, n.number());
    stores.putLandmark(key, pending);
    tryComplete(origin, key, pending, timestamp);
  }

  /**
   * Publishes as COSIGNED the landmarks of {@code origin} waiting for a quorum on subtree {@code
   * [start, end)} that now have one on each of their subtrees; true if it published any.
   */
  boolean subtreeSigned(String origin, long start, long end, long timestamp) {
    boolean completed = false;
    for (KeyValue<Bytes, PendingLandmark> l : stores.pendingLandmarks(origin)) {
      if (l.value.subtrees().contains(new Subtree(start, end))) {
        completed |= tryComplete(origin, l.key, l.value, timestamp);
      }
    }
    return completed;
  }

  /** Publishes {@code l} as COSIGNED if each of its subtrees has a quorum; true if it did. */
  private boolean tryComplete(String origin, Bytes key, PendingLandmark l, long timestamp) {
    int m = holder.latest().cosignerQuorum();
    List<SignedSubtree> signed = new ArrayList<>();
    for (Subtree s : l.subtrees()) {
      SignedSubtree ss = subtrees.signed(origin, s, Set.of(), m);
      if (ss.getSignatures().size() < m) {
        return false;
      }
      signed.add(ss);
    }
    forward.accept(landmark(origin, l, LandmarkState.COSIGNED, signed), timestamp);
    stores.deleteLandmark(key);
    counters.count("cosigned-landmarks", "Landmarks published with a quorum of signatures");
    Set<String> who = new HashSet<>();
    signed.forEach(ss -> ss.getSignatures().forEach(x -> who.add(x.getCosigner())));
    LOG.info(
        "{}: landmark {} of {} (size {}) is cosigned by {}",
        AggregatorProcessor.SERVICE,
        l.number(),
        origin,
        l.treeSize(),
        new TreeSet<>(who));
    return true;
  }

  private static Landmark landmark(
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
}
