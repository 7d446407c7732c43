package org.ledgerpki.cosign.mirror;

import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.streams.store.Codec;

/**
 * A cosigner's state for one log: the mirror's frontier, where the log is tainted, and what it has
 * seen and cosigned. Mutable; read from and written back to the {@code cosigner-mirror-state} store
 * within one record's processing.
 */
public final class MirrorState {
  private static final int FORMAT = 3;

  /** The mirror tree's frontier; its size is the number of entries mirrored. */
  CompactRange frontier = new CompactRange();

  /** The lowest index of an entry that failed its checks, or -1. */
  public long taintedFrom = -1;

  /** Why the log is tainted at {@link #taintedFrom}; empty if it is not. */
  public String taintReason = "";

  /** Size of the last checkpoint with a valid log signature that extended the one before. */
  public long lastCheckpointSize;

  /** Size of the last checkpoint cosigned; 0 before the first. */
  public long lastCosignedSize;

  /** Root of the last checkpoint cosigned, or null before the first. */
  public byte[] lastCosignedRoot;

  /** previousSize of the last checkpoint cosigned. */
  public long lastCosignedPrevious;

  /** Sequence number of the next parked record, to keep arrival order among equal sizes. */
  public long parkSeq;

  /** Number of status events mirrored (the status log's count). */
  public long statusCount;

  /** The sequence number of the first status event that failed its checks, or -1. */
  public long statusTaintedFrom = -1;

  /** Why the status log is tainted; empty if it is not. */
  public String statusTaintReason = "";

  /** SHA-256 of the body of the last checkpoint cosigned, or null before the first. */
  public byte[] lastCosignedBody;

  /** Status events the last checkpoint cosigned commits to: never goes back. */
  public long lastCosignedStatusCount;

  /** POSIX seconds of this cosigner's last cosignature; 0 before the first. */
  public long lastCosignedAt;

  /** Marks the status log tainted from {@code seq} on, keeping the lowest. */
  public boolean taintStatus(long seq, String reason) {
    if (statusTaintedFrom >= 0 && statusTaintedFrom <= seq) {
      return false;
    }
    statusTaintedFrom = seq;
    statusTaintReason = reason;
    return true;
  }

  long mirrorSize() {
    return frontier.size();
  }

  /** Whether an entry below {@code size} failed its checks. */
  public boolean taintedBelow(long size) {
    return taintedFrom >= 0 && taintedFrom < size;
  }

  /** Marks the log tainted from {@code index} on, keeping the lowest index. */
  boolean taint(long index, String reason) {
    if (taintedFrom >= 0 && taintedFrom <= index) {
      return false;
    }
    taintedFrom = index;
    taintReason = reason;
    return true;
  }

  byte[] encode() {
    return new Codec.Writer()
        .u8(FORMAT)
        .bytes(frontier.toBytes())
        .i64(taintedFrom)
        .string(taintReason)
        .i64(lastCheckpointSize)
        .i64(lastCosignedSize)
        .bytes(lastCosignedRoot)
        .i64(lastCosignedPrevious)
        .i64(parkSeq)
        .i64(statusCount)
        .i64(statusTaintedFrom)
        .string(statusTaintReason)
        .bytes(lastCosignedBody)
        .i64(lastCosignedStatusCount)
        .i64(lastCosignedAt)
        .toByteArray();
  }

  static MirrorState decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "mirror state");
    int format = r.u8();
    if (format < 1 || format > FORMAT) {
      throw new IllegalStateException("corrupt mirror state: format byte " + format);
    }
    MirrorState s = new MirrorState();
    try {
      s.frontier = CompactRange.fromBytes(r.bytes());
    } catch (MalformedInputException e) {
      throw new IllegalStateException("corrupt mirror state: " + e.getMessage(), e);
    }
    s.taintedFrom = r.i64();
    s.taintReason = r.string();
    s.lastCheckpointSize = r.i64();
    s.lastCosignedSize = r.i64();
    s.lastCosignedRoot = r.bytes();
    s.lastCosignedPrevious = r.i64();
    s.parkSeq = r.i64();
    if (format == 1) {
      // Written before the status mirror: no status events seen, nothing cosigned with a body.
      r.end();
      return s;
    }
    s.statusCount = r.i64();
    s.statusTaintedFrom = r.i64();
    s.statusTaintReason = r.string();
    s.lastCosignedBody = r.bytes();
    if (format >= 3) {
      s.lastCosignedStatusCount = r.i64();
      s.lastCosignedAt = r.i64();
    }
    r.end();
    return s;
  }
}
