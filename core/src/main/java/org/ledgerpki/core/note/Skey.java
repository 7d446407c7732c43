package org.ledgerpki.core.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.ledgerpki.core.MalformedInputException;

/**
 * A signer key ("skey") in the format of Go's {@code golang.org/x/mod/sumdb/note}: {@code
 * PRIVATE+KEY+<name>+<hex key ID>+<base64(type || private key)>}. For Ed25519 (type 0x01) the
 * private key is the 32-byte RFC 8032 seed. Secret: {@link #toString()} hides the key, and {@link
 * #format()} output must be stored with care.
 *
 * @param name the key name
 * @param keyId the key ID of the matching public key
 * @param type the signature type byte
 * @param privateKey the private key material; the record keeps its own copy
 */
public record Skey(String name, int keyId, byte type, byte[] privateKey) {
  private static final String PREFIX = "PRIVATE+KEY+";

  /**
   * Creates an skey.
   *
   * @throws IllegalArgumentException if the name is invalid or the key material empty
   */
  public Skey {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name '" + name + "'");
    }
    if (privateKey.length == 0) {
      throw new IllegalArgumentException("empty private key");
    }
    privateKey = privateKey.clone();
  }

  /**
   * Parses an skey. It splits on the first four {@code +} only, because base64 may contain {@code
   * +}. The key ID is not checked against the key here; {@link Ed25519NoteSigner#fromSkey} does.
   *
   * @throws MalformedInputException naming the fault (never quoting the key)
   */
  public static Skey parse(String skey) throws MalformedInputException {
    String s = skey.strip();
    if (!s.startsWith(PREFIX)) {
      throw new MalformedInputException("skey: does not start with PRIVATE+KEY+");
    }
    String rest = s.substring(PREFIX.length());
    int p1 = rest.indexOf('+');
    int p2 = p1 < 0 ? -1 : rest.indexOf('+', p1 + 1);
    if (p2 < 0) {
      throw new MalformedInputException(
          "skey: expected PRIVATE+KEY+<name>+<hex key ID>+<base64 key>");
    }
    String name = rest.substring(0, p1);
    if (!NoteKeys.isValidKeyName(name)) {
      throw new MalformedInputException("skey: invalid key name '" + name + "'");
    }
    int keyId = Vkey.parseKeyId(rest.substring(p1 + 1, p2), "skey");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(rest.substring(p2 + 1));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("skey: key is not base64");
    }
    if (key.length < 2) {
      throw new MalformedInputException("skey: key material is empty");
    }
    try {
      return new Skey(name, keyId, key[0], Arrays.copyOfRange(key, 1, key.length));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Returns the skey string. It holds the private key. */
  public String format() {
    byte[] material = new byte[1 + privateKey.length];
    material[0] = type;
    System.arraycopy(privateKey, 0, material, 1, privateKey.length);
    try {
      return PREFIX
          + name
          + "+"
          + HexFormat.of().toHexDigits(keyId)
          + "+"
          + Base64.getEncoder().encodeToString(material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** Returns a copy of the private key material. The caller should wipe it after use. */
  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Skey k
        && name.equals(k.name)
        && keyId == k.keyId
        && type == k.type
        && Arrays.equals(privateKey, k.privateKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }

  /** Names the key without revealing it. */
  @Override
  public String toString() {
    return "Skey[" + name + "+" + HexFormat.of().toHexDigits(keyId) + ", type " + type + "]";
  }
}
