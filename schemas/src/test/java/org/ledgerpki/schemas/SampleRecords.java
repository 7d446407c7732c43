package org.ledgerpki.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.ledgerpki.schemas.avro.BatchSignature;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.PolicyApproval;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.SubtreeSignature;
import org.ledgerpki.schemas.avro.Verdict;

/** One filled-in value of every record type, with every optional field set. */
final class SampleRecords {

  // Avro's timestamp-millis keeps milliseconds only.
  static final Instant AT = Instant.ofEpochMilli(1_767_225_600_123L);
  static final String ORIGIN = "oid/1.3.6.1.4.1.32473.1.0.1";

  private SampleRecords() {}

  static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  static BatchSignature signature(String signer) {
    return BatchSignature.newBuilder()
        .setSigner(signer)
        .setKeyId("0011223344556677")
        .setBatchSize(4)
        .setLeafIndex(2)
        .setProof(List.of(bytes("sibling-0"), bytes("sibling-1")))
        .setSignature(bytes("sig-" + signer))
        .build();
  }

  static Submission submission(String id) {
    return Submission.newBuilder()
        .setSubmissionId(id)
        .setOperation(Operation.REVOKE)
        .setSubmitter("vendor-a")
        .setCertificate(bytes("DER certificate " + id))
        .setTargetCertificateSha256(bytes("target sha"))
        .setReasonCode(1)
        .setSubmittedAt(AT)
        .setSignature(signature("vendor-a"))
        .build();
  }

  static Endorsement endorsement(String validator, Verdict verdict) {
    return Endorsement.newBuilder()
        .setSubmissionId("sub-1")
        .setOperation(Operation.ISSUE)
        .setSubmitter("vendor-a")
        .setCertificateSha256(bytes("cert sha"))
        .setValidator(validator)
        .setVerdict(verdict)
        .setReasons(
            verdict == Verdict.REJECT
                ? List.of(new Reason(ReasonCode.FORBIDDEN_KEY_USAGE, "digitalSignature set"))
                : List.of())
        .setValidatedAt(AT)
        .setSignature(signature(validator))
        .build();
  }

  static Decision decision() {
    return Decision.newBuilder()
        .setSubmissionId("sub-1")
        .setOperation(Operation.ISSUE)
        .setSubmitter("vendor-a")
        .setCertificateSha256(bytes("cert sha"))
        .setOutcome(Outcome.ACCEPTED)
        .setReasons(List.of(new Reason(ReasonCode.OTHER, "none")))
        .setEvidence(
            List.of(
                endorsement("operator-b", Verdict.ENDORSE), endorsement("ca-c", Verdict.REJECT)))
        .setDecidedAt(AT)
        .build();
  }

  static LedgerEntry entry(long index) {
    return LedgerEntry.newBuilder()
        .setOrigin(ORIGIN)
        .setLogNumber(1)
        .setIndex(index)
        .setEntry(bytes("MTCLogEntry " + index))
        .setCertificate(bytes("DER " + index))
        .setCertificateSha256(bytes("sha " + index))
        .setSubmissionId("sub-" + index)
        .setSubmitter("vendor-a")
        .setEvidence(List.of(endorsement("operator-b", Verdict.ENDORSE)))
        .setSequencedAt(AT)
        .build();
  }

  static org.ledgerpki.schemas.avro.StatusEntry status(long sequence) {
    return org.ledgerpki.schemas.avro.StatusEntry.newBuilder()
        .setOrigin(ORIGIN)
        .setLogNumber(1)
        .setSequence(sequence)
        .setEvent(bytes(sequence < 0 ? "" : "StatusEvent " + sequence))
        .setCertificateSha256(bytes("sha 7"))
        .setOperation(org.ledgerpki.schemas.avro.Operation.REVOKE)
        .setReasonCode(1)
        .setSupersededBy(null)
        .setOwner("vendor-a")
        .setRequests(List.of(submission("sub-9")))
        .setEvidence(List.of(endorsement("operator-b", Verdict.ENDORSE)))
        .setSequencedAt(AT)
        .build();
  }

  static Checkpoint checkpoint() {
    return Checkpoint.newBuilder()
        .setOrigin(ORIGIN)
        .setSize(8)
        .setRootHash(bytes("root"))
        .setPreviousSize(4)
        .setNote(ORIGIN + "\n8\nroot\n\n\u2014 log sig\n")
        .setTimestamp(AT)
        .build();
  }

  static Cosignature cosignature() {
    return Cosignature.newBuilder()
        .setCosigner("operator-b")
        .setOrigin(ORIGIN)
        .setKind(CosignatureKind.CHECKPOINT)
        .setStart(0)
        .setEnd(8)
        .setHash(bytes("root"))
        .setTimestamp(1_767_225_600L)
        .setLines(List.of("\u2014 operator-b AAAA"))
        .build();
  }

  static SignedSubtree subtree() {
    return SignedSubtree.newBuilder()
        .setStart(4)
        .setEnd(8)
        .setHash(bytes("subtree"))
        .setSignatures(List.of(new SubtreeSignature("operator-b", "32473.3", bytes("mldsa"))))
        .build();
  }

  static CosignedCheckpoint cosigned() {
    return CosignedCheckpoint.newBuilder()
        .setOrigin(ORIGIN)
        .setSize(8)
        .setRootHash(bytes("root"))
        .setPreviousSize(4)
        .setNote("note")
        .setCosigners(List.of("operator-b", "ca-c"))
        .setSubtrees(List.of(subtree()))
        .setPublishedAt(AT)
        .build();
  }

  static Landmark landmark() {
    return Landmark.newBuilder()
        .setOrigin(ORIGIN)
        .setNumber(3)
        .setTreeSize(8)
        .setPreviousTreeSize(4)
        .setState(LandmarkState.COSIGNED)
        .setSubtrees(List.of(subtree()))
        .setAllocatedAt(AT)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("some-source-topic")
        .setPartition(0)
        .setOffset(42)
        .setService("validator/operator-b")
        .setReason("not a framed Avro value")
        .setKey(bytes("key"))
        .setValue(bytes("garbage"))
        .setFailedAt(AT)
        .build();
  }

  static GovernanceAct governanceAct() {
    return GovernanceAct.newBuilder()
        .setActId("act-1")
        .setMember("vendor-a")
        .setSerial(2)
        .setPreviousPolicySha256(bytes("previous-policy-hash-32-bytes..."))
        .setPolicySha256(bytes("proposed-policy-hash-32-bytes..."))
        .setDocument(bytes("format: ledger-pki/trust-policy/v1\n"))
        .setSignedAt(AT)
        .setSignature(bytes("signature"))
        .build();
  }

  static PolicyChange policyChange() {
    return PolicyChange.newBuilder()
        .setSerial(2)
        .setDocument(bytes("format: ledger-pki/trust-policy/v1\n"))
        .setPolicySha256(bytes("proposed-policy-hash-32-bytes..."))
        .setPreviousPolicySha256(bytes("previous-policy-hash-32-bytes..."))
        .setEffectiveIndex(12)
        .setEffectiveStatusSequence(3)
        .setApprovals(
            List.of(
                PolicyApproval.newBuilder()
                    .setMember("vendor-a")
                    .setSignedAt(AT)
                    .setSignature(bytes("sig-a"))
                    .build()))
        .setSequencedAt(AT)
        .build();
  }
}
