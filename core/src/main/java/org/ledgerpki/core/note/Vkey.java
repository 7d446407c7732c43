package org.ledgerpki.core.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.ledgerpki.core.MalformedInputException;

/**
 * A verifier key ("vkey"), {@code <name>+<hex key ID>+<base64(type || public key)>}, as C2SP
 * signed-note defines it. Public material only. To get a {@link NoteVerifier} from a vkey string,
 * use {@code org.ledgerpki.core.tlog.NoteVerifiers.fromVkey}, which knows every supported type.
 *
 * @param name the key name
 * @param keyId the key ID
 * @param type the signature type byte (0x01, 0x04, 0x06, ...)
 * @param publicKey the public key material after the type byte; the record keeps its own copy
 */
public record Vkey(String name, int keyId, byte type, byte[] publicKey) {
  /**
   * Creates a vkey.
   *
   * @throws IllegalArgumentException if the name is invalid or the key material empty
   */
  public Vkey {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name '" + name + "'");
    }
    if (publicKey.length == 0) {
      throw new IllegalArgumentException("empty public key");
    }
    publicKey = publicKey.clone();
  }

  /** Returns the vkey of {@code publicKey} for {@code type}, with the standard key ID. */
  public static Vkey of(String name, byte type, byte[] publicKey) {
    return new Vkey(name, NoteKeys.keyId(name, type, publicKey), type, publicKey);
  }

  /**
   * Parses a vkey. The string splits on its first two {@code +} (the base64 may contain more); the
   * key ID is 8 hex digits. For types 0x01, 0x04 and 0x06 the key ID must equal {@link
   * NoteKeys#keyId} of the name, type and key; other types are returned unchecked.
   *
   * @throws MalformedInputException naming the fault
   */
  public static Vkey parse(String vkey) throws MalformedInputException {
    String s = vkey.strip();
    int p1 = s.indexOf('+');
    int p2 = p1 < 0 ? -1 : s.indexOf('+', p1 + 1);
    if (p2 < 0) {
      throw new MalformedInputException("vkey: expected <name>+<hex key ID>+<base64 key>");
    }
    String name = s.substring(0, p1);
    String idHex = s.substring(p1 + 1, p2);
    if (!NoteKeys.isValidKeyName(name)) {
      throw new MalformedInputException("vkey: invalid key name '" + name + "'");
    }
    int keyId = parseKeyId(idHex, "vkey");
    byte[] key = Note.decodeBase64(s.substring(p2 + 1), "vkey: key");
    if (key.length < 2) {
      throw new MalformedInputException("vkey: key material is empty");
    }
    Vkey v = new Vkey(name, keyId, key[0], Arrays.copyOfRange(key, 1, key.length));
    v.checkKeyId("vkey");
    return v;
  }

  /** Returns the vkey string. */
  public String format() {
    byte[] material = new byte[1 + publicKey.length];
    material[0] = type;
    System.arraycopy(publicKey, 0, material, 1, publicKey.length);
    return name
        + "+"
        + HexFormat.of().toHexDigits(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(material);
  }

  /** Returns a copy of the public key material. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  void checkKeyId(String what) throws MalformedInputException {
    if (type == NoteKeys.TYPE_ED25519
        || type == NoteKeys.TYPE_COSIGNATURE_V1
        || type == NoteKeys.TYPE_SUBTREE_V1) {
      int expected = NoteKeys.keyId(name, type, publicKey);
      if (expected != keyId) {
        throw new MalformedInputException(
            what
                + ": key ID "
                + HexFormat.of().toHexDigits(keyId)
                + " does not match the key; expected "
                + HexFormat.of().toHexDigits(expected));
      }
    }
  }

  static int parseKeyId(String hex, String what) throws MalformedInputException {
    if (hex.length() != 8
        || !hex.chars()
            .allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      throw new MalformedInputException(what + ": key ID '" + hex + "' is not 8 hex digits");
    }
    return (int) Long.parseLong(hex, 16);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vkey v
        && name.equals(v.name)
        && keyId == v.keyId
        && type == v.type
        && Arrays.equals(publicKey, v.publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return format();
  }
}
