package org.ledgerpki.cosign.aggregator;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.witness.CosignatureCheck;

/** The cosignature check of each policy (its cosigners' keys), built on first use. */
final class CosignatureChecks {
  private final Map<TrustPolicy, CosignatureCheck> checks = new IdentityHashMap<>();

  /** The cosignature check of {@code policy}. */
  CosignatureCheck of(TrustPolicy policy) {
    return checks.computeIfAbsent(policy, CosignatureCheck::new);
  }
}
