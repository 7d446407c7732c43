package org.ledgerpki.core.profile;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ledgerpki.core.crypto.CertificateFields;
import org.ledgerpki.core.policy.ProfileId;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * 3GPP TS 33.310 clause 6.1.3c NF certificates. Beyond the common rules: a positive serial of at
 * most 20 octets, a lifetime of at most 3 years (or the policy's maximum if smaller), subject O =
 * {@code 5gc.mnc<MNC>.mcc<MCC>.3gppnetwork.org} for one of the submitter's PLMNs, keyUsage
 * digitalSignature and critical, and the RFC 9310 nfTypes extension; every subjectAltName domain
 * within the submitter's home domains or its policy {@code domains} ({@link IdentityRule}).
 * cRLDistributionPoints is accepted but not required: status comes from the ledger
 * (docs/certificate-profiles.md).
 */
final class Ts33310Profile implements CertificateProfile {
  /** id-pe-nftype, RFC 9310. */
  static final String NF_TYPES_OID = "1.3.6.1.5.5.7.1.34";

  private static final String KEY_USAGE_OID = "2.5.29.15";
  private static final Duration THREE_YEARS = Duration.ofDays(3 * 365 + 1);

  private final TrustPolicy policy;

  Ts33310Profile(TrustPolicy policy) {
    this.policy = policy;
  }

  @Override
  public ProfileId id() {
    return ProfileId.TS_33_310;
  }

  /** The 5GC home network domain of a PLMN written MCC-MNC (TS 23.003: MNC padded to 3 digits). */
  static String homeDomain(String plmn) {
    String[] p = plmn.split("-");
    String mnc = p[1].length() == 2 ? "0" + p[1] : p[1];
    return "5gc.mnc" + mnc + ".mcc" + p[0] + ".3gppnetwork.org";
  }

  @Override
  public List<Violation> check(byte[] der, TrustPolicy.Member submitter, Instant now) {
    List<Violation> out = new ArrayList<>();
    Duration max =
        policy.maxLifetime().compareTo(THREE_YEARS) < 0 ? policy.maxLifetime() : THREE_YEARS;
    X509Certificate cert =
        CommonRules.check(der, policy.algorithms(), now, policy.clockSkew(), max, out);
    if (cert == null) {
      return out;
    }
    BigInteger serial = cert.getSerialNumber();
    if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
      out.add(
          new Violation(
              ViolationCode.PROFILE_VIOLATION,
              "serial number must be positive and at most 20 octets; found "
                  + serial.toString(16)
                  + " ("
                  + serial.toByteArray().length
                  + " octets)"));
    }
    List<String> expected = submitter.plmns().stream().map(Ts33310Profile::homeDomain).toList();
    List<String> domains = new java.util.ArrayList<>(submitter.domains());
    expected.forEach(d -> domains.add(d.toLowerCase(java.util.Locale.ROOT)));
    IdentityRule.check(cert, domains, submitter, out);
    List<String> found = CertificateFields.subjectOrganizations(cert);
    if (found.size() != 1 || !expected.contains(found.get(0))) {
      out.add(
          new Violation(
              ViolationCode.ORGANIZATION_MISMATCH,
              "subject O must be one of "
                  + expected
                  + " (the submitter's home domains); found "
                  + found));
    }
    boolean[] ku = cert.getKeyUsage();
    Set<String> critical = cert.getCriticalExtensionOIDs();
    if (ku == null || !ku[0] || critical == null || !critical.contains(KEY_USAGE_OID)) {
      out.add(
          new Violation(
              ViolationCode.FORBIDDEN_KEY_USAGE,
              "keyUsage must be present, critical and include digitalSignature; found "
                  + CommonRules.keyUsageNames(ku)
                  + (critical != null && critical.contains(KEY_USAGE_OID)
                      ? " (critical)"
                      : " (not critical)")));
    }
    if (cert.getExtensionValue(NF_TYPES_OID) == null) {
      out.add(
          new Violation(
              ViolationCode.PROFILE_VIOLATION,
              "the nfTypes extension (RFC 9310, " + NF_TYPES_OID + ") is missing"));
    }
    return out;
  }
}
