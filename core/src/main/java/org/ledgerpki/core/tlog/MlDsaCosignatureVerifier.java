package org.ledgerpki.core.tlog;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.HexFormat;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.Vkey;

/**
 * Verifies ML-DSA-44 {@code subtree/v1} checkpoint cosignatures in notes (type 0x06; see {@link
 * SubtreeCosignature}). The CosignedMessage is rebuilt from the parsed checkpoint: start 0, end =
 * tree size, hash = root hash; extension lines are not covered. Immutable and thread-safe.
 */
public final class MlDsaCosignatureVerifier implements CosignatureVerifier {
  private final String name;
  private final PublicKey publicKey;
  private final int keyId;

  /**
   * Creates a verifier for the cosigner {@code name} with ML-DSA-44 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if the name is not a valid key name of at most 255 bytes or
   *     the key is not ML-DSA-44
   */
  public MlDsaCosignatureVerifier(String name, PublicKey publicKey) {
    if (!NoteKeys.isValidKeyName(name) || name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    SubtreeCosignature.requireMlDsa44(publicKey);
    this.name = name;
    this.publicKey = Signatures.defaults().adopt(publicKey);
    this.keyId = SubtreeCosignature.keyId(name, publicKey);
  }

  /**
   * Creates a verifier from a vkey of type 0x06 with a 1312-byte key.
   *
   * @throws MalformedInputException if the vkey is of another type or size, or its key ID does not
   *     match
   */
  public static MlDsaCosignatureVerifier fromVkey(Vkey vkey) throws MalformedInputException {
    if (vkey.type() != NoteKeys.TYPE_SUBTREE_V1) {
      throw new MalformedInputException("vkey: type " + vkey.type() + " is not subtree/v1 (6)");
    }
    byte[] raw = vkey.publicKey();
    int expected = SignatureAlgorithm.ML_DSA_44.mlDsaPublicKeySize();
    if (raw.length != expected) {
      throw new MalformedInputException(
          "vkey: an ML-DSA-44 key is " + expected + " bytes, not " + raw.length);
    }
    MlDsaCosignatureVerifier v =
        new MlDsaCosignatureVerifier(
            vkey.name(), Keys.mlDsaFromRaw(SignatureAlgorithm.ML_DSA_44, raw));
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
    return NoteKeys.TYPE_SUBTREE_V1;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_SUBTREE_V1, Keys.mlDsaRaw(publicKey));
  }

  /**
   * Returns the verifier of the same cosigner's ML-DSA-44 status cosignatures (type 0xff, ADR
   * 0010), which are made with the same key under another key ID.
   */
  public MlDsaStatusCosignatureVerifier statusVerifier() {
    return new MlDsaStatusCosignatureVerifier(name, publicKey);
  }

  /**
   * Returns whether {@code signature} (timestamp and 2420-byte signature) is this cosigner's
   * signature of the checkpoint in {@code text}. False if the text is not a checkpoint.
   */
  @Override
  public boolean verify(byte[] text, byte[] signature) {
    if (signature.length != SubtreeCosignature.SIGNATURE_SIZE || signature[0] < 0) {
      return false;
    }
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(new String(text, StandardCharsets.UTF_8));
    } catch (MalformedInputException e) {
      return false;
    }
    return SubtreeCosignature.verifySubtree(
        publicKey,
        name,
        Cosignatures.timestampOf(signature),
        cp.origin(),
        0,
        cp.size(),
        cp.rootHash(),
        Cosignatures.signaturePart(signature));
  }

  @Override
  public String toString() {
    return "MlDsaCosignatureVerifier[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
