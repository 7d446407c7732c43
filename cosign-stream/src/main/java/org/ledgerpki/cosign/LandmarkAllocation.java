package org.ledgerpki.cosign;

import java.time.Duration;
import java.util.Optional;

/**
 * The MTC draft's recommended landmark allocation ("Allocating Landmarks"): time is cut into
 * consecutive windows of {@code time_between_landmarks}, and at most once per window the latest
 * checkpoint's tree size is appended to the landmark sequence if it is greater than the last
 * landmark's. Landmark 0 has size 0 implicitly; allocated landmarks are numbered from 1.
 *
 * <p>Time is the checkpoint's own timestamp, not the wall clock, so that replaying the same
 * cosigned checkpoints allocates the same landmarks. Pure functions.
 */
final class LandmarkAllocation {
  private LandmarkAllocation() {}

  /** A landmark to allocate. */
  record Next(long number, long treeSize, long previousTreeSize, long window) {}

  /**
   * The landmark that a cosigned checkpoint of {@code size} at {@code timestampMillis} allocates,
   * if any.
   *
   * @param lastNumber the last landmark's number (0 if none was allocated)
   * @param lastSize the last landmark's tree size (0 if none)
   * @param lastWindow the window of the last allocation ({@code Long.MIN_VALUE} if none)
   * @param interval {@code time_between_landmarks}; positive
   */
  static Optional<Next> next(
      long lastNumber,
      long lastSize,
      long lastWindow,
      long size,
      long timestampMillis,
      Duration interval) {
    long window = Math.floorDiv(timestampMillis, Math.max(1, interval.toMillis()));
    if (window <= lastWindow || size <= lastSize) {
      return Optional.empty();
    }
    return Optional.of(new Next(lastNumber + 1, size, lastSize, window));
  }
}
