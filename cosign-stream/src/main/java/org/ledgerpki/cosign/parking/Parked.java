package org.ledgerpki.cosign.parking;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.streams.store.Codec;

/**
 * A record the cosigner keeps until its mirror reaches the tree size the record is about: a
 * checkpoint whose log signature and previous size were already checked, or an allocated landmark.
 */
public sealed interface Parked {
  int CHECKPOINT = 'C';
  int LANDMARK = 'L';

  /** The origin of the log the record is about. */
  String origin();

  /** The tree size the mirror must reach. */
  long size();

  byte[] encode();

  /** A checkpoint that passed the checks on arrival; {@code note} is the log-signed note. */
  record Checkpoint(String origin, long size, long previousSize, String note) implements Parked {
    @Override
    public byte[] encode() {
      return new Codec.Writer()
          .u8(CHECKPOINT)
          .string(origin)
          .i64(size)
          .i64(previousSize)
          .string(note)
          .toByteArray();
    }
  }

  /** An allocated landmark and the subtrees to sign. */
  record Landmark(String origin, long number, long size, List<Subtree> subtrees) implements Parked {
    @Override
    public byte[] encode() {
      Codec.Writer w =
          new Codec.Writer().u8(LANDMARK).string(origin).i64(number).i64(size).i64(subtrees.size());
      for (Subtree s : subtrees) {
        w.i64(s.start()).i64(s.end());
      }
      return w.toByteArray();
    }
  }

  static Parked decode(byte[] bytes) {
    Codec.Reader r = new Codec.Reader(bytes, "parked record");
    int kind = r.u8();
    Parked p;
    if (kind == CHECKPOINT) {
      p = new Checkpoint(r.string(), r.i64(), r.i64(), r.string());
    } else if (kind == LANDMARK) {
      String origin = r.string();
      long number = r.i64();
      long size = r.i64();
      long n = r.i64();
      List<Subtree> subtrees = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        subtrees.add(new Subtree(r.i64(), r.i64()));
      }
      p = new Landmark(origin, number, size, subtrees);
    } else {
      throw new IllegalStateException("corrupt parked record in a state store: kind " + kind);
    }
    r.end();
    return p;
  }
}
