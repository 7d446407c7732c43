package org.ledgerpki.core.evidence;

import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.ProofException;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * Verifies {@link BatchEvidence}. A batch's signature is verified once and remembered (a bounded
 * cache keyed by signer, key, kind, size, root and signature), so verifying the evidence of every
 * statement in a batch costs one signature verification plus one inclusion proof each.
 *
 * <p>Thread-safe.
 */
public final class BatchVerifier {
  private final Map<String, Boolean> verified;

  /** A verifier remembering up to {@code cacheSize} verified batch roots. */
  public BatchVerifier(int cacheSize) {
    this.verified =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > cacheSize;
          }
        };
  }

  public BatchVerifier() {
    this(4096);
  }

  /**
   * Checks that {@code statement} was signed by {@code expectedSigner} with one of {@code keys}.
   *
   * @param kind the statement kind, e.g. {@link EndorsementStatement#KIND}
   * @param statement the encoded statement
   * @param evidence its evidence
   * @param expectedSigner the organisation the statement says signed it
   * @param keys that organisation's keys for this kind of statement, from the trust policy
   * @throws EvidenceException if the signer, key, proof or signature does not match
   */
  public void verify(
      String kind,
      byte[] statement,
      BatchEvidence evidence,
      String expectedSigner,
      Collection<PublicKey> keys)
      throws EvidenceException {
    if (!expectedSigner.equals(evidence.signer())) {
      throw new EvidenceException(
          "evidence signed by '" + evidence.signer() + "', expected '" + expectedSigner + "'");
    }
    PublicKey key = null;
    for (PublicKey k : keys) {
      if (BatchSigner.keyId(k).equals(evidence.keyId())) {
        key = k;
        break;
      }
    }
    if (key == null) {
      throw new EvidenceException(
          "key "
              + evidence.keyId()
              + " is not a "
              + kind
              + " key of '"
              + expectedSigner
              + "' in the trust policy");
    }
    byte[] root;
    try {
      root =
          Proofs.rootFromInclusionProof(
              evidence.leafIndex(),
              evidence.batchSize(),
              Rfc9162.leafHash(statement),
              evidence.proof());
    } catch (ProofException | IllegalArgumentException e) {
      throw new EvidenceException("batch inclusion proof is invalid: " + e.getMessage(), e);
    }
    byte[] message =
        BatchSigner.rootMessage(
            evidence.signer(), evidence.keyId(), kind, evidence.batchSize(), root);
    String cacheKey = Hex.encode(Sha256.hash(message, evidence.signature()));
    synchronized (verified) {
      if (verified.containsKey(cacheKey)) {
        return;
      }
    }
    boolean ok;
    try {
      ok = Signatures.defaults().verify(key, message, evidence.signature());
    } catch (CryptoException e) {
      throw new EvidenceException("cannot verify the batch signature: " + e.getMessage(), e);
    }
    if (!ok) {
      throw new EvidenceException(
          "batch signature of '"
              + expectedSigner
              + "' (key "
              + evidence.keyId()
              + ") does not verify over batch root "
              + Hex.encode(root)
              + " of size "
              + evidence.batchSize());
    }
    synchronized (verified) {
      verified.put(cacheKey, Boolean.TRUE);
    }
  }
}
