package org.ledgerpki.inquiry.index;

import java.util.List;

/**
 * A COSIGNED MTC landmark: number, tree size, the previous landmark's tree size, and its landmark
 * subtrees (the covering subtrees of {@code [previousTreeSize, treeSize)}) with their cosignatures.
 */
public record LandmarkView(
    String origin, long number, long treeSize, long previousTreeSize, List<SubtreeView> subtrees) {

  /** Freezes the list. */
  public LandmarkView {
    subtrees = List.copyOf(subtrees);
  }
}
