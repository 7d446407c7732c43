package org.ledgerpki.validator;

import java.util.function.Supplier;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The {@link SubmissionCheck} of the newest policy the validator holds (docs/governance.md): a new
 * check is built when a policy change arrives, so the validator judges with the newest policy
 * without a restart (a newly admitted member's submissions validate, a removed member's are
 * rejected, a rotated submission key is used). Thread-safe.
 */
final class PolicyChecks implements Supplier<SubmissionCheck> {
  private final PolicyHolder holder;
  private final BatchVerifier verifier;
  private volatile SubmissionCheck current;

  PolicyChecks(PolicyHolder holder, BatchVerifier verifier) {
    this.holder = holder;
    this.verifier = verifier;
  }

  @Override
  public SubmissionCheck get() {
    SubmissionCheck c = current;
    if (c == null || c.policy() != holder.latest()) {
      synchronized (this) {
        c = current;
        if (c == null || c.policy() != holder.latest()) {
          c = new SubmissionCheck(holder.latest(), verifier);
          current = c;
        }
      }
    }
    return c;
  }
}
