package org.ledgerpki.core.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.Lifecycle;

/**
 * Whether a certificate may enter the log, given what the log already holds (docs/status.md,
 * "Re-admission and compromised keys (validators)"). Pure: the caller looks up the log.
 *
 * <ul>
 *   <li>The certificate's MTC log entry is already in the log under another certificate (the same
 *       entry re-encoded: another serial, another signature encoding such as ECDSA (r, n−s), which
 *       the entry omits): ENTRY_ALREADY_IN_LOG. The very same certificate is not this rule's case:
 *       the sequencer refuses it as a DUPLICATE.
 *   <li>Its key (SHA-256 of the SPKI) belongs to an entry revoked for keyCompromise:
 *       KEY_COMPROMISED, whoever submits.
 *   <li>Its key belongs to an entry revoked for another reason (a RENEW counts as superseded): with
 *       {@link TrustPolicy.KeyReuse#OWNER}, only that entry's owner may reuse it; with {@link
 *       TrustPolicy.KeyReuse#NEVER}, nobody: KEY_REUSE_REFUSED.
 * </ul>
 */
public final class ReadmissionRule {
  private ReadmissionRule() {}

  /**
   * A certificate in the log with the key being checked.
   *
   * @param certificateSha256 hex SHA-256 of its DER
   * @param owner the member that submitted its ISSUE
   * @param revocationReason its RFC 5280 revocation reason, or null if it is not revoked
   */
  public record KeyUse(String certificateSha256, String owner, Integer revocationReason) {}

  /**
   * The rules the certificate breaks; empty if it may enter the log.
   *
   * @param reuse the policy's {@code lifecycle.keyReuseAfterRevocation}
   * @param submitter the member asking to admit it
   * @param certificateSha256 hex SHA-256 of the certificate
   * @param spkiSha256 hex SHA-256 of its SubjectPublicKeyInfo
   * @param certificateWithSameEntry the certificate already in the log with the same MTC log entry
   *     (by leaf hash), if any
   * @param usesOfKey the certificates already in the log with the same key
   */
  public static List<Violation> check(
      TrustPolicy.KeyReuse reuse,
      String submitter,
      String certificateSha256,
      String spkiSha256,
      Optional<String> certificateWithSameEntry,
      List<KeyUse> usesOfKey) {
    List<Violation> out = new ArrayList<>();
    certificateWithSameEntry
        .filter(other -> !other.equals(certificateSha256))
        .ifPresent(
            other ->
                out.add(
                    new Violation(
                        ViolationCode.ENTRY_ALREADY_IN_LOG,
                        "its MTC log entry is already in the log as certificate "
                            + other
                            + "; a re-encoding (serial, signature) is the same entry")));
    for (KeyUse u : usesOfKey) {
      if (u.certificateSha256().equals(certificateSha256) || u.revocationReason() == null) {
        continue;
      }
      int reason = u.revocationReason();
      if (reason == Lifecycle.REASON_KEY_COMPROMISE) {
        out.add(
            new Violation(
                ViolationCode.KEY_COMPROMISED,
                "the key (SPKI SHA-256 "
                    + spkiSha256
                    + ") was revoked for keyCompromise with certificate "
                    + u.certificateSha256()));
        return out;
      }
    }
    for (KeyUse u : usesOfKey) {
      if (u.certificateSha256().equals(certificateSha256) || u.revocationReason() == null) {
        continue;
      }
      boolean allowed = reuse == TrustPolicy.KeyReuse.OWNER && u.owner().equals(submitter);
      if (!allowed) {
        out.add(
            new Violation(
                ViolationCode.KEY_REUSE_REFUSED,
                "the key (SPKI SHA-256 "
                    + spkiSha256
                    + ") belongs to certificate "
                    + u.certificateSha256()
                    + " of '"
                    + u.owner()
                    + "', revoked ("
                    + Lifecycle.reasonName(u.revocationReason())
                    + "); lifecycle.keyReuseAfterRevocation is "
                    + reuse.configName()
                    + (reuse == TrustPolicy.KeyReuse.OWNER
                        ? ", and '" + submitter + "' is not the owner"
                        : "")));
        return out;
      }
    }
    return out;
  }
}
