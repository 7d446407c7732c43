package org.ledgerpki.issuance;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Builds signed submissions and verdicts as {@link TestConsortium}'s members make them, and the
 * ways they go wrong: another member's key, an outsider, a tampered statement.
 */
final class Signed {
  static final TestConsortium TC = TestConsortium.get();

  private Signed() {}

  /** The member's (or, for "mallory", the outsider's) keys. */
  static MemberKeys keys(String id) {
    return id.equals(TC.outsider().id()) ? TC.outsider() : TC.member(id);
  }

  static BatchSigner submitter(String id) {
    KeyPair k = keys(id).submission();
    return new BatchSigner(id, k.getPrivate(), k.getPublic());
  }

  static BatchSigner validator(String id) {
    KeyPair k = keys(id).endorsement();
    return new BatchSigner(id, k.getPrivate(), k.getPublic());
  }

  /** An ISSUE of {@code der} by {@code submitter}, signed with its submission key. */
  static Submissions.Keyed issue(String submitter, byte[] der) {
    return Submissions.issue(submitter(submitter), List.of(der), Instant.now()).get(0);
  }

  /** A signed lifecycle request on the certificate with hash {@code target}. */
  static Submissions.Keyed lifecycle(String submitter, Operation op, byte[] target) {
    Submission.Builder b =
        Submission.newBuilder()
            .setSubmissionId(java.util.UUID.randomUUID().toString())
            .setOperation(op)
            .setSubmitter(submitter)
            .setCertificate(null)
            .setTargetCertificateSha256(Evidence.buffer(target))
            .setReasonCode(op == Operation.REVOKE ? 1 : null)
            .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()));
    return Submissions.sign(submitter(submitter), List.of(b)).get(0);
  }

  /** {@code validator}'s verdict on {@code s}, unsigned. */
  static Endorsement.Builder verdict(String validator, Submissions.Keyed s, Verdict v) {
    List<Reason> reasons = new ArrayList<>();
    if (v == Verdict.REJECT) {
      reasons.add(new Reason(ReasonCode.ORGANIZATION_MISMATCH, "rejected by " + validator));
    }
    return Endorsement.newBuilder()
        .setSubmissionId(s.submission().getSubmissionId())
        .setOperation(s.submission().getOperation())
        .setSubmitter(s.submission().getSubmitter())
        .setCertificateSha256(Evidence.buffer(Hex.decode(s.key())))
        .setValidator(validator)
        .setVerdict(v)
        .setReasons(reasons)
        .setValidatedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
        .setSignature(Evidence.unsigned(validator));
  }

  /** {@code validator}'s verdict on {@code s}, signed with its own endorsement key. */
  static Endorsement endorse(String validator, Submissions.Keyed s, Verdict v) {
    return sign(validator(validator), verdict(validator, s, v));
  }

  /** Signs built verdicts as one batch with {@code signer}. */
  static List<Endorsement> signAll(BatchSigner signer, List<Endorsement.Builder> verdicts) {
    List<byte[]> statements = new ArrayList<>();
    for (Endorsement.Builder b : verdicts) {
      statements.add(Evidence.statement(b.build()).encode());
    }
    List<BatchEvidence> ev = signer.sign(EndorsementStatement.KIND, statements);
    List<Endorsement> out = new ArrayList<>();
    for (int i = 0; i < verdicts.size(); i++) {
      out.add(verdicts.get(i).setSignature(Evidence.signature(ev.get(i))).build());
    }
    return out;
  }

  static Endorsement sign(BatchSigner signer, Endorsement.Builder verdict) {
    return signAll(signer, List.of(verdict)).get(0);
  }

  /** A copy of {@code e} whose batch signature has one bit flipped. */
  static Endorsement flipSignatureBit(Endorsement e) {
    Endorsement copy = Endorsement.newBuilder(e).build();
    byte[] sig = Evidence.bytes(e.getSignature().getSignature());
    sig = Arrays.copyOf(sig, sig.length);
    sig[sig.length / 2] ^= 0x01;
    copy.setSignature(
        org.ledgerpki.schemas.avro.BatchSignature.newBuilder(e.getSignature())
            .setSignature(Evidence.buffer(sig))
            .build());
    return copy;
  }
}
