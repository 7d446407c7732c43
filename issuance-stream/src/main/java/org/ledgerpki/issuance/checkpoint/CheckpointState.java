package org.ledgerpki.issuance.checkpoint;

import java.nio.ByteBuffer;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusLog;

/**
 * The checkpoint processor's state for one log: the last published checkpoint, the tree and the
 * status log now, and since when entries or status events wait for a checkpoint.
 *
 * <p>Stored as {@code 0x02 || uint64 lastSize || lastRoot[32] || uint64 size || root[32] || int64
 * pendingSince || uint64 lastStatusCount || uint64 statusCount || statusLogRoot[32] ||
 * statusMapRoot[32] || int64 lastPublishedAt}. Formats {@code 0x01} (without the status fields) and
 * {@code 0x02} (without {@code lastPublishedAt}) are read with an empty status log and a last
 * publication at 0.
 *
 * @param lastSize size of the last published checkpoint; 0 before the first
 * @param lastRoot its root (the empty root before the first)
 * @param size the tree size now
 * @param root the tree root now
 * @param pendingSince wall-clock milliseconds at which the oldest entry or status event not yet
 *     covered by a checkpoint arrived; -1 if everything is covered (kept for the format and for
 *     diagnosis: since ADR 0016 what is due is decided from {@code lastPublishedAt})
 * @param lastStatusCount number of status events the last published checkpoint commits to
 * @param status the status log's commitment now
 * @param lastPublishedAt wall-clock milliseconds of the last publication (a heartbeat included); 0
 *     if unknown, which makes the next checkpoint due at once
 */
record CheckpointState(
    long lastSize,
    byte[] lastRoot,
    long size,
    byte[] root,
    long pendingSince,
    long lastStatusCount,
    StatusCommitment status,
    long lastPublishedAt) {
  private static final byte FORMAT_V1 = 0x01;
  private static final byte FORMAT_V2 = 0x02;
  private static final byte FORMAT = 0x03;
  private static final int LENGTH_V1 = 1 + 8 + 32 + 8 + 32 + 8;
  private static final int LENGTH_V2 = LENGTH_V1 + 8 + 8 + 32 + 32;
  private static final int LENGTH = LENGTH_V2 + 8;

  CheckpointState {
    lastRoot = lastRoot.clone();
    root = root.clone();
  }

  /** The commitment of an empty status log. */
  static StatusCommitment emptyStatus() {
    return new StatusLog().commitment();
  }

  /** Before the first entry and the first checkpoint. */
  static CheckpointState initial() {
    return new CheckpointState(
        0, Rfc9162.emptyRoot(), 0, Rfc9162.emptyRoot(), -1, 0, emptyStatus(), 0);
  }

  @Override
  public byte[] lastRoot() {
    return lastRoot.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  /** Entries and status events not yet covered by a checkpoint. */
  long unpublished() {
    return (size - lastSize) + (status.count() - lastStatusCount);
  }

  /** Whether {@code head} is ahead of what this state knows. */
  boolean isBehind(TreeHead head) {
    return head.size() > size || (head.size() == size && head.status().count() > status.count());
  }

  /** The tree or the status log grew to {@code head}, observed at wall-clock {@code now}. */
  CheckpointState grown(TreeHead head, long now) {
    return new CheckpointState(
        lastSize,
        lastRoot,
        head.size(),
        head.root(),
        pendingSince >= 0 ? pendingSince : now,
        lastStatusCount,
        head.status(),
        lastPublishedAt);
  }

  /** A checkpoint of the current tree and status was published at wall-clock {@code now}. */
  CheckpointState published(long now) {
    return new CheckpointState(size, root, size, root, -1, status.count(), status, now);
  }

  /**
   * Whether the last checkpoint is due to be re-issued unchanged: one was published, nothing waits,
   * and {@code heartbeatMillis} passed since the last publication.
   */
  boolean heartbeatDue(long now, long heartbeatMillis) {
    return lastSize > 0 && unpublished() == 0 && now - lastPublishedAt >= heartbeatMillis;
  }

  byte[] toBytes() {
    return ByteBuffer.allocate(LENGTH)
        .put(FORMAT)
        .putLong(lastSize)
        .put(lastRoot)
        .putLong(size)
        .put(root)
        .putLong(pendingSince)
        .putLong(lastStatusCount)
        .putLong(status.count())
        .put(status.logRoot())
        .put(status.mapRoot())
        .putLong(lastPublishedAt)
        .array();
  }

  static CheckpointState fromBytes(byte[] b) throws MalformedInputException {
    boolean v1 = b.length == LENGTH_V1 && b[0] == FORMAT_V1;
    boolean v2 = b.length == LENGTH_V2 && b[0] == FORMAT_V2;
    if (!v1 && !v2 && (b.length != LENGTH || b[0] != FORMAT)) {
      throw new MalformedInputException(
          "checkpoint state: want " + LENGTH + " bytes of format " + FORMAT + ", got " + b.length);
    }
    ByteBuffer in = ByteBuffer.wrap(b, 1, b.length - 1);
    long lastSize = in.getLong();
    byte[] lastRoot = new byte[32];
    in.get(lastRoot);
    long size = in.getLong();
    byte[] root = new byte[32];
    in.get(root);
    long pendingSince = in.getLong();
    if (v1) {
      return new CheckpointState(lastSize, lastRoot, size, root, pendingSince, 0, emptyStatus(), 0);
    }
    long lastStatusCount = in.getLong();
    long count = in.getLong();
    byte[] logRoot = new byte[32];
    in.get(logRoot);
    byte[] mapRoot = new byte[32];
    in.get(mapRoot);
    long lastPublishedAt = v2 ? 0 : in.getLong();
    return new CheckpointState(
        lastSize,
        lastRoot,
        size,
        root,
        pendingSince,
        lastStatusCount,
        new StatusCommitment(count, logRoot, mapRoot),
        lastPublishedAt);
  }

  @Override
  public String toString() {
    return "CheckpointState[last "
        + lastSize
        + " "
        + Hex.encode(lastRoot)
        + " status "
        + lastStatusCount
        + ", now "
        + size
        + " "
        + Hex.encode(root)
        + " "
        + status.extensionLine()
        + ", pending since "
        + pendingSince
        + "]";
  }
}
