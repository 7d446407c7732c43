package org.ledgerpki.core.mtc;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The draft's recommended landmark allocation ("Allocating Landmarks") as a pure decision: time is
 * cut into consecutive intervals of {@code time_between_landmarks}, aligned to the Unix epoch
 * (interval {@code k} is {@code [k·t, (k+1)·t)}); at most once per interval, the latest
 * checkpoint's tree size becomes a landmark if it is greater than the last landmark's. The caller
 * keeps the state (the last landmark's size and the interval it was allocated in), so a replay of
 * the same checkpoints makes the same decisions. Immutable.
 */
public final class LandmarkAllocator {
  private final Duration timeBetweenLandmarks;
  private final long periodMillis;

  /**
   * An allocator with {@code time_between_landmarks} = {@code timeBetweenLandmarks}. Requires a
   * whole, positive number of milliseconds.
   *
   * @throws IllegalArgumentException otherwise
   */
  public LandmarkAllocator(Duration timeBetweenLandmarks) {
    Objects.requireNonNull(timeBetweenLandmarks, "timeBetweenLandmarks");
    if (timeBetweenLandmarks.toMillis() < 1
        || !Duration.ofMillis(timeBetweenLandmarks.toMillis()).equals(timeBetweenLandmarks)) {
      throw new IllegalArgumentException(
          "time_between_landmarks must be a positive whole number of milliseconds, got "
              + timeBetweenLandmarks);
    }
    this.timeBetweenLandmarks = timeBetweenLandmarks;
    this.periodMillis = timeBetweenLandmarks.toMillis();
  }

  /** {@code time_between_landmarks}. */
  public Duration timeBetweenLandmarks() {
    return timeBetweenLandmarks;
  }

  /** The interval {@code time} falls in: {@code floor(epochMillis / t)}. */
  public long intervalOf(Instant time) {
    return Math.floorDiv(time.toEpochMilli(), periodMillis);
  }

  /**
   * Whether to append {@code checkpointTreeSize} to the landmark sequence now.
   *
   * @param lastAllocationInterval the interval of the last allocation ({@link #intervalOf} of its
   *     checkpoint time), empty if no landmark but landmark 0 was allocated
   * @param lastLandmarkTreeSize the tree size of the last landmark (0 for landmark 0)
   * @param checkpointTreeSize the latest checkpoint's tree size
   * @param checkpointTime the latest checkpoint's time
   * @return true iff the checkpoint is in a later interval than the last allocation and its size is
   *     greater than the last landmark's; the caller then records {@code
   *     intervalOf(checkpointTime)}
   */
  public boolean shouldAllocate(
      OptionalLong lastAllocationInterval,
      long lastLandmarkTreeSize,
      long checkpointTreeSize,
      Instant checkpointTime) {
    Objects.requireNonNull(lastAllocationInterval, "lastAllocationInterval");
    Objects.requireNonNull(checkpointTime, "checkpointTime");
    if (checkpointTreeSize <= lastLandmarkTreeSize) {
      return false;
    }
    return lastAllocationInterval.isEmpty()
        || intervalOf(checkpointTime) > lastAllocationInterval.getAsLong();
  }

  /**
   * {@code max_active_landmarks = ceil(max_cert_lifetime / time_between_landmarks) + 1}. For a
   * lifetime of 7 days and an hour between landmarks: 169. Requires both durations positive.
   *
   * @throws IllegalArgumentException if a duration is not positive or the result exceeds {@code
   *     Integer.MAX_VALUE}
   */
  public static int maxActiveLandmarks(Duration maxCertLifetime, Duration timeBetweenLandmarks) {
    if (maxCertLifetime.isNegative()
        || maxCertLifetime.isZero()
        || timeBetweenLandmarks.isNegative()
        || timeBetweenLandmarks.isZero()) {
      throw new IllegalArgumentException(
          "durations must be positive, got lifetime "
              + maxCertLifetime
              + ", time between landmarks "
              + timeBetweenLandmarks);
    }
    long q = maxCertLifetime.dividedBy(timeBetweenLandmarks);
    if (timeBetweenLandmarks.multipliedBy(q).compareTo(maxCertLifetime) < 0) {
      q++;
    }
    if (q + 1 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max_active_landmarks " + (q + 1) + " is too large");
    }
    return (int) (q + 1);
  }
}
