package org.ledgerpki.cosign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * What a cosigner checks of each status event before it lets the status log (and so the checkpoints
 * that commit to it) carry it (docs/status.md):
 *
 * <ul>
 *   <li>the record's fields are those of its encoded event;
 *   <li>the certificate is in this cosigner's mirror, owned by the record's {@code owner};
 *   <li>every request is signed by its submitter (a member with the submitter role), asks for the
 *       event's operation on that certificate, with a reason code that fits it, and the event's
 *       reason code is the one the first request implies;
 *   <li>either one request by the owner, or at least {@code lifecycle.nonOwnerQuorum} requests by
 *       distinct members other than the owner; a RENEW is the owner's only, and supersedes with a
 *       certificate the mirror holds for the same owner;
 *   <li>every request carries ENDORSE verdicts from at least {@code k} distinct validator members,
 *       each verifying under that member's endorsement keys.
 * </ul>
 *
 * <p>The transition itself is checked by applying the event to the cosigner's own status log.
 * Thread-safe if the {@link BatchVerifier} is (it is).
 */
final class StatusCheck {
  private final TrustPolicy policy;
  private final BatchVerifier verifier;

  StatusCheck(TrustPolicy policy, BatchVerifier verifier) {
    this.policy = policy;
    this.verifier = verifier;
  }

  /**
   * Checks {@code s}, whose event decoded as {@code e}.
   *
   * @param ownerOf the owner of a certificate (hex SHA-256) in this cosigner's mirror, if there
   * @return empty if the event may be applied, otherwise why not
   */
  Optional<String> check(StatusEntry s, StatusEvent e, Function<String, Optional<String>> ownerOf) {
    byte[] cert = Evidence.bytes(s.getCertificateSha256());
    Lifecycle.Operation op;
    try {
      op = Lifecycle.Operation.valueOf(s.getOperation().name());
    } catch (IllegalArgumentException ex) {
      return Optional.of(s.getOperation() + " is not a lifecycle operation");
    }
    if (e.sequence() != s.getSequence()
        || !Arrays.equals(e.certificateSha256(), cert)
        || e.operation() != op
        || !Objects.equals(e.reasonCode(), s.getReasonCode())
        || !Arrays.equals(e.supersededBy(), Evidence.bytes(s.getSupersededBy()))) {
      return Optional.of("the record's fields are not those of its encoded event");
    }
    String target = Hex.encode(cert);
    Optional<String> owner = ownerOf.apply(target);
    if (owner.isEmpty()) {
      return Optional.of("certificate " + target + " is not in this cosigner's mirror");
    }
    if (!owner.get().equals(s.getOwner())) {
      return Optional.of(
          "the record names owner '"
              + s.getOwner()
              + "', the mirror's entry of "
              + target
              + " was submitted by '"
              + owner.get()
              + "'");
    }
    List<Submission> requests = s.getRequests();
    if (requests.isEmpty()) {
      return Optional.of("the event carries no request");
    }
    Set<String> requesters = new HashSet<>();
    for (Submission r : requests) {
      Optional<String> fault = requestFault(r, op, cert);
      if (fault.isPresent()) {
        return Optional.of("request " + r.getSubmissionId() + ": " + fault.get());
      }
      if (!requesters.add(r.getSubmitter())) {
        return Optional.of("'" + r.getSubmitter() + "' is counted twice among the requesters");
      }
      Optional<String> quorum = endorsementFault(r, s.getEvidence(), cert);
      if (quorum.isPresent()) {
        return Optional.of("request " + r.getSubmissionId() + ": " + quorum.get());
      }
    }
    if (!Objects.equals(
        e.reasonCode(), Lifecycle.eventReason(op, requests.get(0).getReasonCode()))) {
      return Optional.of(
          "reason code "
              + e.reasonCode()
              + " is not the one the request implies ("
              + Lifecycle.eventReason(op, requests.get(0).getReasonCode())
              + ")");
    }
    boolean byOwner = requests.size() == 1 && requesters.contains(owner.get());
    if (!byOwner) {
      if (requesters.contains(owner.get())) {
        return Optional.of("the owner's request is not counted with other members' requests");
      }
      if (op == Lifecycle.Operation.RENEW) {
        return Optional.of("only the owner '" + owner.get() + "' may renew");
      }
      if (requesters.size() < policy.nonOwnerQuorum()) {
        return Optional.of(
            requesters.size()
                + " member(s) other than the owner "
                + new TreeSet<>(requesters)
                + " asked; lifecycle.nonOwnerQuorum is "
                + policy.nonOwnerQuorum());
      }
    }
    if (op == Lifecycle.Operation.RENEW) {
      byte[] der = Evidence.bytes(requests.get(0).getCertificate());
      byte[] fresh = der == null ? null : Sha256.hash(der);
      if (fresh == null || !Arrays.equals(fresh, e.supersededBy())) {
        return Optional.of("the RENEW's new certificate is not the event's supersededBy");
      }
      Optional<String> freshOwner = ownerOf.apply(Hex.encode(fresh));
      if (freshOwner.isEmpty() || !freshOwner.get().equals(owner.get())) {
        return Optional.of(
            "the new certificate "
                + Hex.encode(fresh)
                + " is not in the mirror, owned by the owner");
      }
    } else if (e.supersededBy() != null) {
      return Optional.of("only a RENEW names a superseding certificate");
    }
    return Optional.empty();
  }

  private Optional<String> requestFault(Submission r, Lifecycle.Operation op, byte[] cert) {
    TrustPolicy.Member m = policy.member(r.getSubmitter()).orElse(null);
    if (m == null || !m.has(Role.SUBMITTER)) {
      return Optional.of("'" + r.getSubmitter() + "' is not a submitting member");
    }
    if (!r.getOperation().name().equals(op.name())) {
      return Optional.of("it asks for " + r.getOperation() + ", the event is a " + op);
    }
    if (!Arrays.equals(Evidence.bytes(r.getTargetCertificateSha256()), cert)) {
      return Optional.of("it is about another certificate");
    }
    Optional<String> reason = Lifecycle.reasonProblem(op, r.getReasonCode());
    if (reason.isPresent()) {
      return reason;
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

  private Optional<String> endorsementFault(Submission r, List<Endorsement> evidence, byte[] cert) {
    Set<String> endorsers = new TreeSet<>();
    List<String> ignored = new ArrayList<>();
    for (Endorsement e : evidence) {
      if (!e.getSubmissionId().equals(r.getSubmissionId())) {
        continue;
      }
      String fault = fault(e, r, cert);
      if (fault == null) {
        endorsers.add(e.getValidator());
      } else {
        ignored.add(e.getValidator() + ": " + fault);
      }
    }
    int k = policy.endorsementQuorum();
    if (endorsers.size() >= k) {
      return Optional.empty();
    }
    return Optional.of(
        "no endorsement quorum: "
            + endorsers.size()
            + " valid endorsement(s) from distinct validators "
            + endorsers
            + ", the policy requires "
            + k
            + (ignored.isEmpty() ? "" : "; ignored " + ignored));
  }

  private String fault(Endorsement e, Submission r, byte[] cert) {
    TrustPolicy.Member m = policy.member(e.getValidator()).orElse(null);
    if (m == null || !m.has(Role.VALIDATOR)) {
      return "not a validator member";
    }
    if (e.getVerdict() != Verdict.ENDORSE) {
      return "verdict " + e.getVerdict();
    }
    if (e.getOperation() != r.getOperation() || !e.getSubmitter().equals(r.getSubmitter())) {
      return "it is about another operation or submitter";
    }
    if (!Arrays.equals(Evidence.bytes(e.getCertificateSha256()), cert)) {
      return "endorses another certificate";
    }
    try {
      verifier.verify(
          EndorsementStatement.KIND,
          Evidence.statement(e).encode(),
          Evidence.evidence(e.getSignature()),
          e.getValidator(),
          m.endorsementKeys());
    } catch (Exception ex) {
      return ex.getMessage();
    }
    return null;
  }
}
