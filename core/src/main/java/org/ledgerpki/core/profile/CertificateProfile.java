package org.ledgerpki.core.profile;

import java.time.Instant;
import java.util.List;
import org.ledgerpki.core.policy.ProfileId;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * A consortium's rules for admitting a certificate. Pure: given the certificate bytes, the
 * submitting member and the time, it lists every rule the certificate breaks (empty = admissible
 * under the profile). The key-registration rule needs state and is checked by the validator.
 */
public interface CertificateProfile {

  /** Maximum size of an admitted certificate: the MTC entry limit. */
  int MAX_DER_BYTES = 65535;

  ProfileId id();

  /**
   * Checks {@code der} as submitted by {@code submitter} at time {@code now}.
   *
   * @return the broken rules, empty if none; never null
   */
  List<Violation> check(byte[] der, TrustPolicy.Member submitter, Instant now);

  /** The profile the policy names. */
  static CertificateProfile of(TrustPolicy policy) {
    return switch (policy.profile()) {
      case SEED -> new SeedProfile(policy);
      case TS_33_310 -> new Ts33310Profile(policy);
    };
  }
}
