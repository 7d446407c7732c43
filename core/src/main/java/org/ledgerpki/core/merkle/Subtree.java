package org.ledgerpki.core.merkle;

/**
 * The half-open interval {@code [start, end)} of leaf indices, as the MTC draft names subtrees. Any
 * {@code 0 <= start <= end} can be represented; {@link #isValid()} says whether the interval is a
 * subtree in the draft's sense (aligned, so it has consistency proofs).
 *
 * @param start the first index in the interval
 * @param end one past the last index
 */
public record Subtree(long start, long end) {
  /**
   * Requires {@code 0 <= start <= end}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public Subtree {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "a subtree needs 0 <= start <= end, got [" + start + ", " + end + ")");
    }
  }

  /** The number of leaves, {@code end - start}. */
  public long size() {
    return end - start;
  }

  /** Whether this interval is a valid subtree ({@link Subtrees#isValid}). */
  public boolean isValid() {
    return Subtrees.isValid(start, end);
  }

  /** Whether {@code start <= index < end}. */
  public boolean contains(long index) {
    return start <= index && index < end;
  }

  /** {@code "[start, end)"}, the draft's notation. */
  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
