package org.ledgerpki.core.profile;

import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.Readmission;

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
    Optional<Readmission.Revocation> compromise = Optional.empty();
    Optional<Readmission.Revocation> other = Optional.empty();
    for (KeyUse u : usesOfKey) {
      if (u.certificateSha256().equals(certificateSha256) || u.revocationReason() == null) {
        continue;
      }
      Readmission.Revocation r =
          new Readmission.Revocation(
              Hex.decode(u.certificateSha256()), u.revocationReason(), u.owner());
      if (Readmission.compromises(u.revocationReason())) {
        compromise = compromise.or(() -> Optional.of(r));
      } else {
        other = other.or(() -> Optional.of(r));
      }
    }
    // The one rule the sequencer and the cosigners apply too (core quorum.Readmission).
    return Readmission.check(
            certificateWithSameEntry
                .filter(c -> !c.equals(certificateSha256))
                .map(c -> "as certificate " + c),
            compromise,
            other,
            submitter,
            Readmission.KeyReuse.of(reuse))
        .map(
            r ->
                List.of(
                    new Violation(
                        ViolationCode.valueOf(r.refusal().name()),
                        r.detail() + " (key SPKI SHA-256 " + spkiSha256 + ")")))
        .orElse(List.of());
  }
}
