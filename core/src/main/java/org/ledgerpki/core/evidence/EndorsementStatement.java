package org.ledgerpki.core.evidence;

import java.util.List;

/**
 * What a validator signs: its verdict on one submission of one certificate, with reasons.
 *
 * <p>Encoding (docs/adr/0003-batched-signatures.md): {@code "ledger-pki endorsement v1\n"},
 * submissionId, operation, submitter (uint16-length UTF-8), certificateSha256 (uint16-length
 * bytes), validator, verdict (uint16-length UTF-8), the number of reasons (uint16), each reason's
 * code and detail (uint16-length UTF-8), validatedAt (uint64 epoch milliseconds).
 */
public record EndorsementStatement(
    String submissionId,
    String operation,
    String submitter,
    byte[] certificateSha256,
    String validator,
    String verdict,
    List<Reason> reasons,
    long validatedAtMillis) {

  /** Statement kind, bound into the batch signature. */
  public static final String KIND = "endorsement";

  /** A rejection reason: machine-readable code and human-readable detail. */
  public record Reason(String code, String detail) {}

  /**
   * Returns the canonical bytes that are hashed into the signed batch.
   *
   * @throws StatementEncodingException if a field does not fit its encoding (a string over 65,535
   *     bytes, more than 65,535 reasons); a validator keeps its verdicts within {@link FieldBounds}
   */
  public byte[] encode() {
    StatementWriter w =
        new StatementWriter("ledger-pki endorsement v1")
            .string("submissionId", submissionId)
            .string("operation", operation)
            .string("submitter", submitter)
            .bytes("certificateSha256", certificateSha256)
            .string("validator", validator)
            .string("verdict", verdict)
            .u16("reasons", reasons.size());
    for (Reason r : reasons) {
      w.string("reason.code", r.code()).string("reason.detail", r.detail());
    }
    return w.u64(validatedAtMillis).toByteArray();
  }
}
