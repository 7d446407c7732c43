package org.ledgerpki.issuance;

import java.nio.ByteBuffer;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * The checkpoint processor's state for one log: the last published checkpoint, the tree now, and
 * since when entries wait for a checkpoint.
 *
 * <p>Stored as {@code 0x01 || uint64 lastSize || lastRoot[32] || uint64 size || root[32] || int64
 * pendingSince}.
 *
 * @param lastSize size of the last published checkpoint; 0 before the first
 * @param lastRoot its root (the empty root before the first)
 * @param size the tree size now
 * @param root the tree root now
 * @param pendingSince wall-clock milliseconds at which the oldest entry not yet covered by a
 *     checkpoint arrived; -1 if every entry is covered
 */
record CheckpointState(long lastSize, byte[] lastRoot, long size, byte[] root, long pendingSince) {
  private static final byte FORMAT = 0x01;
  private static final int LENGTH = 1 + 8 + 32 + 8 + 32 + 8;

  CheckpointState {
    lastRoot = lastRoot.clone();
    root = root.clone();
  }

  /** Before the first entry and the first checkpoint. */
  static CheckpointState initial() {
    return new CheckpointState(0, Rfc9162.emptyRoot(), 0, Rfc9162.emptyRoot(), -1);
  }

  @Override
  public byte[] lastRoot() {
    return lastRoot.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  /** Entries not yet covered by a checkpoint. */
  long unpublished() {
    return size - lastSize;
  }

  /** The tree grew to {@code head}, observed at wall-clock {@code now}. */
  CheckpointState grown(TreeHead head, long now) {
    return new CheckpointState(
        lastSize, lastRoot, head.size(), head.root(), pendingSince >= 0 ? pendingSince : now);
  }

  /** A checkpoint of the current tree was published. */
  CheckpointState published() {
    return new CheckpointState(size, root, size, root, -1);
  }

  byte[] toBytes() {
    return ByteBuffer.allocate(LENGTH)
        .put(FORMAT)
        .putLong(lastSize)
        .put(lastRoot)
        .putLong(size)
        .put(root)
        .putLong(pendingSince)
        .array();
  }

  static CheckpointState fromBytes(byte[] b) throws MalformedInputException {
    if (b.length != LENGTH || b[0] != FORMAT) {
      throw new MalformedInputException(
          "checkpoint state: want " + LENGTH + " bytes of format " + FORMAT + ", got " + b.length);
    }
    ByteBuffer in = ByteBuffer.wrap(b, 1, LENGTH - 1);
    long lastSize = in.getLong();
    byte[] lastRoot = new byte[32];
    in.get(lastRoot);
    long size = in.getLong();
    byte[] root = new byte[32];
    in.get(root);
    return new CheckpointState(lastSize, lastRoot, size, root, in.getLong());
  }

  @Override
  public String toString() {
    return "CheckpointState[last "
        + lastSize
        + " "
        + Hex.encode(lastRoot)
        + ", now "
        + size
        + " "
        + Hex.encode(root)
        + ", pending since "
        + pendingSince
        + "]";
  }
}
