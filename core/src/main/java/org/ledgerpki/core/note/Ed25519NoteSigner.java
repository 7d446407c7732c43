package org.ledgerpki.core.note;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;

/**
 * Signs note texts with Ed25519 (signature type 0x01): the signature is the 64-byte RFC 8032
 * signature of the text. Deterministic. The log signs its checkpoints with one of these.
 */
public final class Ed25519NoteSigner implements NoteSigner {
  private final String name;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final int keyId;

  /**
   * Creates a signer.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or {@code privateKey}
   *     is not an Ed25519 key
   */
  public Ed25519NoteSigner(String name, PrivateKey privateKey) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name '" + name + "'");
    }
    if (SignatureAlgorithm.of(privateKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("not an Ed25519 private key");
    }
    this.name = name;
    this.privateKey = Signatures.defaults().adopt(privateKey);
    this.publicKey = Keys.publicKeyOf(privateKey);
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, Keys.ed25519Raw(publicKey));
  }

  /** Generates a fresh Ed25519 key under {@code name}. */
  public static Ed25519NoteSigner generate(String name) {
    return new Ed25519NoteSigner(name, Keys.generate(SignatureAlgorithm.ED25519).getPrivate());
  }

  /**
   * Creates a signer from an skey of type 0x01 with a 32-byte seed.
   *
   * @throws MalformedInputException if the skey does not parse, is of another type, or its key ID
   *     does not match its key
   */
  public static Ed25519NoteSigner fromSkey(String skey) throws MalformedInputException {
    Skey k = Skey.parse(skey);
    if (k.type() != NoteKeys.TYPE_ED25519) {
      throw new MalformedInputException(
          "skey: type " + k.type() + " is not Ed25519 (" + NoteKeys.TYPE_ED25519 + ")");
    }
    byte[] seed = k.privateKey();
    if (seed.length != Keys.ED25519_KEY_SIZE) {
      throw new MalformedInputException("skey: an Ed25519 seed is 32 bytes, not " + seed.length);
    }
    Ed25519NoteSigner signer;
    try {
      signer = new Ed25519NoteSigner(k.name(), Keys.ed25519FromSeed(seed));
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    if (signer.keyId != k.keyId()) {
      throw new MalformedInputException(
          "skey: key ID "
              + HexFormat.of().toHexDigits(k.keyId())
              + " does not match the key; expected "
              + HexFormat.of().toHexDigits(signer.keyId));
    }
    return signer;
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

  /** Returns the vkey of this signer's public key (type 0x01). */
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_ED25519, Keys.ed25519Raw(publicKey));
  }

  /** Returns the skey of this signer. It holds the private key. */
  public Skey skey() {
    byte[] seed = Keys.ed25519Seed(privateKey);
    try {
      return new Skey(name, keyId, NoteKeys.TYPE_ED25519, seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** Returns a verifier for this signer's signatures. */
  public Ed25519NoteVerifier verifier() {
    return new Ed25519NoteVerifier(name, publicKey);
  }

  @Override
  public byte[] sign(byte[] text) {
    return Signatures.defaults().sign(privateKey, Objects.requireNonNull(text));
  }

  @Override
  public String toString() {
    return "Ed25519NoteSigner[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
