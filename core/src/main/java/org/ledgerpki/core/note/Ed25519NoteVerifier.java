package org.ledgerpki.core.note;

import java.security.PublicKey;
import java.util.HexFormat;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;

/** Verifies Ed25519 note signatures (signature type 0x01). Immutable and thread-safe. */
public final class Ed25519NoteVerifier implements NoteVerifier {
  private final String name;
  private final PublicKey publicKey;
  private final int keyId;

  /**
   * Creates a verifier.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or {@code publicKey}
   *     is not an Ed25519 key
   */
  public Ed25519NoteVerifier(String name, PublicKey publicKey) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name '" + name + "'");
    }
    if (SignatureAlgorithm.of(publicKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    this.name = name;
    this.publicKey = Signatures.defaults().adopt(publicKey);
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, Keys.ed25519Raw(publicKey));
  }

  /**
   * Creates a verifier from a vkey of type 0x01.
   *
   * @throws MalformedInputException if the vkey is of another type, its key is not 32 bytes, or its
   *     key ID does not match
   */
  public static Ed25519NoteVerifier fromVkey(Vkey vkey) throws MalformedInputException {
    if (vkey.type() != NoteKeys.TYPE_ED25519) {
      throw new MalformedInputException("vkey: type " + vkey.type() + " is not Ed25519 (1)");
    }
    byte[] raw = vkey.publicKey();
    if (raw.length != Keys.ED25519_KEY_SIZE) {
      throw new MalformedInputException(
          "vkey: an Ed25519 public key is 32 bytes, not " + raw.length);
    }
    vkey.checkKeyId("vkey");
    return new Ed25519NoteVerifier(vkey.name(), Keys.ed25519FromRaw(raw));
  }

  /**
   * Parses a vkey string of type 0x01 (see {@link #fromVkey(Vkey)}).
   *
   * @throws MalformedInputException naming the fault
   */
  public static Ed25519NoteVerifier fromVkey(String vkey) throws MalformedInputException {
    return fromVkey(Vkey.parse(vkey));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  /** Returns the public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Returns the vkey (type 0x01). */
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_ED25519, Keys.ed25519Raw(publicKey));
  }

  @Override
  public boolean verify(byte[] text, byte[] signature) {
    return signature.length == 64 && Signatures.defaults().verify(publicKey, text, signature);
  }

  @Override
  public String toString() {
    return "Ed25519NoteVerifier[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
