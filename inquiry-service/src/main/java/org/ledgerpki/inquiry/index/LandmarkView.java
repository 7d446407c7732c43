package org.ledgerpki.inquiry.index;

import java.util.List;
import org.ledgerpki.schemas.avro.Landmark;

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

  /** The view of a {@code ledger.landmarks} record. */
  static LandmarkView of(Landmark l) {
    return new LandmarkView(
        l.getOrigin(),
        l.getNumber(),
        l.getTreeSize(),
        l.getPreviousTreeSize(),
        SubtreeView.of(l.getSubtrees()));
  }
}
