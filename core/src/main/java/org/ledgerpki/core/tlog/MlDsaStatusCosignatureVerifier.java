package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import java.util.HexFormat;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * Verifies ML-DSA-44 status cosignatures (type 0xff; see {@link StatusCosignature}): a cosigner's
 * timestamped signature over the whole checkpoint body, by its {@code subtree/v1} key. It has no
 * vkey of its own: relying parties derive it from the cosigner's {@code subtree/v1} vkey ({@link
 * MlDsaCosignatureVerifier#statusVerifier()}). Immutable and thread-safe.
 */
public final class MlDsaStatusCosignatureVerifier implements CosignatureVerifier {
  private final String name;
  private final PublicKey publicKey;
  private final int keyId;

  /**
   * Creates a verifier for the cosigner {@code name} with ML-DSA-44 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or the key is not
   *     ML-DSA-44
   */
  public MlDsaStatusCosignatureVerifier(String name, PublicKey publicKey) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    this.keyId = StatusCosignature.keyId(name, publicKey);
    this.name = name;
    this.publicKey = Signatures.defaults().adopt(publicKey);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  /** Returns 0xff ({@link NoteKeys#TYPE_EXTENDED}). */
  @Override
  public byte type() {
    return NoteKeys.TYPE_EXTENDED;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Returns the cosigner's {@code subtree/v1} vkey (type 0x06), which names the same key. */
  @Override
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_SUBTREE_V1, Keys.mlDsaRaw(publicKey));
  }

  /**
   * Returns whether {@code signature} (timestamp and 2420-byte ML-DSA-44 signature) is this
   * cosigner's status cosignature of {@code text} (the whole checkpoint body) at the timestamp it
   * carries.
   */
  @Override
  public boolean verify(byte[] text, byte[] signature) {
    if (signature.length != StatusCosignature.SIGNATURE_SIZE || signature[0] < 0) {
      return false; // wrong size, or a timestamp above 2^63-1
    }
    long ts = Cosignatures.timestampOf(signature);
    return Signatures.defaults()
        .verify(
            publicKey,
            StatusCosignature.message(name, text, ts),
            Cosignatures.signaturePart(signature));
  }

  @Override
  public String toString() {
    return "MlDsaStatusCosignatureVerifier[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
