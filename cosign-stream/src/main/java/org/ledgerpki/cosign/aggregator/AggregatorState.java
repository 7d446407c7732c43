package org.ledgerpki.cosign.aggregator;

import org.ledgerpki.streams.store.Codec;

/**
 * The aggregator's state for one log: the landmark sequence so far and the latest cosigned
 * checkpoint it published. Mutable; read from and written back to the {@code aggregator-state}
 * store within one record's processing.
 */
final class AggregatorState {
  private static final int FORMAT = 1;

  /**
   * Number of the last landmark allocated; 0 (the implicit landmark of size 0) before the first.
   */
  long lastLandmarkNumber;

  /** Tree size of the last landmark allocated; 0 before the first. */
  long lastLandmarkSize;

  /**
   * The landmark interval window of the last allocation; {@code Long.MIN_VALUE} before the first.
   */
  long lastLandmarkWindow = Long.MIN_VALUE;

  /** Size of the largest cosigned checkpoint published; -1 before the first. */
  long publishedSize = -1;

  byte[] encode() {
    return new Codec.Writer()
        .u8(FORMAT)
        .i64(lastLandmarkNumber)
        .i64(lastLandmarkSize)
        .i64(lastLandmarkWindow)
        .i64(publishedSize)
        .toByteArray();
  }

  static AggregatorState decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "aggregator state").format(FORMAT);
    AggregatorState s = new AggregatorState();
    s.lastLandmarkNumber = r.i64();
    s.lastLandmarkSize = r.i64();
    s.lastLandmarkWindow = r.i64();
    s.publishedSize = r.i64();
    r.end();
    return s;
  }
}
