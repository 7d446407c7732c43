package org.ledgerpki.core.mtc;

import java.util.Objects;
import org.ledgerpki.core.merkle.Subtree;

/**
 * A landmark subtree: one of the (one or two) subtrees covering {@code [prev_tree_size, tree_size)}
 * of landmark {@code landmark}.
 *
 * @param landmark the landmark number
 * @param subtree the subtree, valid and non-empty
 */
public record LandmarkSubtree(long landmark, Subtree subtree) {
  public LandmarkSubtree {
    Objects.requireNonNull(subtree, "subtree");
  }
}
