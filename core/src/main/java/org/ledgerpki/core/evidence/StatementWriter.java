package org.ledgerpki.core.evidence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Canonical, unambiguous binary encoding of signed statements (TLS presentation style): a label
 * line, then length-prefixed fields. Two different statements never encode to the same bytes.
 */
final class StatementWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  StatementWriter(String label) {
    byte[] l = (label + "\n").getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(l);
  }

  /** A UTF-8 string, {@code uint16} length prefix. Requires at most 65535 bytes. */
  StatementWriter string(String s) {
    return bytes(s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
  }

  /** Opaque bytes, {@code uint16} length prefix (empty for null). Requires at most 65535 bytes. */
  StatementWriter bytes(byte[] b) {
    byte[] v = b == null ? new byte[0] : b;
    if (v.length > 0xffff) {
      throw new IllegalArgumentException("statement field too long: " + v.length + " bytes");
    }
    out.write(v.length >>> 8);
    out.write(v.length);
    out.writeBytes(v);
    return this;
  }

  /** A big-endian {@code uint16}. Requires 0 <= v <= 65535. */
  StatementWriter u16(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("uint16 out of range: " + v);
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  /** A big-endian 64-bit integer. */
  StatementWriter u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
