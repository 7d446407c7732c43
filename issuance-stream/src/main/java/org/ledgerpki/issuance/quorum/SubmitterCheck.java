package org.ledgerpki.issuance.quorum;

import java.util.Optional;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Submission;

/** Whether a submission's author can have made it: the quorum keeps only those it can. */
final class SubmitterCheck {
  private SubmitterCheck() {}

  /**
   * Why the submission's author cannot have made it under {@code policy}, if so: not a member,
   * without the submitter role, or the batch signature does not verify with its submission keys.
   */
  static Optional<String> problem(TrustPolicy policy, BatchVerifier verifier, Submission s) {
    Optional<TrustPolicy.Member> member = policy.member(s.getSubmitter());
    if (member.isEmpty()) {
      return Optional.of("'" + s.getSubmitter() + "' is not a member of " + policy.consortium());
    }
    TrustPolicy.Member m = member.get();
    if (!m.has(Role.SUBMITTER)) {
      return Optional.of("'" + m.id() + "' does not have the submitter role");
    }
    try {
      verifier.verify(
          SubmissionStatement.KIND,
          Evidence.statement(s).encode(),
          Evidence.evidence(s.getSignature()),
          m.id(),
          m.submissionKeys());
    } catch (Exception e) {
      return Optional.of("submitter signature: " + e.getMessage());
    }
    return Optional.empty();
  }
}
