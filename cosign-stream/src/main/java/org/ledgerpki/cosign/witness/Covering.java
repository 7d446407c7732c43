package org.ledgerpki.cosign.witness;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.SubtreePair;
import org.ledgerpki.core.merkle.Subtrees;

/** The subtrees that cover an interval of a log, as the MTC draft selects them. */
public final class Covering {
  private Covering() {}

  /**
   * The non-empty subtrees of {@code Subtrees.findSubtrees(start, end)}, left first: none for an
   * empty interval, one or two otherwise. Requires {@code 0 <= start <= end}.
   */
  public static List<Subtree> subtrees(long start, long end) {
    List<Subtree> out = new ArrayList<>(2);
    if (start == end) {
      return out;
    }
    SubtreePair pair = Subtrees.findSubtrees(start, end);
    if (pair.left().size() > 0) {
      out.add(pair.left());
    }
    if (pair.right().size() > 0) {
      out.add(pair.right());
    }
    return out;
  }
}
