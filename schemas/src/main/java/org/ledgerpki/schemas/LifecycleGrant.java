package org.ledgerpki.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Submission;

/**
 * What a trust policy says of one lifecycle request and the verdicts on it (docs/status.md): its
 * submitter is a member with the submitter role whose submission key signed it, and ENDORSE
 * verdicts of at least {@code k} distinct validator members verify under their endorsement keys.
 * The issuance stream re-checks a grant with the policy in force at its status sequence number and
 * cosigners check every status event with the same policy, by these same rules, so that what the
 * one sequences the others accept (docs/governance.md).
 */
public final class LifecycleGrant {
  private LifecycleGrant() {}

  /** Why {@code policy} does not let {@code r}'s submitter ask (not a submitter, bad signature). */
  public static Optional<String> submitterProblem(
      TrustPolicy policy, BatchVerifier verifier, Submission r) {
    TrustPolicy.Member m = policy.member(r.getSubmitter()).orElse(null);
    if (m == null || !m.has(Role.SUBMITTER)) {
      return Optional.of("'" + r.getSubmitter() + "' is not a submitting member");
    }
    try {
      verifier.verify(
          SubmissionStatement.KIND,
          Evidence.statement(r).encode(),
          Evidence.evidence(r.getSignature()),
          m.id(),
          m.submissionKeys());
    } catch (Exception ex) {
      return Optional.of("submitter signature: " + ex.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Why {@code evidence} holds no endorsement quorum for {@code r} under {@code policy}, if it
   * holds none. Verdicts on other requests are ignored.
   */
  public static Optional<String> endorsementProblem(
      TrustPolicy policy, BatchVerifier verifier, Submission r, List<Endorsement> evidence) {
    List<EndorsementQuorum.Verdict<Endorsement>> verdicts = new ArrayList<>(evidence.size());
    for (Endorsement e : evidence) {
      if (e.getSubmissionId().equals(r.getSubmissionId())
          && e.getSubmitter().equals(r.getSubmitter())) {
        verdicts.add(
            EndorsementQuorum.Verdict.check(
                policy, verifier, Evidence.statement(e), Evidence.evidence(e.getSignature()), e));
      }
    }
    EndorsementQuorum.Tally<Endorsement> t =
        EndorsementQuorum.decide(
            policy, EndorsementQuorum.Subject.of(Evidence.statement(r)), verdicts);
    return t.standing() == EndorsementQuorum.Standing.MET
        ? Optional.empty()
        : Optional.of("no endorsement quorum: " + t.shortfall());
  }
}
