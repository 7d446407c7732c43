package org.ledgerpki.core.mtc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.SubtreePair;
import org.ledgerpki.core.merkle.Subtrees;

/**
 * A log's landmark sequence (draft, "Landmark Tree Sizes"), or a window of its most recent
 * landmarks. Landmarks are numbered consecutively; landmark 0 has tree size 0; tree sizes strictly
 * increase and are at most 2^48 - 1. The landmark subtrees of landmark {@code L > 0} are the
 * subtrees that cover {@code [size(L - 1), size(L))} ({@link Subtrees#findSubtrees}), without an
 * empty right one.
 *
 * <p>A window ({@link #window}, {@link LandmarkPublication#toSequence()}) starts at some landmark
 * {@code first > 0}; the subtrees of {@code first} itself are unknown, since they need {@code
 * size(first - 1)}. Mutable: {@link #allocate} appends. Not thread-safe.
 */
public final class LandmarkSequence {
  /** The largest tree size a log can reach: 2^48 - 1 entries. */
  public static final long MAX_TREE_SIZE = (1L << 48) - 1;

  private final long firstNumber;
  private long[] sizes;
  private int count;

  private LandmarkSequence(long firstNumber, long[] sizes) {
    this.firstNumber = firstNumber;
    this.sizes = sizes;
    this.count = sizes.length;
  }

  /** The sequence that has only landmark 0, tree size 0. */
  public LandmarkSequence() {
    this(0, new long[] {0});
  }

  /**
   * The sequence from landmark 0 with these tree sizes. Requires {@code treeSizes[0] == 0}, then
   * strictly increasing sizes of at most 2^48 - 1.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static LandmarkSequence of(long... treeSizes) {
    if (treeSizes.length == 0 || treeSizes[0] != 0) {
      throw new IllegalArgumentException("landmark 0 must have tree size 0");
    }
    return window(0, treeSizes);
  }

  /**
   * The landmarks {@code firstNumber, firstNumber + 1, ...} with these tree sizes. Requires at
   * least one size, strictly increasing sizes in {@code 0..2^48-1}, and size 0 for landmark 0.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static LandmarkSequence window(long firstNumber, long... treeSizes) {
    if (firstNumber < 0 || treeSizes.length == 0) {
      throw new IllegalArgumentException(
          "a landmark window needs a first number >= 0 and at least one tree size");
    }
    for (int i = 0; i < treeSizes.length; i++) {
      checkSize(treeSizes[i]);
      if (i > 0 && treeSizes[i] <= treeSizes[i - 1]) {
        throw new IllegalArgumentException(
            "tree sizes must strictly increase: landmark "
                + (firstNumber + i)
                + " has "
                + treeSizes[i]
                + " after "
                + treeSizes[i - 1]);
      }
    }
    if (firstNumber == 0 && treeSizes[0] != 0) {
      throw new IllegalArgumentException("landmark 0 must have tree size 0, got " + treeSizes[0]);
    }
    return new LandmarkSequence(firstNumber, treeSizes.clone());
  }

  /**
   * Appends a landmark with tree size {@code treeSize} and returns its number. Requires {@code
   * treeSize} greater than the last landmark's and at most 2^48 - 1.
   *
   * @throws IllegalArgumentException otherwise
   */
  public long allocate(long treeSize) {
    checkSize(treeSize);
    long last = sizes[count - 1];
    if (treeSize <= last) {
      throw new IllegalArgumentException(
          "landmark tree sizes must strictly increase: "
              + treeSize
              + " is not greater than landmark "
              + lastNumber()
              + "'s "
              + last);
    }
    if (count == sizes.length) {
      sizes = Arrays.copyOf(sizes, count * 2);
    }
    sizes[count++] = treeSize;
    return lastNumber();
  }

  /** The number of the first landmark known: 0 unless this is a window. */
  public long firstNumber() {
    return firstNumber;
  }

  /** The number of the last landmark. */
  public long lastNumber() {
    return firstNumber + count - 1;
  }

  /** The last landmark. */
  public Landmark last() {
    return new Landmark(lastNumber(), sizes[count - 1]);
  }

  /**
   * The tree size of landmark {@code number}. Requires {@code firstNumber() <= number <=
   * lastNumber()}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public long treeSize(long number) {
    if (number < firstNumber || number > lastNumber()) {
      throw new IllegalArgumentException(
          "landmark "
              + number
              + " is not in this sequence ("
              + firstNumber
              + " to "
              + lastNumber()
              + ")");
    }
    return sizes[(int) (number - firstNumber)];
  }

  /** All landmarks known, in increasing order. */
  public List<Landmark> landmarks() {
    List<Landmark> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Landmark(firstNumber + i, sizes[i]));
    }
    return out;
  }

  /**
   * The landmark subtrees of landmark {@code number}: the subtrees covering {@code [size(number -
   * 1), size(number))}, left first, one or two (an empty right subtree is dropped). Requires {@code
   * firstNumber() < number <= lastNumber()}; landmark 0 has none.
   *
   * @throws IllegalArgumentException otherwise
   */
  public List<Subtree> landmarkSubtrees(long number) {
    if (number <= firstNumber || number > lastNumber()) {
      throw new IllegalArgumentException(
          "landmark "
              + number
              + " has no known subtrees: this sequence holds landmarks "
              + firstNumber
              + " to "
              + lastNumber()
              + " and needs the previous landmark's size"
              + (number == 0 ? " (landmark 0 has no subtrees)" : ""));
    }
    int i = (int) (number - firstNumber);
    SubtreePair pair = Subtrees.findSubtrees(sizes[i - 1], sizes[i]);
    return pair.right().size() == 0 ? List.of(pair.left()) : List.of(pair.left(), pair.right());
  }

  /**
   * The active landmarks for {@code maxActive}: the most recent {@code maxActive} landmarks other
   * than landmark 0 (which has no subtrees), in increasing order; in a window, only those whose
   * predecessor is known. Requires {@code maxActive >= 1}.
   */
  public List<Landmark> active(int maxActive) {
    long from = firstActive(maxActive);
    List<Landmark> out = new ArrayList<>();
    for (long n = from; n <= lastNumber(); n++) {
      out.add(new Landmark(n, treeSize(n)));
    }
    return out;
  }

  /**
   * The active landmark subtrees for {@code maxActive}, oldest first: at most {@code 2 *
   * maxActive}. These are what relying parties configure as trusted subtrees.
   */
  public List<LandmarkSubtree> activeSubtrees(int maxActive) {
    List<LandmarkSubtree> out = new ArrayList<>();
    for (Landmark l : active(maxActive)) {
      for (Subtree s : landmarkSubtrees(l.number())) {
        out.add(new LandmarkSubtree(l.number(), s));
      }
    }
    return out;
  }

  /**
   * The landmark and subtree a landmark-relative certificate for entry {@code index} uses (draft,
   * "Constructing Landmark-Relative Certificates", steps 1 and 2): the smallest active landmark
   * whose tree size is greater than {@code index}, and the one of its subtrees that contains {@code
   * index}. Empty if no landmark covers the index yet ({@code index >= last().treeSize()}: wait for
   * one), or if every landmark that covered it has left the active window. Requires {@code index >=
   * 0} and {@code maxActive >= 1}.
   */
  public Optional<LandmarkSubtree> coveringLandmark(long index, int maxActive) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be non-negative, got " + index);
    }
    long from = firstActive(maxActive);
    if (from > lastNumber() || index >= sizes[count - 1] || index < treeSize(from - 1)) {
      return Optional.empty();
    }
    // The first landmark in [from, last] whose size exceeds index.
    int lo = (int) (from - firstNumber);
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sizes[mid] > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long number = firstNumber + lo;
    for (Subtree s : landmarkSubtrees(number)) {
      if (s.contains(index)) {
        return Optional.of(new LandmarkSubtree(number, s));
      }
    }
    throw new IllegalStateException(
        "no subtree of landmark " + number + " contains index " + index + " (a bug)");
  }

  /**
   * The publication of the active landmarks for {@code maxActive} (draft, "Publishing Landmarks").
   * Requires {@code maxActive >= 1} and, in a window, that the window reaches back to the landmark
   * before the oldest active one.
   */
  public LandmarkPublication publication(int maxActive) {
    long from = firstActive(maxActive);
    List<Long> sizesDown = new ArrayList<>();
    for (long n = lastNumber(); n >= from - 1 && n >= firstNumber; n--) {
      sizesDown.add(treeSize(n));
    }
    return new LandmarkPublication(lastNumber(), sizesDown);
  }

  /** The number of the oldest active landmark; greater than lastNumber() if there is none. */
  private long firstActive(int maxActive) {
    if (maxActive < 1) {
      throw new IllegalArgumentException("max_active_landmarks must be positive, got " + maxActive);
    }
    return Math.max(Math.max(1, firstNumber + 1), lastNumber() - maxActive + 1);
  }

  private static void checkSize(long treeSize) {
    if (treeSize < 0 || treeSize > MAX_TREE_SIZE) {
      throw new IllegalArgumentException(
          "a tree size must be in 0..2^48-1, got " + Long.toUnsignedString(treeSize));
    }
  }

  @Override
  public String toString() {
    return "LandmarkSequence["
        + firstNumber
        + ".."
        + lastNumber()
        + ", last size "
        + sizes[count - 1]
        + "]";
  }
}
