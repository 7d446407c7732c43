package org.ledgerpki.core.note;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One signature line of a signed note: {@code — <keyName> base64(keyId || signature)}.
 *
 * @param keyName the key name; non-empty, without Unicode spaces or {@code +}
 * @param keyId the 32-bit key ID (big-endian on the wire; may be negative as a Java int)
 * @param signature the bytes after the key ID (at least one byte); the record keeps its own copy
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  /** The em dash (U+2014) and space that open every signature line. */
  public static final String LINE_PREFIX = "\u2014 ";

  /**
   * Creates a signature line.
   *
   * @throws IllegalArgumentException if {@code keyName} is not a valid key name or {@code
   *     signature} is empty
   */
  public NoteSignature {
    if (!NoteKeys.isValidKeyName(keyName)) {
      throw new IllegalArgumentException(
          "invalid key name '" + keyName + "': must be non-empty, without spaces or '+'");
    }
    if (signature.length == 0) {
      throw new IllegalArgumentException("empty signature");
    }
    signature = signature.clone();
  }

  /** Returns a copy of the signature bytes (after the key ID). */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Returns the wire form of the signature: the 4-byte big-endian key ID, then the signature. */
  public byte[] encoded() {
    return ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
  }

  /** Returns the key ID as 8 lowercase hex digits, as in a vkey. */
  public String keyIdHex() {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** Returns the signature line without the final newline: {@code — <name> <base64>}. */
  public String line() {
    return LINE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(encoded());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s
        && keyName.equals(s.keyName)
        && keyId == s.keyId
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return (keyName.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyName + "+" + keyIdHex() + ", " + signature.length + " bytes]";
  }
}
