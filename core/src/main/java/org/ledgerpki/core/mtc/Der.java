package org.ledgerpki.core.mtc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import org.ledgerpki.core.MalformedInputException;

/**
 * A small, strict DER (X.690) reader and writer: just what the MTC structures need to take exact
 * byte slices of X.509 fields and to build them. Bouncy Castle stays behind {@code
 * org.ledgerpki.core.crypto}, and the JDK has no public DER API.
 *
 * <p>The reader accepts definite lengths only, in their minimal form, and low tag numbers (0 to
 * 30). It rejects BER indefinite lengths, non-minimal and oversized lengths, and elements that run
 * past their enclosing element. It checks encodings, not ASN.1 types: callers state which tag comes
 * next.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int PRINTABLE_STRING = 0x13;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private static final int CONSTRUCTED = 0x20;

  private Der() {}

  /** The tag of {@code [n] IMPLICIT} over a primitive type, e.g. 0x81 for {@code [1]}. */
  static int contextPrimitive(int n) {
    return 0x80 | n;
  }

  /** The tag of {@code [n] EXPLICIT}, or IMPLICIT over a constructed type, e.g. 0xa3. */
  static int contextConstructed(int n) {
    return 0xa0 | CONSTRUCTED | n;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * A cursor over the elements in {@code buf[from, to)}, one after another. After {@link #next},
   * the fields {@link #tag}, {@link #start}, {@link #valueStart} and {@link #end} describe the
   * element just read ({@code buf[start, end)} is its whole encoding, {@code buf[valueStart, end)}
   * its contents octets). Allocation-free except for {@link #enter} and the copying accessors.
   */
  static final class Reader {
    private final byte[] buf;
    private final int limit;
    private final String what;
    private int pos;

    /** Identifier octet of the element just read. */
    int tag;

    /** Offset of the element's identifier octet. */
    int start;

    /** Offset of the element's contents octets. */
    int valueStart;

    /** Offset just past the element. */
    int end;

    /**
     * Reads {@code buf[from, to)}; {@code what} names the enclosing structure in messages. Requires
     * {@code 0 <= from <= to <= buf.length}.
     */
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

    /** A reader over the whole of {@code buf}. */
    Reader(byte[] buf, String what) {
      this(buf, 0, buf.length, what);
    }

    byte[] buffer() {
      return buf;
    }

    /** Whether another element follows. */
    boolean hasNext() {
      return pos < limit;
    }

    /** Offset of the next element (or of the end of the range). */
    int position() {
      return pos;
    }

    /** Whether another element follows and has identifier {@code expectedTag}. */
    boolean nextIs(int expectedTag) {
      return pos < limit && (buf[pos] & 0xff) == expectedTag;
    }

    /**
     * Reads the next element's identifier and length and moves past it.
     *
     * @throws MalformedInputException if there is none, or its header is not DER, or it runs past
     *     the end of the range
     */
    void next(String field) throws MalformedInputException {
      if (pos >= limit) {
        throw fail(field, pos, "missing (the structure ends here)");
      }
      int p = pos;
      int t = buf[p++] & 0xff;
      if ((t & 0x1f) == 0x1f) {
        throw fail(field, pos, "high tag number form (identifier 0x" + hex2(t) + ") not supported");
      }
      if (p >= limit) {
        throw fail(field, pos, "truncated: no length octet");
      }
      int first = buf[p++] & 0xff;
      long len;
      if (first < 0x80) {
        len = first;
      } else if (first == 0x80) {
        throw fail(field, pos, "indefinite length (BER) is not allowed in DER");
      } else if (first == 0xff) {
        throw fail(field, pos, "reserved length octet 0xff");
      } else {
        int n = first & 0x7f;
        if (n > 4) {
          throw fail(field, pos, "length of " + n + " octets is too large");
        }
        if (limit - p < n) {
          throw fail(field, pos, "truncated inside the length octets");
        }
        if (buf[p] == 0) {
          throw fail(field, pos, "non-minimal length: leading zero octet");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (buf[p++] & 0xff);
        }
        if (len < 0x80) {
          throw fail(field, pos, "non-minimal length: " + len + " in the long form");
        }
      }
      if (len > limit - p) {
        throw fail(
            field, pos, "truncated: length " + len + " but only " + (limit - p) + " octets remain");
      }
      tag = t;
      start = pos;
      valueStart = p;
      end = p + (int) len;
      pos = end;
    }

    /**
     * Reads the next element and checks its identifier.
     *
     * @throws MalformedInputException if it is missing, malformed or has another identifier
     */
    void next(int expectedTag, String field) throws MalformedInputException {
      if (pos < limit && (buf[pos] & 0xff) != expectedTag) {
        throw fail(
            field,
            pos,
            "expected identifier 0x" + hex2(expectedTag) + ", found 0x" + hex2(buf[pos] & 0xff));
      }
      next(field);
    }

    /** A reader over the contents octets of the element just read. */
    Reader enter(String inner) {
      return new Reader(buf, valueStart, end, inner);
    }

    /**
     * Checks that no element follows.
     *
     * @throws MalformedInputException if one does
     */
    void expectEnd() throws MalformedInputException {
      if (pos != limit) {
        throw new MalformedInputException(
            what + ": " + (limit - pos) + " unexpected trailing octet(s) at offset " + pos);
      }
    }

    /** Contents length of the element just read. */
    int length() {
      return end - valueStart;
    }

    /** A copy of the whole encoding of the element just read. */
    byte[] element() {
      return slice(buf, start, end);
    }

    /** A copy of the contents octets of the element just read. */
    byte[] value() {
      return slice(buf, valueStart, end);
    }

    /** A failure of {@code field} at {@code offset}, for the caller's own checks. */
    MalformedInputException fail(String field, int offset, String problem) {
      return new MalformedInputException(
          what + ": " + field + " at offset " + offset + ": " + problem);
    }
  }

  /**
   * Checks that {@code buf[from, to)} is a sequence of well-formed DER elements, descending into
   * every constructed element (identifier bit 6 set) and checking each is exactly filled by its
   * children. Primitive contents are not interpreted.
   *
   * @throws MalformedInputException naming the offset of the first fault
   */
  static void checkWellFormed(byte[] buf, int from, int to, String what)
      throws MalformedInputException {
    checkWellFormed(buf, from, to, what, 0);
  }

  private static void checkWellFormed(byte[] buf, int from, int to, String what, int depth)
      throws MalformedInputException {
    if (depth > 32) {
      throw new MalformedInputException(what + ": nested deeper than 32 levels at offset " + from);
    }
    Reader r = new Reader(buf, from, to, what);
    while (r.hasNext()) {
      r.next("element");
      if ((r.tag & CONSTRUCTED) != 0) {
        checkWellFormed(buf, r.valueStart, r.end, what, depth + 1);
      }
    }
  }

  /**
   * Reads the contents of a DER INTEGER that must fit in 64 bits as an unsigned value: {@code
   * buf[from, to)} is minimal two's complement. Returns the value as an unsigned {@code long}.
   *
   * @throws MalformedInputException if the encoding is empty or not minimal, or the value is
   *     negative or at least 2^64
   */
  static long unsignedLong(byte[] buf, int from, int to, String field)
      throws MalformedInputException {
    checkMinimalInteger(buf, from, to, field);
    if ((buf[from] & 0x80) != 0) {
      throw new MalformedInputException(field + " is negative");
    }
    int p = from;
    if (buf[p] == 0 && to - p > 1) {
      p++;
    }
    if (to - p > 8) {
      throw new MalformedInputException(
          field + " is too large: " + new BigInteger(slice(buf, from, to)) + " is not below 2^64");
    }
    long v = 0;
    for (; p < to; p++) {
      v = (v << 8) | (buf[p] & 0xff);
    }
    return v;
  }

  /**
   * Checks that {@code buf[from, to)} is the contents of a DER INTEGER: not empty, and no redundant
   * leading 0x00 or 0xff octet.
   */
  static void checkMinimalInteger(byte[] buf, int from, int to, String field)
      throws MalformedInputException {
    if (to <= from) {
      throw new MalformedInputException(field + ": empty INTEGER");
    }
    if (to - from > 1) {
      int b0 = buf[from] & 0xff;
      int b1 = buf[from + 1] & 0x80;
      if ((b0 == 0x00 && b1 == 0) || (b0 == 0xff && b1 != 0)) {
        throw new MalformedInputException(field + ": non-minimal INTEGER encoding");
      }
    }
  }

  /** Dotted-decimal form of OID contents {@code buf[from, to)}, for messages; lenient. */
  static String oidToString(byte[] buf, int from, int to) {
    StringBuilder sb = new StringBuilder();
    BigInteger v = BigInteger.ZERO;
    boolean first = true;
    for (int i = from; i < to; i++) {
      v = v.shiftLeft(7).or(BigInteger.valueOf(buf[i] & 0x7f));
      if ((buf[i] & 0x80) == 0) {
        if (first) {
          int top = v.compareTo(BigInteger.valueOf(80)) >= 0 ? 2 : v.intValue() / 40;
          sb.append(top).append('.').append(v.subtract(BigInteger.valueOf(top * 40L)));
          first = false;
        } else {
          sb.append('.').append(v);
        }
        v = BigInteger.ZERO;
      }
    }
    return sb.length() == 0 ? "(empty OID)" : sb.toString();
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** The identifier and length octets of an element with {@code length} contents octets. */
  static byte[] header(int tag, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    int n = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] h = new byte[2 + n];
    h[0] = (byte) tag;
    h[1] = (byte) (0x80 | n);
    for (int i = 0; i < n; i++) {
      h[2 + i] = (byte) (length >>> (8 * (n - 1 - i)));
    }
    return h;
  }

  /** An element whose contents octets are the concatenation of {@code parts}. */
  static byte[] tlv(int tag, byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len = Math.addExact(len, p.length);
    }
    byte[] h = header(tag, len);
    byte[] out = new byte[h.length + len];
    System.arraycopy(h, 0, out, 0, h.length);
    int at = h.length;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** The concatenation of {@code parts}. */
  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(SEQUENCE, parts);
  }

  static byte[] set(byte[]... parts) {
    return tlv(SET, parts);
  }

  /** {@code [n] EXPLICIT} around {@code parts}. */
  static byte[] explicit(int n, byte[]... parts) {
    return tlv(contextConstructed(n), parts);
  }

  /** A DER INTEGER (minimal two's complement). */
  static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray());
  }

  /** A positive DER INTEGER holding {@code value} read as unsigned 64-bit. */
  static byte[] unsignedInteger(long value) {
    byte[] be = new byte[9]; // a leading 0x00 for values with the top bit set
    for (int i = 0; i < 8; i++) {
      be[1 + i] = (byte) (value >>> (8 * (7 - i)));
    }
    int from = 0;
    while (from < 8 && be[from] == 0 && (be[from + 1] & 0x80) == 0) {
      from++;
    }
    return tlv(INTEGER, slice(be, from, 9));
  }

  /** A DER OBJECT IDENTIFIER from dotted decimal, e.g. {@code 1.3.6.1.4.1.44363.47.0}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.", -1);
    if (arcs.length < 2) {
      throw new IllegalArgumentException("an OID needs at least two arcs: " + dotted);
    }
    BigInteger first = new BigInteger(arcs[0]);
    BigInteger second = new BigInteger(arcs[1]);
    if (first.signum() < 0
        || first.compareTo(BigInteger.TWO) > 0
        || second.signum() < 0
        || (first.compareTo(BigInteger.TWO) < 0 && second.compareTo(BigInteger.valueOf(40)) >= 0)) {
      throw new IllegalArgumentException("bad first arcs in OID " + dotted);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, first.multiply(BigInteger.valueOf(40)).add(second));
    for (int i = 2; i < arcs.length; i++) {
      BigInteger arc = new BigInteger(arcs[i]);
      if (arc.signum() < 0) {
        throw new IllegalArgumentException("negative arc in OID " + dotted);
      }
      base128(out, arc);
    }
    return tlv(OID, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, BigInteger v) {
    int groups = Math.max(1, (v.bitLength() + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int septet = v.shiftRight(7 * g).intValue() & 0x7f;
      out.write(septet | (g > 0 ? 0x80 : 0));
    }
  }

  /** A BIT STRING with no unused bits holding {@code bytes}. */
  static byte[] bitString(byte[] bytes) {
    return tlv(BIT_STRING, new byte[] {0}, bytes);
  }

  static byte[] octetString(byte[] bytes) {
    return tlv(OCTET_STRING, bytes);
  }

  static byte[] utf8String(String s) {
    return tlv(UTF8_STRING, s.getBytes(UTF_8));
  }

  static byte[] slice(byte[] buf, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(buf, from, out, 0, out.length);
    return out;
  }

  private static String hex2(int b) {
    return String.format("%02x", b);
  }
}
