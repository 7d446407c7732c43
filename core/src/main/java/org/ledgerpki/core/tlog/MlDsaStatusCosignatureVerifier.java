package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * Verifies ML-DSA-44 status cosignatures (type 0xff; see {@link StatusCosignature}): a cosigner's
 * timestamped signature over the whole checkpoint body, by its {@code subtree/v1} key. It has no
 * vkey of its own: relying parties derive it from the cosigner's {@code subtree/v1} vkey ({@link
 * MlDsaCosignatureVerifier#statusVerifier()}). Immutable and thread-safe.
 */
public final class MlDsaStatusCosignatureVerifier extends BodyCosignatureVerifier {
  /**
   * Creates a verifier for the cosigner {@code name} with ML-DSA-44 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or the key is not
   *     ML-DSA-44
   */
  public MlDsaStatusCosignatureVerifier(String name, PublicKey publicKey) {
    super(
        validName(name),
        publicKey,
        StatusCosignature.keyId(name, publicKey),
        StatusCosignature.SIGNATURE_SIZE);
  }

  /** Returns 0xff ({@link NoteKeys#TYPE_EXTENDED}). */
  @Override
  public byte type() {
    return NoteKeys.TYPE_EXTENDED;
  }

  /** Returns the cosigner's {@code subtree/v1} vkey (type 0x06), which names the same key. */
  @Override
  public Vkey vkey() {
    return Vkey.of(name(), NoteKeys.TYPE_SUBTREE_V1, Keys.mlDsaRaw(publicKey()));
  }

  @Override
  byte[] message(byte[] text, long timestamp) {
    return StatusCosignature.message(name(), text, timestamp);
  }
}
