package org.ledgerpki.core.mtc;

/**
 * A landmark (draft, "Landmark Tree Sizes"): a number identifying it and a tree size of the log.
 *
 * @param number the landmark number, from 0
 * @param treeSize the log's tree size at this landmark
 */
public record Landmark(long number, long treeSize) {
  /**
   * Requires both non-negative.
   *
   * @throws IllegalArgumentException otherwise
   */
  public Landmark {
    if (number < 0 || treeSize < 0) {
      throw new IllegalArgumentException(
          "landmark number and tree size must be non-negative, got " + number + ", " + treeSize);
    }
  }
}
