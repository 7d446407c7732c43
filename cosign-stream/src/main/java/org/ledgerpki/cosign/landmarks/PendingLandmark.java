package org.ledgerpki.cosign.landmarks;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.streams.store.Codec;

/** An allocated landmark whose subtrees do not have a quorum of agreeing signatures yet. */
public record PendingLandmark(
    long number,
    long treeSize,
    long previousTreeSize,
    long allocatedAtMillis,
    List<Subtree> subtrees) {
  private static final int FORMAT = 1;

  public PendingLandmark {
    subtrees = List.copyOf(subtrees);
  }

  public byte[] encode() {
    Codec.Writer w =
        new Codec.Writer()
            .u8(FORMAT)
            .i64(number)
            .i64(treeSize)
            .i64(previousTreeSize)
            .i64(allocatedAtMillis)
            .i64(subtrees.size());
    for (Subtree s : subtrees) {
      w.i64(s.start()).i64(s.end());
    }
    return w.toByteArray();
  }

  public static PendingLandmark decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "pending landmark").format(FORMAT);
    long number = r.i64();
    long size = r.i64();
    long prev = r.i64();
    long at = r.i64();
    long n = r.i64();
    List<Subtree> subtrees = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      subtrees.add(new Subtree(r.i64(), r.i64()));
    }
    r.end();
    return new PendingLandmark(number, size, prev, at, subtrees);
  }
}
