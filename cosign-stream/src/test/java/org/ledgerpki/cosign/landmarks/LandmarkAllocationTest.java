package org.ledgerpki.cosign.landmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.cosign.witness.Covering;

class LandmarkAllocationTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final long H = HOUR.toMillis();

  /** Replays (size, timestamp) pairs of cosigned checkpoints; returns the landmark sizes. */
  private static List<Long> allocate(long[][] checkpoints) {
    long number = 0;
    long size = 0;
    long window = Long.MIN_VALUE;
    List<Long> sizes = new ArrayList<>();
    for (long[] c : checkpoints) {
      var next = new LandmarkAllocation(HOUR).next(number, size, window, c[0], c[1]);
      if (next.isPresent()) {
        assertThat(next.get().number()).isEqualTo(number + 1);
        assertThat(next.get().previousTreeSize()).isEqualTo(size);
        assertThat(next.get().subtrees()).isEqualTo(Covering.subtrees(size, c[0]));
        number = next.get().number();
        size = next.get().treeSize();
        window = next.get().window();
        sizes.add(size);
      }
    }
    return sizes;
  }

  @Test
  void atMostOneLandmarkPerWindow() {
    assertThat(allocate(new long[][] {{5, 0}, {9, H / 2}, {12, H - 1}, {20, H}, {25, 3 * H}}))
        .containsExactly(5L, 20L, 25L);
  }

  @Test
  void aWindowWithoutGrowthAllocatesNothingAndDoesNotUseUpTheWindow() {
    // The size does not grow in window 1, so the window stays open for the next checkpoint.
    assertThat(allocate(new long[][] {{5, 0}, {5, H}, {7, H + 10}})).containsExactly(5L, 7L);
  }

  @Test
  void theEmptyLogAllocatesNothing() {
    assertThat(allocate(new long[][] {{0, 0}, {0, H}})).isEmpty();
  }

  @Test
  void aCheckpointFromAnEarlierWindowAllocatesNothing() {
    assertThat(allocate(new long[][] {{5, 2 * H}, {9, H}})).containsExactly(5L);
  }

  @Test
  void theAllocationIsAFunctionOfTheCheckpointsOnly() {
    long[][] run = {{3, 10}, {8, H + 1}, {8, 2 * H}, {13, 2 * H + 5}, {21, 5 * H}};
    assertThat(allocate(run)).isEqualTo(allocate(run)).containsExactly(3L, 8L, 13L, 21L);
  }
}
