package org.ledgerpki.cosign.status;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The cosigner's status checks under the policy in force at each position (docs/governance.md): a
 * status event is checked with the policy in force at its sequence number. One check per policy,
 * built on first use. Thread-safe.
 */
public final class StatusChecks {
  private final PolicyHolder holder;
  private final BatchVerifier verifier;
  private final Map<TrustPolicy, StatusCheck> checks = new IdentityHashMap<>();

  public StatusChecks(PolicyHolder holder, BatchVerifier verifier) {
    this.holder = holder;
    this.verifier = verifier;
  }

  /** Reads the policy changes published since the holder last looked. */
  void refresh() {
    holder.refresh();
  }

  /** The status check of the policy in force at status sequence number {@code seq}. */
  synchronized StatusCheck at(long seq) {
    return checks.computeIfAbsent(
        holder.history().atStatus(seq), p -> new StatusCheck(p, verifier));
  }
}
