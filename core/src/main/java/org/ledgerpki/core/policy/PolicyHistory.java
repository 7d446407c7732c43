package org.ledgerpki.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.crypto.Signatures;

/**
 * The trust policies in force over the ledger's positions: the genesis policy from index 0, and
 * each verified {@link PolicyChange} from its effective index (log) and effective status sequence
 * (status log) on. Built only from the genesis policy and verified changes, so every party and a
 * restarted service derive the same history (docs/governance.md).
 *
 * <p>Immutable and thread-safe: {@link #extend} returns a new history.
 */
public final class PolicyHistory {

  /**
   * One policy and the positions from which it applies.
   *
   * @param change the sequenced change that brought it in; null for the genesis policy
   */
  public record Entry(
      TrustPolicy policy, long effectiveIndex, long effectiveStatusSequence, PolicyChange change) {}

  private final List<Entry> entries;

  private PolicyHistory(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The history of a ledger that has had no change: {@code genesis} from index 0 on. */
  public static PolicyHistory genesis(TrustPolicy genesis) {
    return new PolicyHistory(List.of(new Entry(genesis, 0, 0, null)));
  }

  /**
   * This history with {@code change} appended, once it is verified against the newest policy
   * ({@link PolicyChain#verifyStep}).
   *
   * @throws GovernanceException if the change does not hold
   */
  public PolicyHistory extend(PolicyChange change, Signatures signatures)
      throws GovernanceException {
    Entry last = latestEntry();
    TrustPolicy next =
        PolicyChain.verifyStep(
            last.policy(),
            change,
            last.effectiveIndex(),
            last.effectiveStatusSequence(),
            signatures);
    List<Entry> out = new ArrayList<>(entries);
    out.add(new Entry(next, change.effectiveIndex(), change.effectiveStatusSequence(), change));
    return new PolicyHistory(out);
  }

  /** The genesis policy. */
  public TrustPolicy genesis() {
    return entries.get(0).policy();
  }

  /** The newest policy. */
  public TrustPolicy latest() {
    return latestEntry().policy();
  }

  /** The newest entry. */
  public Entry latestEntry() {
    return entries.get(entries.size() - 1);
  }

  /** Every entry, genesis first. */
  public List<Entry> entries() {
    return entries;
  }

  /** The sequenced changes, oldest first (the genesis policy has none). */
  public List<PolicyChange> changes() {
    return entries.stream().skip(1).map(Entry::change).toList();
  }

  /** The entry of policy {@code serial}, if this history holds it. */
  public Optional<Entry> bySerial(long serial) {
    return entries.stream().filter(e -> e.policy().serial() == serial).findFirst();
  }

  /**
   * The policy in force for the log entry at {@code index}: the newest whose effective index is at
   * most {@code index}. Requires {@code index >= 0}.
   */
  public TrustPolicy at(long index) {
    Entry found = entries.get(0);
    for (Entry e : entries) {
      if (e.effectiveIndex() <= index) {
        found = e;
      }
    }
    return found.policy();
  }

  /**
   * The policy in force for the status event with sequence number {@code sequence}: the newest
   * whose effective status sequence is at most {@code sequence}. Requires {@code sequence >= 0}.
   */
  public TrustPolicy atStatus(long sequence) {
    Entry found = entries.get(0);
    for (Entry e : entries) {
      if (e.effectiveStatusSequence() <= sequence) {
        found = e;
      }
    }
    return found.policy();
  }

  @Override
  public String toString() {
    return "PolicyHistory"
        + entries.stream()
            .map(
                e ->
                    e.policy().serial()
                        + "@"
                        + e.effectiveIndex()
                        + "/"
                        + e.effectiveStatusSequence())
            .toList();
  }
}
