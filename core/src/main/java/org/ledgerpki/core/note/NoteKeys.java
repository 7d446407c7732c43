package org.ledgerpki.core.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.ledgerpki.core.Sha256;

/** Key names, key IDs and signature types of C2SP signed notes. */
public final class NoteKeys {
  /** Signature type 0x01: Ed25519 over the note text. */
  public static final byte TYPE_ED25519 = 0x01;

  /** Signature type 0x04: timestamped Ed25519 checkpoint cosignature ({@code cosignature/v1}). */
  public static final byte TYPE_COSIGNATURE_V1 = 0x04;

  /** Signature type 0x06: timestamped ML-DSA-44 (sub)tree cosignature ({@code subtree/v1}). */
  public static final byte TYPE_SUBTREE_V1 = 0x06;

  /**
   * Signature type 0xff: a type without an identifier byte of its own, which signed-note reserves
   * for types followed by a longer identifier (this system's ML-DSA-44 status cosignature, {@code
   * tlog.StatusCosignature}).
   */
  public static final byte TYPE_EXTENDED = (byte) 0xff;

  private NoteKeys() {}

  /**
   * Returns the key ID that signed-note recommends and that types 0x01, 0x04 and 0x06 require: the
   * first four bytes, big-endian, of SHA-256(name || 0x0A || type || publicKey).
   *
   * @param publicKey the public key encoding of the type (32 bytes for Ed25519, 1312 for ML-DSA-44)
   */
  public static int keyId(String name, byte type, byte[] publicKey) {
    byte[] h =
        Sha256.hash(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', type}, publicKey);
    return ByteBuffer.wrap(h, 0, 4).getInt();
  }

  /**
   * Returns whether {@code name} is a valid key name: non-empty, with no Unicode space (Go's {@code
   * unicode.IsSpace}: ASCII whitespace, U+0085, U+00A0 and the Unicode space separators) and no
   * plus sign.
   */
  public static boolean isValidKeyName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    return name.codePoints()
        .noneMatch(
            c ->
                c == '+'
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || c == 0x85
                    || Character.isISOControl(c)
                    || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
  }
}
