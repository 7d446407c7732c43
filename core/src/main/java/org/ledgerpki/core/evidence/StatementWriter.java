package org.ledgerpki.core.evidence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Canonical, unambiguous binary encoding of signed statements (TLS presentation style): a label
 * line, then length-prefixed fields. Two different statements never encode to the same bytes. A
 * value the encoding cannot hold is refused with a {@link StatementEncodingException} that names
 * the field.
 */
final class StatementWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private final String label;

  StatementWriter(String label) {
    this.label = label;
    byte[] l = (label + "\n").getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(l);
  }

  /**
   * A UTF-8 string, {@code uint16} length prefix.
   *
   * @throws StatementEncodingException if it is over {@link FieldBounds#MAX_ENCODED_FIELD_BYTES}
   */
  StatementWriter string(String field, String s) {
    return bytes(field, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Opaque bytes, {@code uint16} length prefix (empty for null).
   *
   * @throws StatementEncodingException if over {@link FieldBounds#MAX_ENCODED_FIELD_BYTES} bytes
   */
  StatementWriter bytes(String field, byte[] b) {
    byte[] v = b == null ? new byte[0] : b;
    if (v.length > FieldBounds.MAX_ENCODED_FIELD_BYTES) {
      throw new StatementEncodingException(
          label
              + ": field '"
              + field
              + "' is "
              + v.length
              + " bytes; the encoding allows at most "
              + FieldBounds.MAX_ENCODED_FIELD_BYTES);
    }
    out.write(v.length >>> 8);
    out.write(v.length);
    out.writeBytes(v);
    return this;
  }

  /**
   * A big-endian {@code uint16}.
   *
   * @throws StatementEncodingException unless {@code 0 <= v <= 65535}
   */
  StatementWriter u16(String field, long v) {
    if (v < 0 || v > 0xffff) {
      throw new StatementEncodingException(
          label + ": field '" + field + "' must be a uint16 (0..65535), found " + v);
    }
    out.write((int) (v >>> 8));
    out.write((int) v);
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
