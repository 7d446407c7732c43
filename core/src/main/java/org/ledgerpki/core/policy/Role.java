package org.ledgerpki.core.policy;

import java.util.Locale;

/** What a member organisation may do in the consortium. */
public enum Role {
  /** Submits certificates and lifecycle requests. */
  SUBMITTER,
  /** Runs a validator and signs endorsements; counts towards the endorsement quorum. */
  VALIDATOR,
  /** Runs a cosigner (witness and mirror); counts towards the cosignature quorum. */
  COSIGNER;

  /** The name used in policy files: {@code submitter}, {@code validator}, {@code cosigner}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
