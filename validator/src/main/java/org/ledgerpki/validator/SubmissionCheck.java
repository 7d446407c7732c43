package org.ledgerpki.validator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EvidenceException;
import org.ledgerpki.core.evidence.FieldBounds;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.profile.CertificateProfile;
import org.ledgerpki.core.profile.ReadmissionRule;
import org.ledgerpki.core.profile.Violation;
import org.ledgerpki.core.profile.ViolationCode;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/**
 * A validator's judgement of one submission, without Kafka: membership and role of the submitter,
 * its signature, the certificate profile and the key registry. The result is data: ENDORSE, or
 * REJECT with every broken rule. A submission with a field out of {@link FieldBounds} is rejected
 * MALFORMED_SUBMISSION before anything else is checked (its signature included: an out-of-range
 * field cannot even be encoded as the statement it signed).
 */
public final class SubmissionCheck {
  private final TrustPolicy policy;
  private final CertificateProfile profile;
  private final BatchVerifier verifier;

  /** The outcome: the reasons (empty = endorse) and the key's SPKI hash, if the cert parsed. */
  public record Result(List<Violation> violations, Optional<String> spkiSha256) {
    public boolean endorse() {
      return violations.isEmpty();
    }
  }

  public SubmissionCheck(TrustPolicy policy, BatchVerifier verifier) {
    this.policy = policy;
    this.profile = CertificateProfile.of(policy);
    this.verifier = verifier;
  }

  /** The policy this check judges with. */
  public TrustPolicy policy() {
    return policy;
  }

  /**
   * Judges {@code s}.
   *
   * @param registeredOwner the member a key (hex SHA-256 of its SPKI) is registered to, if any
   */
  public Result check(
      Submission s, Instant now, Function<String, Optional<String>> registeredOwner) {
    return check(s, now, registeredOwner, LedgerView.EMPTY);
  }

  /**
   * Judges {@code s}, lifecycle requests included.
   *
   * @param registeredOwner the member a key (hex SHA-256 of its SPKI) is registered to, if any
   * @param ledger the admitted certificates, their owners and their states
   */
  public Result check(
      Submission s,
      Instant now,
      Function<String, Optional<String>> registeredOwner,
      LedgerView ledger) {
    List<Violation> out = new ArrayList<>();
    SubmissionStatement statement = Evidence.statement(s);
    for (String problem :
        FieldBounds.submissionProblems(statement, Evidence.evidence(s.getSignature()))) {
      out.add(new Violation(ViolationCode.MALFORMED_SUBMISSION, problem));
    }
    if (!out.isEmpty()) {
      return new Result(out, Optional.empty());
    }
    Optional<TrustPolicy.Member> member = policy.member(s.getSubmitter());
    if (member.isEmpty()) {
      out.add(
          new Violation(
              ViolationCode.NOT_A_MEMBER,
              "'" + s.getSubmitter() + "' is not a member of " + policy.consortium()));
      return new Result(out, Optional.empty());
    }
    TrustPolicy.Member m = member.get();
    if (!m.has(Role.SUBMITTER)) {
      out.add(
          new Violation(
              ViolationCode.ROLE_NOT_ALLOWED, "'" + m.id() + "' does not have the submitter role"));
      return new Result(out, Optional.empty());
    }
    try {
      verifier.verify(
          SubmissionStatement.KIND,
          statement.encode(),
          Evidence.evidence(s.getSignature()),
          m.id(),
          m.submissionKeys());
    } catch (EvidenceException e) {
      out.add(new Violation(ViolationCode.BAD_SUBMITTER_SIGNATURE, e.getMessage()));
      return new Result(out, Optional.empty());
    }
    if (s.getOperation() != Operation.ISSUE) {
      return lifecycle(s, m, now, ledger);
    }
    byte[] der = Evidence.bytes(s.getCertificate());
    if (der == null) {
      out.add(
          new Violation(
              ViolationCode.MALFORMED_CERTIFICATE, "an ISSUE submission carries no certificate"));
      return new Result(out, Optional.empty());
    }
    out.addAll(profile.check(der, m, now));
    Optional<String> spki = spkiSha256(der);
    out.addAll(readmission(der, m, spki, ledger));
    spki.flatMap(registeredOwner)
        .filter(owner -> !owner.equals(m.id()))
        .ifPresent(
            owner ->
                out.add(
                    new Violation(
                        ViolationCode.KEY_ALREADY_REGISTERED,
                        "the public key (SPKI SHA-256 "
                            + spki.get()
                            + ") is registered to '"
                            + owner
                            + "'")));
    return new Result(out, spki);
  }

  /**
   * A lifecycle request (docs/status.md): the target must be admitted, the reason code must fit the
   * operation and the transition must be possible from the target's current state. A RENEW is the
   * owner's only, and its new certificate must pass the profile and already be admitted, owned by
   * the same member and GOOD. A request by a member other than the owner is endorsed as a valid
   * request: it takes effect only once enough members asked (the issuance stream counts them).
   */
  private Result lifecycle(Submission s, TrustPolicy.Member m, Instant now, LedgerView ledger) {
    List<Violation> out = new ArrayList<>();
    byte[] target = Evidence.bytes(s.getTargetCertificateSha256());
    if (target == null || target.length != 32) {
      out.add(
          new Violation(
              ViolationCode.UNKNOWN_CERTIFICATE,
              "a " + s.getOperation() + " names its target by a 32-byte SHA-256"));
      return new Result(out, Optional.empty());
    }
    String targetHex = Hex.encode(target);
    Optional<String> owner = ledger.owner(targetHex);
    if (owner.isEmpty()) {
      out.add(
          new Violation(
              ViolationCode.UNKNOWN_CERTIFICATE,
              "certificate " + targetHex + " is not in the ledger"));
      return new Result(out, Optional.empty());
    }
    Lifecycle.Operation op = Lifecycle.Operation.valueOf(s.getOperation().name());
    Lifecycle.reasonProblem(op, s.getReasonCode())
        .ifPresent(p -> out.add(new Violation(ViolationCode.BAD_REASON_CODE, p)));
    CertificateState state = ledger.state(targetHex);
    Lifecycle.Result t = Lifecycle.apply(state, op);
    if (!t.allowed()) {
      out.add(
          new Violation(
              ViolationCode.INVALID_TRANSITION,
              op + " of " + targetHex + " (" + state + "): " + t.refusal()));
    }
    if (op == Lifecycle.Operation.RENEW) {
      if (!owner.get().equals(m.id())) {
        out.add(
            new Violation(
                ViolationCode.NOT_OWNER,
                "only the owner '" + owner.get() + "' may renew " + targetHex));
      }
      byte[] der = Evidence.bytes(s.getCertificate());
      if (der == null) {
        out.add(
            new Violation(
                ViolationCode.MALFORMED_CERTIFICATE, "a RENEW carries the new certificate"));
      } else {
        out.addAll(profile.check(der, m, now));
        out.addAll(readmission(der, m, spkiSha256(der), ledger));
        String fresh = certificateSha256(der);
        Optional<String> freshOwner = ledger.owner(fresh);
        if (freshOwner.isEmpty() || !freshOwner.get().equals(m.id())) {
          out.add(
              new Violation(
                  ViolationCode.UNKNOWN_CERTIFICATE,
                  "the new certificate "
                      + fresh
                      + " must be admitted (ISSUE) by '"
                      + m.id()
                      + "' before it renews "
                      + targetHex));
        } else if (ledger.state(fresh) != CertificateState.GOOD || fresh.equals(targetHex)) {
          out.add(
              new Violation(
                  ViolationCode.INVALID_TRANSITION,
                  "the new certificate "
                      + fresh
                      + " is not a GOOD certificate other than the old"));
        }
      }
    }
    return new Result(out, Optional.empty());
  }

  /**
   * The re-admission rules ({@link ReadmissionRule}): the certificate's MTC log entry is not in the
   * log under another certificate, and its key is not that of a revoked entry the submitter may not
   * reuse. Nothing is checked if the certificate cannot be sliced (the profile says why).
   */
  private List<Violation> readmission(
      byte[] der, TrustPolicy.Member m, Optional<String> spki, LedgerView ledger) {
    Optional<String> leaf = entryLeafHash(der);
    if (leaf.isEmpty() || spki.isEmpty()) {
      return List.of();
    }
    return ReadmissionRule.check(
        policy.keyReuseAfterRevocation(),
        m.id(),
        certificateSha256(der),
        spki.get(),
        ledger.certificateWithEntry(leaf.get()),
        ledger.certificatesWithKey(spki.get()));
  }

  /**
   * Hex RFC 9162 leaf hash of the MTC log entry the issuance stream would append for {@code der}
   * ({@code TbsCertificateLogEntry.fromSubmittedCertificate(der, caId).toMtcLogEntry(no
   * extensions)}), if its DER can be sliced.
   */
  Optional<String> entryLeafHash(byte[] der) {
    try {
      return Optional.of(Hex.encode(EntryId.ofCertificate(der, policy.log().caId()).leafHash()));
    } catch (MalformedInputException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Hex SHA-256 of the certificate's SubjectPublicKeyInfo, if its DER can be sliced. It reads the
   * structure without building a certificate object (the profile parses the certificate once).
   */
  static Optional<String> spkiSha256(byte[] der) {
    try {
      return Optional.of(
          Hex.encode(
              TbsCertificateLogEntry.fromSubmittedCertificate(der, "0")
                  .subjectPublicKeyInfoHash()));
    } catch (MalformedInputException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Hex SHA-256 of the certificate, its identifier everywhere. */
  static String certificateSha256(byte[] der) {
    return Hex.encode(Sha256.hash(der));
  }
}
