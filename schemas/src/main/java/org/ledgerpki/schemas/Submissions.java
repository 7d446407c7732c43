package org.ledgerpki.schemas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/** Builds signed submissions, as a submitting organisation does (ledgerpki submit, tests). */
public final class Submissions {
  private Submissions() {}

  /** A submission and the key it goes under on {@code ledger.submissions}. */
  public record Keyed(String key, Submission submission) {}

  /**
   * ISSUE submissions for {@code certificates} (DER), signed as one batch by {@code signer}.
   *
   * @return one keyed submission per certificate, in order; key = hex SHA-256 of the certificate
   */
  public static List<Keyed> issue(BatchSigner signer, List<byte[]> certificates, Instant now) {
    List<Submission.Builder> builders = new ArrayList<>(certificates.size());
    for (byte[] der : certificates) {
      builders.add(request(signer.signer(), Operation.ISSUE, der, null, null, now));
    }
    return sign(signer, builders);
  }

  /**
   * An unsigned lifecycle request (REVOKE, SUSPEND, RESUME, RENEW) of {@code submitter} about the
   * certificate whose SHA-256 is {@code targetSha256}, for {@link #sign}.
   *
   * @param reasonCode RFC 5280 CRLReason, or null
   * @param newCertificate the new certificate of a RENEW (DER), else null
   */
  public static Submission.Builder lifecycle(
      String submitter,
      Operation operation,
      byte[] targetSha256,
      Integer reasonCode,
      byte[] newCertificate) {
    return request(submitter, operation, newCertificate, targetSha256, reasonCode, Instant.now());
  }

  private static Submission.Builder request(
      String submitter,
      Operation operation,
      byte[] certificate,
      byte[] targetSha256,
      Integer reasonCode,
      Instant now) {
    return Submission.newBuilder()
        .setSubmissionId(UUID.randomUUID().toString())
        .setOperation(operation)
        .setSubmitter(submitter)
        .setCertificate(certificate == null ? null : Evidence.buffer(certificate))
        .setTargetCertificateSha256(targetSha256 == null ? null : Evidence.buffer(targetSha256))
        .setReasonCode(reasonCode)
        .setSubmittedAt(now);
  }

  /** An unsigned ISSUE request of {@code submitter} for {@code certificate} (DER). */
  public static Submission.Builder issueRequest(String submitter, byte[] certificate) {
    return request(submitter, Operation.ISSUE, certificate, null, null, Instant.now());
  }

  /**
   * Signs built-but-unsigned submissions as one batch.
   *
   * @return the signed submissions, keyed by the hash of the certificate they are about
   */
  public static List<Keyed> sign(BatchSigner signer, List<Submission.Builder> builders) {
    List<byte[]> statements = new ArrayList<>(builders.size());
    for (Submission.Builder b : builders) {
      b.setSignature(Evidence.unsigned(signer.signer()));
      statements.add(Evidence.statement(b.build()).encode());
    }
    List<BatchEvidence> evidence = signer.sign(SubmissionStatement.KIND, statements);
    List<Keyed> out = new ArrayList<>(builders.size());
    for (int i = 0; i < builders.size(); i++) {
      Submission s = builders.get(i).setSignature(Evidence.signature(evidence.get(i))).build();
      out.add(new Keyed(keyOf(s), s));
    }
    return out;
  }

  /**
   * The record key of a submission: hex SHA-256 of its certificate (ISSUE, RENEW: the new one) or
   * of the certificate it acts on.
   */
  public static String keyOf(Submission s) {
    if (s.getOperation() == Operation.ISSUE && s.getCertificate() != null) {
      return Hex.encode(Sha256.hash(Evidence.bytes(s.getCertificate())));
    }
    if (s.getTargetCertificateSha256() != null) {
      return Hex.encode(Evidence.bytes(s.getTargetCertificateSha256()));
    }
    return Hex.encode(Sha256.hash(Evidence.bytes(s.getCertificate())));
  }
}
