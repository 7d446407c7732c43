package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.List;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * The consortium's decision on the issuance of a certificate.
 *
 * @param accepted whether the certificate was accepted (to be sequenced) or rejected
 * @param reasons for a rejection: why, per validator (validator null for a reason the decision
 *     gives without naming one)
 */
public record DecisionView(
    String submissionId, boolean accepted, List<StatusAnswer.Reason> reasons, Instant decidedAt) {

  /** Freezes the list. */
  public DecisionView {
    reasons = List.copyOf(reasons);
  }
}
