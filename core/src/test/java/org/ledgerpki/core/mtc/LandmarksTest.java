package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtree;

/** Landmark sequences, allocation and the publication format. */
class LandmarksTest {

  private static List<String> strings(List<Subtree> subtrees) {
    return subtrees.stream().map(Subtree::toString).toList();
  }

  // ---- LandmarkSequence -------------------------------------------------------------------------

  @Test
  void landmarkZeroHasSizeZeroAndNoSubtrees() {
    LandmarkSequence seq = new LandmarkSequence();
    assertThat(seq.last()).isEqualTo(new Landmark(0, 0));
    assertThat(seq.active(5)).isEmpty();
    assertThat(seq.activeSubtrees(5)).isEmpty();
    assertThat(seq.coveringLandmark(0, 5)).isEmpty();
    assertThatThrownBy(() -> seq.landmarkSubtrees(0))
        .hasMessageContaining("landmark 0 has no subtrees");
    assertThatThrownBy(() -> LandmarkSequence.of(1, 2)).hasMessageContaining("tree size 0");
  }

  @Test
  void allocationIsStrictlyIncreasing() {
    LandmarkSequence seq = new LandmarkSequence();
    assertThat(seq.allocate(5)).isEqualTo(1);
    assertThat(seq.allocate(13)).isEqualTo(2);
    assertThatThrownBy(() -> seq.allocate(13))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13 is not greater than landmark 2's 13");
    assertThatThrownBy(() -> seq.allocate(7)).hasMessageContaining("strictly increase");
    assertThatThrownBy(() -> seq.allocate(1L << 48)).hasMessageContaining("0..2^48-1");
    assertThat(seq.allocate((1L << 48) - 1)).isEqualTo(3);
    // Growth beyond the initial array.
    LandmarkSequence many = new LandmarkSequence();
    for (int i = 1; i <= 1000; i++) {
      assertThat(many.allocate(10L * i)).isEqualTo(i);
    }
    assertThat(many.treeSize(1000)).isEqualTo(10000);
    assertThat(many.landmarks()).hasSize(1001);
  }

  @Test
  void landmarkSubtreesFollowFindSubtrees() {
    // find_subtrees always splits 2 or more entries; (4, 5) has an empty right subtree, dropped.
    LandmarkSequence seq = LandmarkSequence.of(0, 4, 5, 13, 100, 130);
    assertThat(strings(seq.landmarkSubtrees(1))).containsExactly("[0, 2)", "[2, 4)");
    assertThat(strings(seq.landmarkSubtrees(2))).containsExactly("[4, 5)");
    assertThat(strings(seq.landmarkSubtrees(3))).containsExactly("[4, 8)", "[8, 13)");
    assertThat(strings(seq.landmarkSubtrees(4))).containsExactly("[0, 64)", "[64, 100)");
    assertThat(strings(seq.landmarkSubtrees(5))).containsExactly("[96, 128)", "[128, 130)");
    for (long l = 1; l <= seq.lastNumber(); l++) {
      for (Subtree s : seq.landmarkSubtrees(l)) {
        assertThat(s.isValid()).isTrue();
        assertThat(s.size()).isPositive();
      }
    }
    assertThatThrownBy(() -> seq.landmarkSubtrees(6)).hasMessageContaining("landmark 6");
  }

  @Test
  void activeLandmarksAndTheirSubtrees() {
    LandmarkSequence seq = LandmarkSequence.of(0, 4, 5, 13, 100, 130);
    assertThat(seq.active(2)).containsExactly(new Landmark(4, 100), new Landmark(5, 130));
    assertThat(seq.active(99)).hasSize(5); // landmark 0 is never active
    assertThat(seq.activeSubtrees(2))
        .containsExactly(
            new LandmarkSubtree(4, new Subtree(0, 64)),
            new LandmarkSubtree(4, new Subtree(64, 100)),
            new LandmarkSubtree(5, new Subtree(96, 128)),
            new LandmarkSubtree(5, new Subtree(128, 130)));
    assertThatThrownBy(() -> seq.active(0)).hasMessageContaining("must be positive");
  }

  @Test
  void coveringLandmarkIsTheSmallestActiveOneAboveTheIndex() {
    LandmarkSequence seq = LandmarkSequence.of(0, 4, 5, 13, 100, 130);
    assertThat(seq.coveringLandmark(0, 5)).hasValue(new LandmarkSubtree(1, new Subtree(0, 2)));
    assertThat(seq.coveringLandmark(3, 5)).hasValue(new LandmarkSubtree(1, new Subtree(2, 4)));
    assertThat(seq.coveringLandmark(4, 5)).hasValue(new LandmarkSubtree(2, new Subtree(4, 5)));
    assertThat(seq.coveringLandmark(5, 5)).hasValue(new LandmarkSubtree(3, new Subtree(4, 8)));
    assertThat(seq.coveringLandmark(8, 5)).hasValue(new LandmarkSubtree(3, new Subtree(8, 13)));
    assertThat(seq.coveringLandmark(99, 5)).hasValue(new LandmarkSubtree(4, new Subtree(64, 100)));
    assertThat(seq.coveringLandmark(100, 5)).hasValue(new LandmarkSubtree(5, new Subtree(96, 128)));
    assertThat(seq.coveringLandmark(129, 5))
        .hasValue(new LandmarkSubtree(5, new Subtree(128, 130)));
    // Not yet covered: wait for a landmark.
    assertThat(seq.coveringLandmark(130, 5)).isEmpty();
    // With 2 active landmarks (4 and 5), entries below landmark 3's size 13 are out.
    assertThat(seq.coveringLandmark(12, 2)).isEmpty();
    assertThat(seq.coveringLandmark(13, 2)).hasValue(new LandmarkSubtree(4, new Subtree(0, 64)));
    // Brute force: every index in the window is in exactly the subtree returned.
    for (long i = 0; i < 130; i++) {
      LandmarkSubtree ls = seq.coveringLandmark(i, 5).orElseThrow();
      assertThat(ls.subtree().contains(i)).isTrue();
      assertThat(seq.treeSize(ls.landmark())).isGreaterThan(i);
      assertThat(seq.treeSize(ls.landmark() - 1)).isLessThanOrEqualTo(i);
    }
    assertThatThrownBy(() -> seq.coveringLandmark(-1, 5)).hasMessageContaining("non-negative");
  }

  @Test
  void windowsKnowOnlyTheirSubtrees() {
    LandmarkSequence w = LandmarkSequence.window(3, 13, 100, 130);
    assertThat(w.firstNumber()).isEqualTo(3);
    assertThat(w.active(5)).extracting(Landmark::number).containsExactly(4L, 5L);
    assertThat(w.coveringLandmark(12, 5)).isEmpty();
    assertThat(w.coveringLandmark(13, 5)).hasValue(new LandmarkSubtree(4, new Subtree(0, 64)));
    assertThatThrownBy(() -> w.landmarkSubtrees(3)).hasMessageContaining("previous landmark");
    assertThatThrownBy(() -> w.treeSize(2)).hasMessageContaining("not in this sequence");
    assertThatThrownBy(() -> LandmarkSequence.window(0, 5)).hasMessageContaining("tree size 0");
    assertThatThrownBy(() -> LandmarkSequence.window(2, 5, 5)).hasMessageContaining("strictly");
  }

  // ---- LandmarkAllocator -----------------------------------------------------------------------

  @Test
  void maxActiveLandmarks() {
    // The draft's example: 7 days, one landmark an hour: 169.
    assertThat(LandmarkAllocator.maxActiveLandmarks(Duration.ofDays(7), Duration.ofHours(1)))
        .isEqualTo(169);
    assertThat(LandmarkAllocator.maxActiveLandmarks(Duration.ofMinutes(61), Duration.ofHours(1)))
        .isEqualTo(3);
    assertThat(LandmarkAllocator.maxActiveLandmarks(Duration.ofMinutes(1), Duration.ofHours(1)))
        .isEqualTo(2);
    assertThatThrownBy(
            () -> LandmarkAllocator.maxActiveLandmarks(Duration.ZERO, Duration.ofHours(1)))
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () -> LandmarkAllocator.maxActiveLandmarks(Duration.ofDays(1), Duration.ofNanos(1)))
        .hasMessageContaining("too large");
  }

  @Test
  void allocatesAtMostOncePerIntervalAndOnlyWhenTheLogGrew() {
    LandmarkAllocator a = new LandmarkAllocator(Duration.ofHours(1));
    Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
    long i0 = a.intervalOf(t0);
    assertThat(a.intervalOf(t0.plusSeconds(3599))).isEqualTo(i0);
    assertThat(a.intervalOf(t0.plusSeconds(3600))).isEqualTo(i0 + 1);
    assertThat(a.intervalOf(t0.minusMillis(1))).isEqualTo(i0 - 1);
    // First allocation: only if the log has entries beyond landmark 0.
    assertThat(a.shouldAllocate(OptionalLong.empty(), 0, 0, t0)).isFalse();
    assertThat(a.shouldAllocate(OptionalLong.empty(), 0, 10, t0)).isTrue();
    // Same interval: no.
    assertThat(a.shouldAllocate(OptionalLong.of(i0), 10, 50, t0.plusSeconds(1800))).isFalse();
    // Next interval, grown: yes; not grown: no.
    assertThat(a.shouldAllocate(OptionalLong.of(i0), 10, 50, t0.plusSeconds(3600))).isTrue();
    assertThat(a.shouldAllocate(OptionalLong.of(i0), 10, 10, t0.plusSeconds(3600))).isFalse();
    // A checkpoint from an earlier interval (replay, skew): no.
    assertThat(a.shouldAllocate(OptionalLong.of(i0), 10, 50, t0.minusSeconds(3600))).isFalse();
    assertThatThrownBy(() -> new LandmarkAllocator(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new LandmarkAllocator(Duration.ofNanos(1500000)))
        .hasMessageContaining("whole number of milliseconds");
  }

  @Test
  void anAllocatorDrivesASequence() {
    LandmarkAllocator a = new LandmarkAllocator(Duration.ofMinutes(10));
    LandmarkSequence seq = new LandmarkSequence();
    OptionalLong last = OptionalLong.empty();
    Instant t = Instant.parse("2026-05-01T00:00:00Z");
    // A checkpoint every minute, 7 entries a minute, for 95 minutes.
    for (int m = 1; m <= 95; m++) {
      Instant now = t.plusSeconds(60L * m);
      long size = 7L * m;
      if (a.shouldAllocate(last, seq.last().treeSize(), size, now)) {
        seq.allocate(size);
        last = OptionalLong.of(a.intervalOf(now));
      }
    }
    // One landmark per 10-minute interval: minutes 1, 10, 20, ..., 90.
    assertThat(seq.lastNumber()).isEqualTo(10);
    assertThat(seq.treeSize(1)).isEqualTo(7);
    assertThat(seq.treeSize(2)).isEqualTo(70);
    assertThat(seq.treeSize(10)).isEqualTo(630);
  }

  // ---- LandmarkPublication ---------------------------------------------------------------------

  @Test
  void publicationRoundTrip() throws Exception {
    LandmarkSequence seq = LandmarkSequence.of(0, 4, 5, 13, 100, 130);
    LandmarkPublication p = seq.publication(2);
    assertThat(p.format()).isEqualTo("5 2\n130\n100\n13\n");
    assertThat(p.lastLandmark()).isEqualTo(5);
    assertThat(p.numActiveLandmarks()).isEqualTo(2);
    assertThat(p.landmarks())
        .containsExactly(new Landmark(3, 13), new Landmark(4, 100), new Landmark(5, 130));
    LandmarkPublication parsed = LandmarkPublication.parse(p.format(), 2, 130);
    assertThat(parsed).isEqualTo(p);
    assertThat(parsed.activeSubtrees()).isEqualTo(seq.activeSubtrees(2));
    assertThat(parsed.toSequence().coveringLandmark(50, 2)).isEqualTo(seq.coveringLandmark(50, 2));
    // The whole sequence: the last line is landmark 0.
    assertThat(seq.publication(5).format()).isEqualTo("5 5\n130\n100\n13\n5\n4\n0\n");
    assertThat(LandmarkPublication.parse("5 5\n130\n100\n13\n5\n4\n0\n").activeSubtrees())
        .isEqualTo(seq.activeSubtrees(5));
    // No landmark yet but 0.
    assertThat(new LandmarkSequence().publication(3).format()).isEqualTo("0 0\n0\n");
    assertThat(LandmarkPublication.parse("0 0\n0\n").activeSubtrees()).isEmpty();
  }

  @Test
  void publicationParseErrorsNameTheLine() {
    rejects("", "line 1: missing");
    rejects("5 2", "line 1: not terminated by a newline");
    rejects("5  2\n", "line 1: want '<last_landmark> <num_active_landmarks>', found '5  2'");
    rejects("5\n", "line 1: want '<last_landmark> <num_active_landmarks>'");
    rejects("5 2 1\n", "line 1: want");
    rejects("-5 2\n", "line 1: last_landmark '-5' is not a non-negative decimal integer");
    rejects("5 +2\n", "line 1: num_active_landmarks '+2' is not a non-negative decimal integer");
    rejects("05 2\n", "line 1: last_landmark '05' has a leading zero");
    rejects("99999999999999999999 2\n", "line 1: last_landmark 99999999999999999999 is too large");
    rejects("2 3\n", "line 1: num_active_landmarks 3 exceeds last_landmark 2");
    rejects("5 2\n130\n100\n", "line 4: missing; the header announces 3 tree sizes, found 2");
    rejects("5 2\n130\n100\n13", "line 4: not terminated by a newline");
    rejects("5 2\n130\n100\n13\n7\n", "line 5: unexpected text after the 3 tree sizes");
    rejects("5 2\n130\n\n13\n", "line 3: tree size '' is not a non-negative decimal integer");
    rejects("5 2\n130\n1 00\n13\n", "line 3: tree size '1 00' is not");
    rejects("5 2\n130\r\n100\n13\n", "line 2: tree size '130\r' is not");
    rejects(
        "5 2\n130\n130\n13\n",
        "line 3: tree size 130 of landmark 4 is not less than 130 on line 2");
    rejects("5 2\n100\n130\n13\n", "line 3: tree size 130 of landmark 4 is not less than 100");
    rejects("2 2\n130\n100\n13\n", "line 4: landmark 0 must have tree size 0, found 13");
    rejects("5 0\n281474976710656\n", "line 2: tree size 281474976710656 exceeds 2^48-1");
  }

  @Test
  void publicationContextRules() throws Exception {
    String text = "5 2\n130\n100\n13\n";
    assertThatThrownBy(() -> LandmarkPublication.parse(text, 1, 130))
        .isInstanceOf(MalformedInputException.class)
        .hasMessage("landmarks line 1: num_active_landmarks 2 exceeds max_active_landmarks 1");
    assertThatThrownBy(() -> LandmarkPublication.parse(text, 2, 129))
        .hasMessage("landmarks line 2: tree size 130 exceeds the log's latest tree size 129");
    assertThat(LandmarkPublication.parse(text, 2, 130).numActiveLandmarks()).isEqualTo(2);
  }

  @Test
  void publicationConstructorChecksTheSameRules() {
    assertThatThrownBy(() -> new LandmarkPublication(1, List.of(5L, 4L, 0L)))
        .hasMessageContaining("num_active_landmarks 2 exceeds last_landmark 1");
    assertThatThrownBy(() -> new LandmarkPublication(3, List.of(5L, 5L)))
        .hasMessageContaining("strictly decrease");
    assertThatThrownBy(() -> new LandmarkPublication(1, List.of(5L, 3L)))
        .hasMessageContaining("landmark 0 must have tree size 0");
    assertThatThrownBy(() -> new LandmarkPublication(1, List.of()))
        .hasMessageContaining("at least");
  }

  private static void rejects(String text, String message) {
    assertThatThrownBy(() -> LandmarkPublication.parse(text))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("landmarks " + message);
  }
}
