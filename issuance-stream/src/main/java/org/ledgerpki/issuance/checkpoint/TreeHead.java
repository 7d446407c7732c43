package org.ledgerpki.issuance.checkpoint;

import org.ledgerpki.core.Hex;
import org.ledgerpki.core.status.StatusCommitment;

/**
 * What {@code integrate} tells {@code checkpoint} after each append to the log or to its status
 * log: the log's size and root now, and the status commitment now. Passed between processors of one
 * task, never serialized.
 *
 * @param origin the log origin
 * @param size the number of entries, index 0 (the null entry) included
 * @param root {@code MTH(D[0:size])}, 32 bytes
 * @param status the status log's commitment now (docs/status.md)
 */
public record TreeHead(String origin, long size, byte[] root, StatusCommitment status) {
  /** Copies {@code root}. */
  public TreeHead {
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public String toString() {
    return "TreeHead["
        + origin
        + ", size "
        + size
        + ", root "
        + Hex.encode(root)
        + ", "
        + status.extensionLine()
        + "]";
  }
}
