package org.ledgerpki.cosign.parking;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.streams.store.StoreKeys;

/**
 * The parking lot of records that arrived before the mirror could handle them (checkpoints and
 * landmarks beyond the mirror, checkpoints naming a policy change not read yet), over the {@code
 * cosigner-parked} store: keyed by (origin, size, arrival), so they come out in size order and, for
 * equal sizes, in arrival order. One per processor instance.
 */
public final class ParkingLot {
  private static final int PARKED_TAG = 'P';

  private final KeyValueStore<Bytes, byte[]> parked;

  /** What the cosigner does with a parked record the mirror has caught up with. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Handles {@code p} if it no longer waits, calling {@code release} (which takes it out of the
     * lot) before acting on it; does nothing if it still waits (it stays parked).
     */
    void handle(Parked p, Runnable release);
  }

  public ParkingLot(KeyValueStore<Bytes, byte[]> parked) {
    this.parked = parked;
  }

  /** Parks {@code p}; takes its arrival number from {@code st}, to be saved by the caller. */
  public void park(MirrorState st, Parked p) {
    parked.put(
        StoreKeys.of(p.origin(), PARKED_TAG).u64(p.size()).u64(st.parkSeq++).build(), p.encode());
  }

  /** Whether any record of {@code origin} is parked. */
  public boolean any(String origin) {
    try (KeyValueIterator<Bytes, byte[]> it =
        parked.range(
            StoreKeys.of(origin, PARKED_TAG).u64(0).u64(0).build(),
            StoreKeys.of(origin, PARKED_TAG).u64(Long.MAX_VALUE).u64(Long.MAX_VALUE).build())) {
      return it.hasNext();
    }
  }

  /**
   * Hands {@code handler}, in order, the parked records of {@code origin} about a size up to {@code
   * mirrorSize}, the size the mirror has reached.
   */
  public void drain(String origin, long mirrorSize, Handler handler) {
    List<KeyValue<Bytes, byte[]>> ready = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        parked.range(
            StoreKeys.of(origin, PARKED_TAG).u64(0).u64(0).build(),
            StoreKeys.of(origin, PARKED_TAG).u64(mirrorSize).u64(Long.MAX_VALUE).build())) {
      it.forEachRemaining(ready::add);
    }
    for (KeyValue<Bytes, byte[]> kv : ready) {
      handler.handle(Parked.decode(kv.value), () -> parked.delete(kv.key));
    }
  }
}
