package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * Verifies Ed25519 {@code cosignature/v1} cosignatures (type 0x04; see {@link CosignatureV1}).
 * Immutable and thread-safe.
 */
public final class Ed25519CosignatureVerifier extends BodyCosignatureVerifier {
  /**
   * Creates a verifier for the cosigner {@code name} with Ed25519 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or the key is not
   *     Ed25519
   */
  public Ed25519CosignatureVerifier(String name, PublicKey publicKey) {
    super(validName(name), publicKey, keyIdOf(name, publicKey), CosignatureV1.SIGNATURE_SIZE);
  }

  private static int keyIdOf(String name, PublicKey publicKey) {
    if (SignatureAlgorithm.of(publicKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("cosignature/v1 needs an Ed25519 public key");
    }
    return NoteKeys.keyId(name, NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey));
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
    if (v.keyId() != vkey.keyId()) {
      throw new MalformedInputException("vkey: key ID does not match the key");
    }
    return v;
  }

  @Override
  public byte type() {
    return NoteKeys.TYPE_COSIGNATURE_V1;
  }

  @Override
  public Vkey vkey() {
    return Vkey.of(name(), NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey()));
  }

  @Override
  byte[] message(byte[] text, long timestamp) {
    return CosignatureV1.message(text, timestamp);
  }
}
