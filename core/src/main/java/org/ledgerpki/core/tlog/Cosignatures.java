package org.ledgerpki.core.tlog;

import java.nio.ByteBuffer;

/** Helpers shared by the cosignature types. */
final class Cosignatures {
  /** Size of the timestamp that starts every {@code timestamped_signature}. */
  static final int TIMESTAMP_SIZE = 8;

  private Cosignatures() {}

  static long timestampOf(byte[] signature) {
    if (signature.length < TIMESTAMP_SIZE) {
      throw new IllegalArgumentException(
          "a cosignature starts with an 8-byte timestamp; got " + signature.length + " bytes");
    }
    long ts = ByteBuffer.wrap(signature, 0, TIMESTAMP_SIZE).getLong();
    if (ts < 0) {
      throw new IllegalArgumentException("cosignature timestamp exceeds 2^63-1");
    }
    return ts;
  }

  /** Returns {@code timestamp} (8 bytes, big-endian) followed by {@code signature}. */
  static byte[] timestamped(long timestamp, byte[] signature) {
    return ByteBuffer.allocate(TIMESTAMP_SIZE + signature.length)
        .putLong(timestamp)
        .put(signature)
        .array();
  }

  /** Returns the signature after the timestamp. */
  static byte[] signaturePart(byte[] timestamped) {
    byte[] s = new byte[timestamped.length - TIMESTAMP_SIZE];
    System.arraycopy(timestamped, TIMESTAMP_SIZE, s, 0, s.length);
    return s;
  }

  /** Returns {@code head} followed by {@code body}. */
  static byte[] concat(byte[] head, byte[] body) {
    byte[] m = new byte[head.length + body.length];
    System.arraycopy(head, 0, m, 0, head.length);
    System.arraycopy(body, 0, m, head.length, body.length);
    return m;
  }

  static void requireTimestamp(long timestamp) {
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp " + timestamp + " is negative");
    }
  }
}
