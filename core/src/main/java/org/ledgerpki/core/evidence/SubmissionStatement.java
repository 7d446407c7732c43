package org.ledgerpki.core.evidence;

/**
 * What a submitting organisation signs when it submits: the operation, itself, and the hashes of
 * the certificates involved. The certificate is bound by its SHA-256, so the signature covers it.
 *
 * <p>Encoding (docs/adr/0003-batched-signatures.md): {@code "ledger-pki submission v1\n"},
 * submissionId, operation, submitter (uint16-length UTF-8 each), certificateSha256,
 * targetCertificateSha256 (uint16-length bytes, empty if absent), reasonCode + 1 (uint16, 0 if
 * absent), submittedAt (uint64 epoch milliseconds).
 *
 * @param certificateSha256 SHA-256 of the submitted certificate's DER, or null (REVOKE, ...)
 * @param targetCertificateSha256 SHA-256 of the certificate acted on, or null (ISSUE)
 * @param reasonCode RFC 5280 CRLReason (0..10), or null
 */
public record SubmissionStatement(
    String submissionId,
    String operation,
    String submitter,
    byte[] certificateSha256,
    byte[] targetCertificateSha256,
    Integer reasonCode,
    long submittedAtMillis) {

  /** Statement kind, bound into the batch signature. */
  public static final String KIND = "submission";

  /**
   * Returns the canonical bytes that are hashed into the signed batch.
   *
   * @throws StatementEncodingException if a field does not fit its encoding (a string over 65,535
   *     bytes, a reason code outside 0..65534); check untrusted input with {@link FieldBounds}
   *     first
   */
  public byte[] encode() {
    return new StatementWriter("ledger-pki submission v1")
        .string("submissionId", submissionId)
        .string("operation", operation)
        .string("submitter", submitter)
        .bytes("certificateSha256", certificateSha256)
        .bytes("targetCertificateSha256", targetCertificateSha256)
        .u16("reasonCode", reasonCode == null ? 0 : reasonCode + 1L)
        .u64(submittedAtMillis)
        .toByteArray();
  }
}
