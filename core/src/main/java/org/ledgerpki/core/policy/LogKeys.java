package org.ledgerpki.core.policy;

import java.security.KeyPair;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.Ed25519NoteSigner;
import org.ledgerpki.core.tlog.MlDsaCosigner;

/**
 * The issuance log's signing keys: Ed25519 for checkpoint notes (type 0x01), and optionally
 * ML-DSA-44 ({@code subtree/v1}, the CA cosigner of the MTC draft). Only the sequencer holds them.
 *
 * @param mlDsa44 null if the log signs with Ed25519 only
 */
public record LogKeys(String caId, int number, KeyPair ed25519, KeyPair mlDsa44) {

  /** Generates both keys for log {@code number} of CA {@code caId}. */
  public static LogKeys generate(String caId, int number) {
    return new LogKeys(
        caId,
        number,
        Keys.generate(SignatureAlgorithm.ED25519),
        Keys.generate(SignatureAlgorithm.ML_DSA_44));
  }

  /** The checkpoint origin, also the name of both keys. */
  public String origin() {
    return TrustAnchorId.logOrigin(caId, number);
  }

  /** The Ed25519 checkpoint signer. */
  public Ed25519NoteSigner noteSigner() {
    return new Ed25519NoteSigner(origin(), ed25519.getPrivate());
  }

  /** The ML-DSA-44 signer, or null. */
  public MlDsaCosigner mlDsaSigner() {
    return mlDsa44 == null ? null : new MlDsaCosigner(origin(), mlDsa44.getPrivate());
  }

  /** The log's public entry for the trust policy. */
  public PolicyDocument.Log toDocument() {
    return new PolicyDocument.Log(
        caId,
        number,
        noteSigner().vkey().format(),
        mlDsa44 == null ? null : mlDsaSigner().vkey().format());
  }

  @Override
  public String toString() {
    return "LogKeys[" + origin() + "]";
  }
}
