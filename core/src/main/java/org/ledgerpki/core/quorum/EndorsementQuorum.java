package org.ledgerpki.core.quorum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.EvidenceException;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * The one rule of which endorsements count and whether the endorsement quorum stands, used by the
 * sequencer's quorum and by the cosigners' checks of entries and status events, so that they cannot
 * disagree.
 *
 * <p>A verdict counts towards the quorum of one submission only if, in this order:
 *
 * <ol>
 *   <li>its validator is a member of the trust policy ({@link Reason#NOT_A_MEMBER}) with the
 *       validator role ({@link Reason#NOT_A_VALIDATOR});
 *   <li>it is about that submission: the same submissionId ({@link Reason#WRONG_SUBMISSION}),
 *       submitter ({@link Reason#WRONG_SUBMITTER}), operation ({@link Reason#WRONG_OPERATION}) and
 *       certificate hash ({@link Reason#WRONG_CERTIFICATE});
 *   <li>its batch signature verified under the validator's endorsement keys ({@link
 *       Reason#BAD_SIGNATURE});
 *   <li>it is the first such verdict of its organisation ({@link Reason#DUPLICATE_ORGANISATION});
 *   <li>it is an ENDORSE. A REJECT that passed the checks above is not an endorsement ({@link
 *       Reason#REJECT_VERDICT}) but counts towards rejection.
 * </ol>
 *
 * <p>The standing is {@link Standing#MET} once {@code k} distinct organisations endorse, {@link
 * Standing#REJECTED} once more than {@code n - k} distinct organisations reject (then {@code k}
 * endorsements can no longer come), {@link Standing#PENDING} otherwise; {@code k} is the policy's
 * endorsement quorum and {@code n} its number of validator organisations. Organisations are
 * counted, never records. Pure: no I/O; the signature check is done before, by {@link
 * Verdict#check}.
 */
public final class EndorsementQuorum {
  private EndorsementQuorum() {}

  /** Where a submission stands. */
  public enum Standing {
    MET,
    PENDING,
    REJECTED
  }

  /** Why a verdict is not counted as an endorsement. */
  public enum Reason {
    NOT_A_MEMBER,
    NOT_A_VALIDATOR,
    WRONG_SUBMISSION,
    WRONG_SUBMITTER,
    WRONG_OPERATION,
    WRONG_CERTIFICATE,
    BAD_SIGNATURE,
    DUPLICATE_ORGANISATION,
    REJECT_VERDICT
  }

  /**
   * The submission that verdicts must be about.
   *
   * @param certificateSha256 the SHA-256 the verdicts name: the submitted certificate's for an
   *     ISSUE, the target's for a lifecycle request (the record key of the submission)
   */
  public record Subject(
      String submissionId, String operation, String submitter, byte[] certificateSha256) {
    public Subject {
      Objects.requireNonNull(submissionId, "submissionId");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(submitter, "submitter");
      Objects.requireNonNull(certificateSha256, "certificateSha256");
      certificateSha256 = certificateSha256.clone();
    }

    @Override
    public byte[] certificateSha256() {
      return certificateSha256.clone();
    }

    /**
     * The subject of a signed submission: its id, operation and submitter, and the hash of its
     * certificate (ISSUE) or of its target (other operations; the certificate's if it names none).
     *
     * @throws IllegalArgumentException if the submission names no certificate at all
     */
    public static Subject of(SubmissionStatement s) {
      byte[] about =
          "ISSUE".equals(s.operation()) || s.targetCertificateSha256() == null
              ? s.certificateSha256()
              : s.targetCertificateSha256();
      if (about == null) {
        throw new IllegalArgumentException(
            "submission " + s.submissionId() + " names no certificate");
      }
      return new Subject(s.submissionId(), s.operation(), s.submitter(), about);
    }

    @Override
    public String toString() {
      return operation
          + " "
          + submissionId
          + " by '"
          + submitter
          + "' of "
          + Hex.encode(certificateSha256);
    }
  }

  /**
   * One verdict as its reader found it.
   *
   * @param source what the caller reads the verdict from (e.g. its wire record), handed back in the
   *     result
   * @param statement what the validator signed
   * @param signatureFault null if the batch signature verified under the validator's endorsement
   *     keys of the policy, otherwise why not
   */
  public record Verdict<T>(T source, EndorsementStatement statement, String signatureFault) {
    public Verdict {
      Objects.requireNonNull(statement, "statement");
    }

    /** The validator organisation named by the statement. */
    public String validator() {
      return statement.validator();
    }

    /**
     * Checks the verdict's batch signature under the endorsement keys that {@code policy} lists for
     * its validator. A validator that is not a member (or has no validator role) is not checked;
     * {@link #decide} ignores its verdict for that.
     */
    public static <T> Verdict<T> check(
        TrustPolicy policy,
        BatchVerifier verifier,
        EndorsementStatement statement,
        BatchEvidence evidence,
        T source) {
      Optional<TrustPolicy.Member> m = policy.member(statement.validator());
      if (m.isEmpty() || !m.get().has(Role.VALIDATOR)) {
        return new Verdict<>(source, statement, "not checked: not a validator member");
      }
      try {
        verifier.verify(
            EndorsementStatement.KIND,
            statement.encode(),
            evidence,
            m.get().id(),
            m.get().endorsementKeys());
      } catch (EvidenceException | RuntimeException e) {
        return new Verdict<>(source, statement, "evidence does not verify: " + e.getMessage());
      }
      return new Verdict<>(source, statement, null);
    }

    /** A verdict whose signature the caller verified before (e.g. when it was stored). */
    public static <T> Verdict<T> verified(EndorsementStatement statement, T source) {
      return new Verdict<>(source, statement, null);
    }
  }

  /** A verdict that does not count as an endorsement, and why, in words. */
  public record Ignored<T>(Verdict<T> verdict, Reason reason, String detail) {
    @Override
    public String toString() {
      return "'" + verdict.validator() + "': " + detail;
    }
  }

  /**
   * The outcome.
   *
   * @param endorsing the counted endorsements, one per organisation, in input order
   * @param ignored the other verdicts, each with its reason, in input order
   * @param k the endorsement quorum
   * @param n the number of validator organisations
   */
  public record Tally<T>(
      Subject subject,
      Standing standing,
      List<Verdict<T>> endorsing,
      List<Ignored<T>> ignored,
      int k,
      int n) {
    public Tally {
      endorsing = List.copyOf(endorsing);
      ignored = List.copyOf(ignored);
    }

    /** The organisations counted as endorsing, in input order. */
    public Set<String> organisations() {
      Set<String> out = new LinkedHashSet<>();
      endorsing.forEach(v -> out.add(v.validator()));
      return out;
    }

    /** The counted REJECT verdicts, one per organisation. */
    public List<Verdict<T>> rejecting() {
      return ignored.stream()
          .filter(i -> i.reason() == Reason.REJECT_VERDICT)
          .map(Ignored::verdict)
          .toList();
    }

    /** The verdicts ignored for {@code reason}. */
    public List<Ignored<T>> ignored(Reason reason) {
      return ignored.stream().filter(i -> i.reason() == reason).toList();
    }

    /**
     * The sources of the verdicts that decided the standing: the endorsements if {@link
     * Standing#MET}, the rejections if {@link Standing#REJECTED}, none while pending.
     */
    public List<T> deciding() {
      List<Verdict<T>> d =
          switch (standing) {
            case MET -> endorsing;
            case REJECTED -> rejecting();
            case PENDING -> List.of();
          };
      return d.stream().map(Verdict::source).toList();
    }

    /** Why the quorum is not met, in words (for a refusal message). */
    public String shortfall() {
      return endorsing.size()
          + " valid endorsement(s) of "
          + subject
          + " from distinct validators "
          + organisations()
          + ", the policy requires "
          + k
          + (ignored.isEmpty() ? "" : "; ignored " + ignored);
    }
  }

  /**
   * Tallies {@code verdicts}, in order, for {@code subject} under {@code policy}'s quorum (see the
   * class comment for the rule).
   */
  public static <T> Tally<T> decide(
      TrustPolicy policy, Subject subject, List<Verdict<T>> verdicts) {
    int k = policy.endorsementQuorum();
    int n = policy.validatorCount();
    List<Verdict<T>> endorsing = new ArrayList<>();
    List<Ignored<T>> ignored = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int rejecting = 0;
    for (Verdict<T> v : verdicts) {
      EndorsementStatement s = v.statement();
      Optional<TrustPolicy.Member> m = policy.member(s.validator());
      Ignored<T> why = null;
      if (m.isEmpty()) {
        why = new Ignored<>(v, Reason.NOT_A_MEMBER, "not a member of " + policy.consortium());
      } else if (!m.get().has(Role.VALIDATOR)) {
        why = new Ignored<>(v, Reason.NOT_A_VALIDATOR, "the member has no validator role");
      } else if (!subject.submissionId().equals(s.submissionId())) {
        why =
            new Ignored<>(
                v,
                Reason.WRONG_SUBMISSION,
                "it is about submission "
                    + s.submissionId()
                    + ", expected "
                    + subject.submissionId());
      } else if (!subject.submitter().equals(s.submitter())) {
        why =
            new Ignored<>(
                v,
                Reason.WRONG_SUBMITTER,
                "it is about a submission by '"
                    + s.submitter()
                    + "', expected '"
                    + subject.submitter()
                    + "'");
      } else if (!subject.operation().equals(s.operation())) {
        why =
            new Ignored<>(
                v,
                Reason.WRONG_OPERATION,
                "it is about a " + s.operation() + ", expected a " + subject.operation());
      } else if (!Arrays.equals(subject.certificateSha256, s.certificateSha256())) {
        why =
            new Ignored<>(
                v,
                Reason.WRONG_CERTIFICATE,
                "it is about certificate "
                    + (s.certificateSha256() == null ? "none" : Hex.encode(s.certificateSha256()))
                    + ", expected "
                    + Hex.encode(subject.certificateSha256));
      } else if (v.signatureFault() != null) {
        why = new Ignored<>(v, Reason.BAD_SIGNATURE, v.signatureFault());
      } else if (!seen.add(s.validator())) {
        why =
            new Ignored<>(
                v,
                Reason.DUPLICATE_ORGANISATION,
                "this organisation already gave its verdict; only its first counts");
      } else if (!"ENDORSE".equals(s.verdict())) {
        why = new Ignored<>(v, Reason.REJECT_VERDICT, "verdict " + s.verdict());
        rejecting++;
      }
      if (why == null) {
        endorsing.add(v);
      } else {
        ignored.add(why);
      }
    }
    Standing standing =
        endorsing.size() >= k
            ? Standing.MET
            : rejecting > n - k ? Standing.REJECTED : Standing.PENDING;
    return new Tally<>(subject, standing, endorsing, ignored, k, n);
  }
}
