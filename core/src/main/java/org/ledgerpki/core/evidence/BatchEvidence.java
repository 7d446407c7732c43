package org.ledgerpki.core.evidence;

import java.util.List;

/**
 * Evidence that one statement was signed: the author signed the Merkle root of a batch of
 * statements once, and this statement's leaf is at {@code leafIndex} of that batch.
 *
 * @param signer member organisation id of the author
 * @param keyId {@link BatchSigner#keyId} of the author's key
 * @param batchSize number of statements in the batch (at least 1)
 * @param leafIndex position of this statement, {@code 0 <= leafIndex < batchSize}
 * @param proof RFC 9162 inclusion proof of the statement's leaf hash in the batch tree
 * @param signature the author's signature over {@link BatchSigner#rootMessage}
 */
public record BatchEvidence(
    String signer,
    String keyId,
    long batchSize,
    long leafIndex,
    List<byte[]> proof,
    byte[] signature) {

  public BatchEvidence {
    proof = List.copyOf(proof);
  }
}
