package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.Verdict;

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

  /** The view of a {@code ledger.decisions} record. */
  static DecisionView of(Decision d) {
    return new DecisionView(
        d.getSubmissionId(),
        d.getOutcome() == Outcome.ACCEPTED,
        d.getOutcome() == Outcome.REJECTED ? reasons(d) : List.of(),
        d.getDecidedAt());
  }

  /** The validators' reasons (from the REJECT evidence), then the decision's own, de-duplicated. */
  private static List<StatusAnswer.Reason> reasons(Decision d) {
    List<StatusAnswer.Reason> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Endorsement e : d.getEvidence()) {
      if (e.getVerdict() != Verdict.REJECT) {
        continue;
      }
      for (Reason r : e.getReasons()) {
        out.add(new StatusAnswer.Reason(r.getCode().name(), r.getDetail(), e.getValidator()));
        seen.add(r.getCode().name() + "\n" + r.getDetail());
      }
    }
    for (Reason r : d.getReasons()) {
      if (seen.add(r.getCode().name() + "\n" + r.getDetail())) {
        out.add(new StatusAnswer.Reason(r.getCode().name(), r.getDetail(), null));
      }
    }
    return out;
  }
}
