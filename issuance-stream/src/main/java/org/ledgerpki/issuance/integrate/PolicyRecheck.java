package org.ledgerpki.issuance.integrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LifecycleGrant;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The re-check at integration of what the quorum decided under the policy it held then: a policy
 * change sequenced in between applies from its effective index (or status sequence number) on, and
 * cosigners check every entry and status event with the policy in force at its number
 * (docs/governance.md). The rules are core's ({@link EndorsementQuorum}) and the shared {@link
 * LifecycleGrant}.
 *
 * <p>Every record read from {@code ledger.sequence} and {@code ledger.status-sequence} is
 * re-checked, with or without a policy change: only the issuance principal may write those topics
 * (ACLs), but a writer there by mistake would otherwise get a record without its quorum signed by
 * the log (the cosigners would refuse it, and the log would stall). It is cheap: the quorum
 * verified the same batch signatures moments before, and {@link BatchVerifier} remembers them.
 */
final class PolicyRecheck {
  private final PolicyHolder holder;
  private final BatchVerifier verifier;

  PolicyRecheck(PolicyHolder holder, BatchVerifier verifier) {
    this.holder = holder;
    this.verifier = verifier;
  }

  /**
   * Why the entry's evidence is no quorum under the policy in force at the index it would get, if
   * so. The quorum decided it under the policy it held then; a policy change sequenced in between
   * (a rotated endorsement key, a removed member, a higher k) applies from its effective index on,
   * and cosigners check every entry with the policy in force at its index (docs/governance.md).
   * Without a change, a record that fails is one the quorum never decided: a forgery.
   */
  Optional<String> entryProblem(LedgerEntry in, byte[] certHash, long index) {
    PolicyHistory history = holder.history();
    TrustPolicy policy = history.at(index);
    List<EndorsementQuorum.Verdict<Endorsement>> verdicts = new ArrayList<>();
    for (Endorsement e : in.getEvidence()) {
      verdicts.add(
          EndorsementQuorum.Verdict.check(
              policy, verifier, Evidence.statement(e), Evidence.evidence(e.getSignature()), e));
    }
    EndorsementQuorum.Tally<Endorsement> tally =
        EndorsementQuorum.decide(
            policy,
            new EndorsementQuorum.Subject(
                in.getSubmissionId() == null ? "" : in.getSubmissionId(),
                "ISSUE",
                in.getSubmitter() == null ? "" : in.getSubmitter(),
                certHash),
            verdicts);
    if (tally.standing() == EndorsementQuorum.Standing.MET) {
      return Optional.empty();
    }
    return Optional.of(
        "no endorsement quorum under policy serial "
            + policy.serial()
            + ", in force from index "
            + history.bySerial(policy.serial()).orElseThrow().effectiveIndex()
            + " (this entry's would be "
            + index
            + "): "
            + tally.shortfall()
            + "; submit it again");
  }

  /**
   * Why the lifecycle request {@code in} is not granted under the policy in force at status
   * sequence number {@code seq}, if it is not. The quorum granted it under the policy it held then;
   * a change sequenced in between (a removed member, a rotated submission or endorsement key, a
   * higher k or non-owner quorum) applies from its effective status sequence number on, and
   * cosigners check every status event with the policy in force at its number (docs/governance.md):
   * sequencing it anyway would halt the log's cosigning. Without a change, a record that fails is
   * one the quorum never granted: a forgery.
   */
  Optional<String> statusProblem(StatusEntry in, long seq) {
    PolicyHistory history = holder.history();
    TrustPolicy policy = history.atStatus(seq);
    String under =
        "not granted under policy serial "
            + policy.serial()
            + ", in force from status event "
            + history.bySerial(policy.serial()).orElseThrow().effectiveStatusSequence()
            + " (this one's would be "
            + seq
            + "): ";
    java.util.Set<String> requesters = new java.util.TreeSet<>();
    for (Submission r : in.getRequests()) {
      Optional<String> problem =
          LifecycleGrant.submitterProblem(policy, verifier, r)
              .or(() -> LifecycleGrant.endorsementProblem(policy, verifier, r, in.getEvidence()));
      if (problem.isPresent()) {
        return Optional.of(
            under + "request " + r.getSubmissionId() + ": " + problem.get() + "; ask again");
      }
      requesters.add(r.getSubmitter());
    }
    if (Lifecycle.Requester.of(in.getOwner(), requesters) == Lifecycle.Requester.OTHERS
        && requesters.size() < policy.nonOwnerQuorum()) {
      return Optional.of(
          under
              + requesters.size()
              + " member(s) other than the owner "
              + requesters
              + " asked; lifecycle.nonOwnerQuorum is "
              + policy.nonOwnerQuorum()
              + "; ask again");
    }
    return Optional.empty();
  }
}
