package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import java.util.HexFormat;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * Verifies Ed25519 {@code cosignature/v1} cosignatures (type 0x04; see {@link CosignatureV1}).
 * Immutable and thread-safe.
 */
public final class Ed25519CosignatureVerifier implements CosignatureVerifier {
  private final String name;
  private final PublicKey publicKey;
  private final int keyId;

  /**
   * Creates a verifier for the cosigner {@code name} with Ed25519 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or the key is not
   *     Ed25519
   */
  public Ed25519CosignatureVerifier(String name, PublicKey publicKey) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    if (SignatureAlgorithm.of(publicKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("cosignature/v1 needs an Ed25519 public key");
    }
    this.name = name;
    this.publicKey = Signatures.defaults().adopt(publicKey);
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey));
  }

  /**
   * Creates a verifier from a vkey of type 0x04 with a 32-byte key.
   *
   * @throws MalformedInputException if the vkey is of another type or size
   */
  public static Ed25519CosignatureVerifier fromVkey(Vkey vkey) throws MalformedInputException {
    if (vkey.type() != NoteKeys.TYPE_COSIGNATURE_V1) {
      throw new MalformedInputException("vkey: type " + vkey.type() + " is not cosignature/v1 (4)");
    }
    byte[] raw = vkey.publicKey();
    if (raw.length != Keys.ED25519_KEY_SIZE) {
      throw new MalformedInputException(
          "vkey: an Ed25519 cosigner key is 32 bytes, not " + raw.length);
    }
    Ed25519CosignatureVerifier v =
        new Ed25519CosignatureVerifier(vkey.name(), Keys.ed25519FromRaw(raw));
    if (v.keyId != vkey.keyId()) {
      throw new MalformedInputException("vkey: key ID does not match the key");
    }
    return v;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  @Override
  public byte type() {
    return NoteKeys.TYPE_COSIGNATURE_V1;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey));
  }

  /**
   * Returns whether {@code signature} (timestamp and Ed25519 signature, 72 bytes) is this
   * cosigner's signature of {@code text} (the checkpoint body) at the timestamp it carries.
   */
  @Override
  public boolean verify(byte[] text, byte[] signature) {
    if (signature.length != CosignatureV1.SIGNATURE_SIZE || signature[0] < 0) {
      return false; // wrong size, or a timestamp above 2^63-1
    }
    long ts = Cosignatures.timestampOf(signature);
    return Signatures.defaults()
        .verify(publicKey, CosignatureV1.message(text, ts), Cosignatures.signaturePart(signature));
  }

  @Override
  public String toString() {
    return "Ed25519CosignatureVerifier[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
