package org.ledgerpki.issuance;

import org.ledgerpki.core.Hex;

/**
 * What {@code integrate} tells {@code checkpoint} after each append: the log's size and root now.
 * Passed between processors of one task, never serialized.
 *
 * @param origin the log origin
 * @param size the number of entries, index 0 (the null entry) included
 * @param root {@code MTH(D[0:size])}, 32 bytes
 */
record TreeHead(String origin, long size, byte[] root) {
  TreeHead {
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public String toString() {
    return "TreeHead[" + origin + ", size " + size + ", root " + Hex.encode(root) + "]";
  }
}
