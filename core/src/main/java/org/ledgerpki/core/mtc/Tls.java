package org.ledgerpki.core.mtc;

import java.io.ByteArrayOutputStream;
import org.ledgerpki.core.MalformedInputException;

/**
 * The few pieces of the TLS presentation language (RFC 8446 §3) the MTC structures use: big-endian
 * unsigned integers and vectors with a length prefix of 1 or 2 octets.
 */
final class Tls {
  private Tls() {}

  /** A cursor over {@code buf[from, to)}; every read checks the bounds. */
  static final class Reader {
    private final byte[] buf;
    private final int limit;
    private final String what;
    private int pos;

    Reader(byte[] buf, int from, int to, String what) {
      if (from < 0 || to < from || to > buf.length) {
        throw new IllegalArgumentException(
            "bad range [" + from + ", " + to + ") of " + buf.length + " bytes");
      }
      this.buf = buf;
      this.pos = from;
      this.limit = to;
      this.what = what;
    }

    int position() {
      return pos;
    }

    byte[] buffer() {
      return buf;
    }

    int remaining() {
      return limit - pos;
    }

    /** Reads a big-endian unsigned integer of {@code octets} (at most 7) octets. */
    long uint(int octets, String field) throws MalformedInputException {
      need(octets, field);
      long v = 0;
      for (int i = 0; i < octets; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    /**
     * Reads a vector's length prefix of {@code prefix} octets and returns the offset of its first
     * octet; the cursor moves past the vector's contents.
     */
    int vector(int prefix, String field) throws MalformedInputException {
      int len = (int) uint(prefix, field + " length");
      need(len, field);
      int at = pos;
      pos += len;
      return at;
    }

    /** Checks that the input is consumed. */
    void expectEnd() throws MalformedInputException {
      if (pos != limit) {
        throw new MalformedInputException(
            what + ": " + (limit - pos) + " trailing octet(s) at offset " + pos);
      }
    }

    MalformedInputException fail(String problem) {
      return new MalformedInputException(what + ": " + problem);
    }

    private void need(int n, String field) throws MalformedInputException {
      if (limit - pos < n) {
        throw new MalformedInputException(
            what
                + ": truncated "
                + field
                + " at offset "
                + pos
                + ": need "
                + n
                + " octet(s), "
                + (limit - pos)
                + " remain");
      }
    }
  }

  static void writeUint(ByteArrayOutputStream out, long value, int octets) {
    for (int i = octets - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  /**
   * Writes {@code data} as a vector with a {@code prefix}-octet length. Requires it to fit.
   *
   * @throws IllegalArgumentException if {@code data} is too long for the prefix
   */
  static void writeVector(ByteArrayOutputStream out, byte[] data, int prefix, String field) {
    long max = (1L << (8 * prefix)) - 1;
    if (data.length > max) {
      throw new IllegalArgumentException(
          field + " has " + data.length + " octets, more than the " + max + " its length allows");
    }
    writeUint(out, data.length, prefix);
    out.writeBytes(data);
  }
}
