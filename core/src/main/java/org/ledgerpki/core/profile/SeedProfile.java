package org.ledgerpki.core.profile;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.crypto.CertificateFields;
import org.ledgerpki.core.policy.ProfileId;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * The seed profile of DESIGN.md. Beyond the common rules: every subject O must equal the submitting
 * member's organisation, and a certificate naming neither an organisation nor any identity (no
 * subject attribute but C, no subjectAltName) must carry a keyUsage limited to keyAgreement,
 * keyEncipherment and dataEncipherment — never digitalSignature. A certificate that names an
 * identity but no O is rejected: its organisation cannot be checked. Every domain the certificate
 * names in its subjectAltName must be within the submitter's {@code domains} ({@link
 * IdentityRule}), whatever its subject. See docs/certificate-profiles.md.
 */
final class SeedProfile implements CertificateProfile {
  /**
   * keyUsage bits allowed for anonymous subjects: keyEncipherment, dataEncipherment, keyAgreement.
   */
  private static final int[] ANONYMOUS_ALLOWED = {2, 3, 4};

  private final TrustPolicy policy;

  SeedProfile(TrustPolicy policy) {
    this.policy = policy;
  }

  @Override
  public ProfileId id() {
    return ProfileId.SEED;
  }

  @Override
  public List<Violation> check(byte[] der, TrustPolicy.Member submitter, Instant now) {
    List<Violation> out = new ArrayList<>();
    X509Certificate cert =
        CommonRules.check(
            der, policy.algorithms(), now, policy.clockSkew(), policy.maxLifetime(), out);
    if (cert == null) {
      return out;
    }
    IdentityRule.check(cert, submitter.domains(), submitter, out);
    List<String> organizations = CertificateFields.subjectOrganizations(cert);
    if (!CertificateFields.hasSubjectIdentity(cert)) {
      boolean[] ku = cert.getKeyUsage();
      boolean ok = ku != null;
      if (ku != null) {
        for (int i = 0; i < ku.length; i++) {
          if (ku[i] && !isAnonymousAllowed(i)) {
            ok = false;
          }
        }
      }
      if (!ok) {
        out.add(
            new Violation(
                ViolationCode.FORBIDDEN_KEY_USAGE,
                "a subject without identity or organisation may only have keyUsage keyAgreement,"
                    + " keyEncipherment or dataEncipherment; found "
                    + CommonRules.keyUsageNames(ku)));
      }
    } else if (organizations.isEmpty()) {
      out.add(
          new Violation(
              ViolationCode.ORGANIZATION_MISMATCH,
              "subject has no O; expected O=" + submitter.organization()));
    } else {
      for (String o : organizations) {
        if (!o.equals(submitter.organization())) {
          out.add(
              new Violation(
                  ViolationCode.ORGANIZATION_MISMATCH,
                  "subject O='"
                      + o
                      + "' but the submitter '"
                      + submitter.id()
                      + "' is O='"
                      + submitter.organization()
                      + "'"));
        }
      }
    }
    return out;
  }

  private static boolean isAnonymousAllowed(int bit) {
    for (int a : ANONYMOUS_ALLOWED) {
      if (a == bit) {
        return true;
      }
    }
    return false;
  }
}
