package org.ledgerpki.cosign.landmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.mtc.LandmarkAllocator;
import org.ledgerpki.core.mtc.LandmarkSequence;

/**
 * The aggregator's landmark decisions, from the state it keeps per log (the last landmark's number
 * and size, the interval of the last allocation) and core's {@link LandmarkAllocator} (the MTC
 * draft's "Allocating Landmarks": at most once per {@code time_between_landmarks} interval, the
 * checkpoint's size if it is greater than the last landmark's) and {@link LandmarkSequence}
 * (numbering from landmark 0 of size 0, and the landmark subtrees).
 *
 * <p>Time is the cosigned checkpoint's own timestamp, not the wall clock, so that replaying the
 * same cosigned checkpoints allocates the same landmarks. Immutable.
 */
public final class LandmarkAllocation {
  private final LandmarkAllocator allocator;

  /** Requires a positive whole number of milliseconds. */
  public LandmarkAllocation(Duration timeBetweenLandmarks) {
    this.allocator = new LandmarkAllocator(timeBetweenLandmarks);
  }

  /** A landmark to allocate, with its landmark subtrees and the interval to remember. */
  public record Next(
      long number, long treeSize, long previousTreeSize, long window, List<Subtree> subtrees) {}

  /**
   * The landmark that a cosigned checkpoint of {@code size} at {@code timestampMillis} allocates,
   * if any. A size beyond {@link LandmarkSequence#MAX_TREE_SIZE} (2^48 - 1, the MTC limit) never
   * becomes a landmark.
   *
   * @param lastNumber the last landmark's number (0 if only landmark 0 exists)
   * @param lastSize the last landmark's tree size (0 for landmark 0)
   * @param lastWindow the interval of the last allocation ({@code Long.MIN_VALUE} if none)
   */
  public Optional<Next> next(
      long lastNumber, long lastSize, long lastWindow, long size, long timestampMillis) {
    Instant time = Instant.ofEpochMilli(timestampMillis);
    OptionalLong last =
        lastWindow == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(lastWindow);
    if (size > LandmarkSequence.MAX_TREE_SIZE
        || !allocator.shouldAllocate(last, lastSize, size, time)) {
      return Optional.empty();
    }
    LandmarkSequence sequence = LandmarkSequence.window(lastNumber, lastSize);
    long number = sequence.allocate(size);
    return Optional.of(
        new Next(
            number, size, lastSize, allocator.intervalOf(time), sequence.landmarkSubtrees(number)));
  }
}
