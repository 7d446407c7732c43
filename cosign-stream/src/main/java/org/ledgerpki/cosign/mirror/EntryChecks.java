package org.ledgerpki.cosign.mirror;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The cosigner's entry checks under the policy in force at each position (docs/governance.md): an
 * entry's evidence is checked with the policy in force at its index. One check per policy, built on
 * first use. Thread-safe.
 */
public final class EntryChecks {
  private final PolicyHolder holder;
  private final BatchVerifier verifier;
  private final Map<TrustPolicy, EntryCheck> checks = new IdentityHashMap<>();

  public EntryChecks(PolicyHolder holder, BatchVerifier verifier) {
    this.holder = holder;
    this.verifier = verifier;
  }

  /** Reads the policy changes published since the holder last looked. */
  void refresh() {
    holder.refresh();
  }

  /** The entry check of the policy in force at log index {@code index}. */
  synchronized EntryCheck at(long index) {
    return checks.computeIfAbsent(holder.history().at(index), p -> new EntryCheck(p, verifier));
  }
}
