package org.ledgerpki.core.mtc;

import java.util.List;

/**
 * A relying party's cosigner requirements (draft, "Trusted Cosigners"), for MTC certificates whose
 * subtree is not a trusted subtree: decides whether an MTCProof's signatures hold a sufficient set
 * of valid cosignatures on the subtree. {@link MtcVerifier} calls it at step 12 of "Verifying
 * Certificate Signatures".
 *
 * <p>Implementations must verify each signature over {@link CosignedSubtree#message(byte[])} with
 * the key the policy configures for that cosigner ID, ignore unrecognised cosigners, count each
 * cosigner once, and be thread-safe.
 */
@FunctionalInterface
public interface CosignerPolicy {
  /**
   * Returns normally if {@code signatures} contain enough valid cosignatures on {@code subtree}.
   *
   * @param subtree the CosignedMessage parameters (timestamp 0)
   * @param signatures the MTCProof's signatures, in cosigner ID order
   * @throws MtcVerificationException if they do not; the message names what was required and what
   *     was found
   */
  void check(CosignedSubtree subtree, List<MtcProof.SubtreeSignature> signatures)
      throws MtcVerificationException;
}
