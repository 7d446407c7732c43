package org.ledgerpki.core.merkle;

import java.util.Objects;

/**
 * The two subtrees that efficiently cover an interval ({@link Subtrees#findSubtrees}): adjacent
 * ({@code left.end() == right.start()}), with {@code right} ending where the interval ends.
 *
 * @param left the left subtree, which may start before the interval
 * @param right the right subtree, possibly empty ({@code [end, end)})
 */
public record SubtreePair(Subtree left, Subtree right) {
  /**
   * Requires both non-null and adjacent.
   *
   * @throws IllegalArgumentException if {@code left.end() != right.start()}
   */
  public SubtreePair {
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    if (left.end() != right.start()) {
      throw new IllegalArgumentException(
          "subtrees " + left + " and " + right + " are not adjacent");
    }
  }

  /** {@code "([ls, le), [rs, re))"}. */
  @Override
  public String toString() {
    return "(" + left + ", " + right + ")";
  }
}
