package org.ledgerpki.cosign.status;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.quorum.RequestWindow;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.cosign.mirror.Fault;
import org.ledgerpki.cosign.mirror.MirrorIndex;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LifecycleGrant;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;

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
 *   <li>no request was used in an earlier event: a request is identified by (certificate,
 *       submitter, submissionId), so an old request replayed and an id reused both fail;
 *   <li>either one request by the owner, or at least {@code lifecycle.nonOwnerQuorum} requests by
 *       distinct members other than the owner, signed within {@code lifecycle.requestWindow}
 *       ({@link RequestWindow}, with the record's {@code sequencedAt} as the grant time); a RENEW
 *       is the owner's only, and supersedes with a certificate the mirror holds for the same owner;
 *   <li>a RESUME comes from the party class that placed the hold ({@link Lifecycle#holdProblem});
 *   <li>every request carries ENDORSE verdicts on exactly that request from at least {@code k}
 *       distinct validator members, each verifying under that member's endorsement keys ({@link
 *       EndorsementQuorum}).
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
   * @param ownerOf the owner of a certificate (hex SHA-256) whose entry has a leaf hash, in this
   *     cosigner's mirror, if there
   * @param mirror what the mirror holds of earlier requests and holds
   * @return empty if the event may be applied, otherwise why not
   */
  Optional<Fault> check(
      StatusEntry s,
      StatusEvent e,
      BiFunction<String, byte[], Optional<String>> ownerOf,
      MirrorIndex mirror) {
    byte[] cert = Evidence.bytes(s.getCertificateSha256());
    Lifecycle.Operation op;
    try {
      op = Lifecycle.Operation.valueOf(s.getOperation().name());
    } catch (IllegalArgumentException ex) {
      return invalid(s.getOperation() + " is not a lifecycle operation");
    }
    if (e.sequence() != s.getSequence()
        || !Arrays.equals(e.certificateSha256(), cert)
        || e.operation() != op
        || !Objects.equals(e.reasonCode(), s.getReasonCode())
        || !Arrays.equals(e.supersededBy(), Evidence.bytes(s.getSupersededBy()))) {
      return invalid("the record's fields are not those of its encoded event");
    }
    String target = Hex.encode(cert);
    Optional<String> owner = ownerOf.apply(target, e.entryHash());
    if (owner.isEmpty()) {
      // The mirror finds a certificate by the entry the event names: a wrong one finds nothing.
      return Optional.of(
          new Fault(
              Fault.ENTRY_MISMATCH,
              "the mirror holds no entry "
                  + Hex.encode(e.entryHash())
                  + " of certificate "
                  + target
                  + " that passed its checks"));
    }
    if (!owner.get().equals(s.getOwner())) {
      return invalid(
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
      return invalid("the event carries no request");
    }
    Set<String> requesters = new HashSet<>();
    for (Submission r : requests) {
      Optional<String> fault = requestFault(r, op, cert);
      if (fault.isPresent()) {
        return invalid("request " + r.getSubmissionId() + ": " + fault.get());
      }
      if (!requesters.add(r.getSubmitter())) {
        return invalid("'" + r.getSubmitter() + "' is counted twice among the requesters");
      }
      OptionalLong used = mirror.requestUsed(cert, r.getSubmitter(), r.getSubmissionId());
      if (used.isPresent()) {
        return Optional.of(
            new Fault(
                Fault.REQUEST_REPLAYED,
                "request "
                    + r.getSubmissionId()
                    + " of '"
                    + r.getSubmitter()
                    + "' on "
                    + target
                    + " was already used in status event "
                    + used.getAsLong()));
      }
      Optional<String> quorum =
          LifecycleGrant.endorsementProblem(policy, verifier, r, s.getEvidence());
      if (quorum.isPresent()) {
        return Optional.of(
            new Fault(Fault.NO_QUORUM, "request " + r.getSubmissionId() + ": " + quorum.get()));
      }
    }
    if (!Objects.equals(
        e.reasonCode(), Lifecycle.eventReason(op, requests.get(0).getReasonCode()))) {
      return invalid(
          "reason code "
              + e.reasonCode()
              + " is not the one the request implies ("
              + Lifecycle.eventReason(op, requests.get(0).getReasonCode())
              + ")");
    }
    Lifecycle.Requester by = Lifecycle.Requester.of(owner.get(), requesters);
    if (by == Lifecycle.Requester.OTHERS) {
      if (requesters.contains(owner.get())) {
        return invalid("the owner's request is not counted with other members' requests");
      }
      if (op == Lifecycle.Operation.RENEW) {
        return invalid("only the owner '" + owner.get() + "' may renew");
      }
      if (requesters.size() < policy.nonOwnerQuorum()) {
        return invalid(
            requesters.size()
                + " member(s) other than the owner "
                + new TreeSet<>(requesters)
                + " asked; lifecycle.nonOwnerQuorum is "
                + policy.nonOwnerQuorum());
      }
      Optional<String> window =
          RequestWindow.problem(
              requests.stream().map(r -> r.getSubmittedAt().toEpochMilli()).toList(),
              s.getSequencedAt().toEpochMilli(),
              policy.requestWindow(),
              policy.clockSkew());
      if (window.isPresent()) {
        return Optional.of(new Fault(Fault.OUTSIDE_WINDOW, window.get()));
      }
    }
    if (op == Lifecycle.Operation.RESUME) {
      Optional<String> hold = Lifecycle.holdProblem(mirror.holdPlacer(cert).orElse(null), by);
      if (hold.isPresent()) {
        return Optional.of(
            new Fault(Fault.HOLD_PLACED_BY_OTHERS, "RESUME of " + target + ": " + hold.get()));
      }
    }
    if (op == Lifecycle.Operation.RENEW) {
      byte[] der = Evidence.bytes(requests.get(0).getCertificate());
      byte[] fresh = der == null ? null : Sha256.hash(der);
      if (fresh == null || !Arrays.equals(fresh, e.supersededBy())) {
        return invalid("the RENEW's new certificate is not the event's supersededBy");
      }
      Optional<String> freshOwner = ownerOf.apply(Hex.encode(fresh), entryLeafHash(der));
      if (freshOwner.isEmpty() || !freshOwner.get().equals(owner.get())) {
        return invalid(
            "the new certificate "
                + Hex.encode(fresh)
                + " is not in the mirror, owned by the owner");
      }
    } else if (e.supersededBy() != null) {
      return invalid("only a RENEW names a superseding certificate");
    }
    return Optional.empty();
  }

  /**
   * Records in {@code mirror} what an applied event {@code s} changes for later checks: its
   * requests are used; a SUSPEND's placer; a REVOKE's or RENEW's key revocation. Reads only the
   * record's clear fields, and the leaf hash of the certificate's entry the event names (checked
   * against the mirror before).
   */
  void remember(StatusEntry s, StatusEvent e, MirrorIndex mirror) {
    byte[] cert = Evidence.bytes(s.getCertificateSha256());
    for (Submission r : s.getRequests()) {
      mirror.putRequestUsed(cert, r.getSubmitter(), r.getSubmissionId(), s.getSequence());
    }
    switch (s.getOperation()) {
      case SUSPEND ->
          mirror.putHoldPlacer(
              cert,
              Lifecycle.Requester.of(
                  s.getOwner(), s.getRequests().stream().map(Submission::getSubmitter).toList()));
      case REVOKE, RENEW ->
          mirror.putRevocation(cert, e.entryHash(), s.getReasonCode(), s.getOwner());
      default -> {}
    }
  }

  private Optional<String> requestFault(Submission r, Lifecycle.Operation op, byte[] cert) {
    if (policy.member(r.getSubmitter()).filter(m -> m.has(Role.SUBMITTER)).isEmpty()) {
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
    return LifecycleGrant.submitterProblem(policy, verifier, r);
  }

  /**
   * The leaf hash of the entry the log appends for {@code der} (its MTC encoding, as {@code
   * EntryCheck} requires of every entry); null if it has none, so that no entry is found for it.
   */
  private byte[] entryLeafHash(byte[] der) {
    try {
      return EntryId.ofCertificate(der, policy.log().caId()).leafHash();
    } catch (MalformedInputException | RuntimeException ex) {
      return null;
    }
  }

  private static Optional<Fault> invalid(String reason) {
    return Optional.of(Fault.invalid(reason));
  }
}
