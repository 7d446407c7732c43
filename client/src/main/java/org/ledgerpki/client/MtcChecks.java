package org.ledgerpki.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.mtc.TrustedSubtree;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.schemas.inquiry.InquiryJson;
import org.ledgerpki.schemas.inquiry.Landmark;

/**
 * What a relying party checks of an inquiry node's answers about an MTC certificate before using
 * them: the landmark subtrees it may trust, and the status answer about the certificate's entry.
 */
public final class MtcChecks {
  private MtcChecks() {}

  /**
   * Adds to {@code trusted} every landmark subtree of {@code json} ({@code GET
   * /v1/landmarks/subtrees}) that a quorum of the bundle's cosigners signed for the certificate's
   * log; names the others in {@code refused}.
   *
   * @throws MalformedInputException if {@code json} is not a landmark list
   * @throws IllegalArgumentException if a hash or signature is not base64
   */
  public static void trustedSubtrees(
      String json,
      MtcCertificate mtc,
      QuorumCosignerPolicy quorum,
      List<TrustedSubtree> trusted,
      List<String> refused)
      throws MalformedInputException {
    Base64.Decoder b64 = Base64.getDecoder();
    for (Landmark lm : InquiryJson.landmarks(json)) {
      for (Landmark.Subtree st : lm.subtrees()) {
        byte[] hash = b64.decode(st.hash());
        List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
        for (Landmark.Cosignature g : st.signatures()) {
          sigs.add(MtcProof.SubtreeSignature.of(g.cosignerId(), b64.decode(g.signature())));
        }
        try {
          quorum.check(new CosignedSubtree(mtc.logId(), st.start(), st.end(), hash), sigs);
          trusted.add(new TrustedSubtree(mtc.logNumber(), st.start(), st.end(), hash));
        } catch (VerificationException e) {
          refused.add("landmark " + lm.number() + " [" + st.start() + ", " + st.end() + ")");
        }
      }
    }
  }

  /**
   * Verifies a status answer about an MTC certificate: {@link StatusVerifier#verify} with the MTC
   * certificate as the certificate held (its TBSCertificate maps to the same MTC log entry as the
   * submitted certificate: the entry's issuer is the CA's name in both, and serial and signature
   * are not part of the entry), then checks that the proven entry is exactly the one the MTC
   * certificate proves (its leaf hash, so its log entry extensions too) and in the same log.
   *
   * @throws MalformedInputException if the answer is not a well-formed status answer
   * @throws VerificationException if a check fails, naming it
   */
  public static StatusVerifier.Verified verifiedStatus(
      String answerJson, MtcCertificate mtc, StatusVerifier verifier, Instant now)
      throws MalformedInputException, VerificationException {
    StatusAnswer a = StatusAnswer.fromJson(answerJson);
    StatusVerifier.Verified sv = verifier.verify(a, mtc.encoded(), now);
    String log = TrustAnchorId.NAME_PREFIX + mtc.logId();
    if (!log.equals(sv.origin())) {
      throw new VerificationException(
          "the status answer is about log " + sv.origin() + ", the MTC certificate is of " + log);
    }
    byte[] mine = mtc.entryHash();
    if (!Arrays.equals(mine, sv.entryHash())) {
      throw new VerificationException(
          "the status answer proves entry "
              + Hex.encode(sv.entryHash())
              + ", the MTC certificate proves entry "
              + Hex.encode(mine));
    }
    return sv;
  }
}
