package org.ledgerpki.schemas;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.schemas.avro.BatchSignature;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.Submission;

/**
 * Between the Avro records and core's signed statements: what each record asserts (its {@code
 * *Statement}) and its evidence ({@link BatchEvidence}). Readers verify with {@code
 * org.ledgerpki.core.evidence.BatchVerifier}.
 */
public final class Evidence {
  private Evidence() {}

  /** The bytes of a {@link ByteBuffer} field, without disturbing it. */
  public static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  public static ByteBuffer buffer(byte[] b) {
    return b == null ? null : ByteBuffer.wrap(b);
  }

  /** What a submission's author signed. */
  public static SubmissionStatement statement(Submission s) {
    byte[] cert = bytes(s.getCertificate());
    return new SubmissionStatement(
        s.getSubmissionId(),
        s.getOperation().name(),
        s.getSubmitter(),
        cert == null ? null : Sha256.hash(cert),
        bytes(s.getTargetCertificateSha256()),
        s.getReasonCode(),
        s.getSubmittedAt().toEpochMilli());
  }

  /** What a validator signed. */
  public static EndorsementStatement statement(Endorsement e) {
    List<EndorsementStatement.Reason> reasons = new ArrayList<>(e.getReasons().size());
    for (Reason r : e.getReasons()) {
      reasons.add(new EndorsementStatement.Reason(r.getCode().name(), r.getDetail()));
    }
    return new EndorsementStatement(
        e.getSubmissionId(),
        e.getOperation().name(),
        e.getSubmitter(),
        bytes(e.getCertificateSha256()),
        e.getValidator(),
        e.getVerdict().name(),
        reasons,
        e.getValidatedAt().toEpochMilli());
  }

  public static BatchEvidence evidence(BatchSignature s) {
    List<byte[]> proof = new ArrayList<>(s.getProof().size());
    for (ByteBuffer b : s.getProof()) {
      proof.add(bytes(b));
    }
    return new BatchEvidence(
        s.getSigner(),
        s.getKeyId(),
        s.getBatchSize(),
        s.getLeafIndex(),
        proof,
        bytes(s.getSignature()));
  }

  public static BatchSignature signature(BatchEvidence e) {
    List<ByteBuffer> proof = new ArrayList<>(e.proof().size());
    for (byte[] b : e.proof()) {
      proof.add(ByteBuffer.wrap(b));
    }
    return BatchSignature.newBuilder()
        .setSigner(e.signer())
        .setKeyId(e.keyId())
        .setBatchSize(e.batchSize())
        .setLeafIndex(e.leafIndex())
        .setProof(proof)
        .setSignature(ByteBuffer.wrap(e.signature()))
        .build();
  }

  /** A placeholder signature for a record whose batch is not signed yet. */
  public static BatchSignature unsigned(String signer) {
    return BatchSignature.newBuilder()
        .setSigner(signer)
        .setKeyId("")
        .setBatchSize(0)
        .setLeafIndex(0)
        .setProof(List.of())
        .setSignature(ByteBuffer.allocate(0))
        .build();
  }
}
