package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import java.util.HexFormat;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;

/**
 * What the verifiers of timestamped cosignatures over the whole checkpoint body share: Ed25519
 * {@code cosignature/v1} and the ML-DSA-44 status cosignature (ADR 0010). The signature is a {@code
 * timestamped_signature} of a fixed size; the signed message is the type's header lines and the
 * body. Immutable and thread-safe.
 */
abstract sealed class BodyCosignatureVerifier implements CosignatureVerifier
    permits Ed25519CosignatureVerifier, MlDsaStatusCosignatureVerifier {
  private final String name;
  private final PublicKey publicKey;
  private final int keyId;
  private final int signatureSize;

  /**
   * @param signatureSize the size of a signature after the key ID, timestamp included
   */
  BodyCosignatureVerifier(String name, PublicKey publicKey, int keyId, int signatureSize) {
    this.name = name;
    this.publicKey = Signatures.defaults().adopt(publicKey);
    this.keyId = keyId;
    this.signatureSize = signatureSize;
  }

  /** Returns {@code name} if it is a valid key name. */
  static String validName(String name) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    return name;
  }

  /** The message the cosigner signs for {@code text} (the checkpoint body) at {@code timestamp}. */
  abstract byte[] message(byte[] text, long timestamp);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int keyId() {
    return keyId;
  }

  @Override
  public final PublicKey publicKey() {
    return publicKey;
  }

  /**
   * Returns whether {@code signature} (timestamp and signature) is this cosigner's signature of
   * {@code text} (the checkpoint body) at the timestamp it carries.
   */
  @Override
  public final boolean verify(byte[] text, byte[] signature) {
    if (signature.length != signatureSize || signature[0] < 0) {
      return false; // wrong size, or a timestamp above 2^63-1
    }
    long ts = Cosignatures.timestampOf(signature);
    return Signatures.defaults()
        .verify(publicKey, message(text, ts), Cosignatures.signaturePart(signature));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
