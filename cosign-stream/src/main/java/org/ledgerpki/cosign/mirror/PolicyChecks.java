package org.ledgerpki.cosign.mirror;

import java.util.IdentityHashMap;
import java.util.Map;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.status.StatusCheck;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The cosigner's entry and status checks under the policy in force at each position
 * (docs/governance.md): an entry's evidence is checked with the policy in force at its index, a
 * status event's with the one in force at its sequence number. One check per policy, built on first
 * use. Thread-safe.
 */
public final class PolicyChecks {
  private final PolicyHolder holder;
  private final BatchVerifier verifier;
  private final Map<TrustPolicy, EntryCheck> entries = new IdentityHashMap<>();
  private final Map<TrustPolicy, StatusCheck> statuses = new IdentityHashMap<>();

  public PolicyChecks(PolicyHolder holder, BatchVerifier verifier) {
    this.holder = holder;
    this.verifier = verifier;
  }

  public PolicyHolder holder() {
    return holder;
  }

  /** The entry check of the policy in force at log index {@code index}. */
  public synchronized EntryCheck entry(long index) {
    return entries.computeIfAbsent(holder.history().at(index), p -> new EntryCheck(p, verifier));
  }

  /** The status check of the policy in force at status sequence number {@code seq}. */
  public synchronized StatusCheck status(long seq) {
    return statuses.computeIfAbsent(
        holder.history().atStatus(seq), p -> new StatusCheck(p, verifier));
  }
}
