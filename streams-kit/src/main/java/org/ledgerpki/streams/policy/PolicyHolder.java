package org.ledgerpki.streams.policy;

import java.util.Objects;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * A service's view of the trust policy history (docs/governance.md), shared by its processors in
 * one JVM. In the issuance stream, {@code governance} advances it after each change it sequences
 * (and rebuilds it from its store when its task starts), and the other processors read it; in
 * validators and cosigners a {@link PolicyFollower} advances it from {@code ledger.policy}. Every
 * history it holds was verified from the genesis policy ({@code PolicyChain}).
 *
 * <p>Thread-safe: the history is immutable and replaced atomically; it only ever grows.
 */
public final class PolicyHolder {
  private volatile PolicyHistory history;
  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();

  public PolicyHolder(PolicyHistory history) {
    this.history = Objects.requireNonNull(history, "history");
  }

  /** A holder of {@code genesis} alone. */
  public static PolicyHolder genesis(TrustPolicy genesis) {
    return new PolicyHolder(PolicyHistory.genesis(genesis));
  }

  /** The held history. */
  public PolicyHistory history() {
    return history;
  }

  /** The newest policy. */
  public TrustPolicy latest() {
    return history.latest();
  }

  /**
   * Replaces the history with {@code next} if it is longer; a shorter or equal one (a task
   * rebuilding what the service already read) changes nothing.
   *
   * @throws IllegalStateException if {@code next} has another genesis, or disagrees with the held
   *     history on a serial both hold (two histories of one ledger cannot differ)
   */
  public synchronized void advance(PolicyHistory next) {
    PolicyHistory now = history;
    int common = Math.min(now.entries().size(), next.entries().size());
    for (int i = 0; i < common; i++) {
      if (!java.util.Arrays.equals(
          now.entries().get(i).policy().sha256(), next.entries().get(i).policy().sha256())) {
        throw new IllegalStateException(
            "two policy histories disagree at serial "
                + now.entries().get(i).policy().serial()
                + ": held "
                + now
                + ", new "
                + next);
      }
    }
    if (next.entries().size() > now.entries().size()) {
      history = next;
    }
  }

  private volatile Runnable refresher = () -> {};

  /**
   * Sets what {@link #refresh()} does: e.g. a {@link PolicyFollower} reading {@code ledger.policy}
   * to its end.
   */
  public void refresher(Runnable r) {
    this.refresher = java.util.Objects.requireNonNull(r, "refresher");
  }

  /**
   * Brings the history up to date with the ledger, if a refresher is set (else nothing): a party
   * that meets a reference to a policy it does not hold, or evidence that fails under the policy it
   * holds, calls it before it decides, since the change may simply not have reached it yet. Blocks
   * for at most the refresher's timeout; never throws.
   */
  public void refresh() {
    try {
      refresher.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(PolicyHolder.class)
          .warn("could not bring the policy history up to date: {}", e.toString());
    }
  }

  /** Counts a policy change record that did not verify and was skipped. */
  public void refuse() {
    refused.incrementAndGet();
  }

  /** How many policy change records did not verify and were skipped. */
  public long refused() {
    return refused.get();
  }
}
