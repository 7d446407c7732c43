package org.ledgerpki.core.evidence;

import java.util.List;

/**
 * What the issuance log asserts when it publishes a decision on {@code ledger.decisions}: the
 * consortium decided this outcome on this submission of this certificate, for these reasons, on
 * this evidence. Signed with the log's Ed25519 key and verified on arrival, as {@link
 * EntryStatement} (docs/adr/0012-log-signed-ledger-records.md).
 *
 * <p>Encoding: {@code "ledger-pki decision v1\n"}, origin, submissionId, operation, submitter
 * (uint16-length UTF-8 each), certificateSha256 (uint16-length), outcome (uint16-length UTF-8), the
 * number of reasons (uint16) and each reason's code and detail (uint16-length UTF-8 each),
 * decidedAt (uint64 epoch milliseconds), then the {@link EvidenceDigest} of its endorsements
 * (uint16-length).
 *
 * @param origin the log that publishes the decision (the issuance stream's log)
 * @param outcome {@code ACCEPTED} or {@code REJECTED}
 * @param reasons the decision's own reasons, in order
 * @param evidenceSha256 the {@link EvidenceDigest} of the endorsements the decision carries
 */
public record DecisionStatement(
    String origin,
    String submissionId,
    String operation,
    String submitter,
    byte[] certificateSha256,
    String outcome,
    List<Reason> reasons,
    long decidedAtMillis,
    byte[] evidenceSha256) {

  /** One reason of a decision: its code's name and its detail. */
  public record Reason(String code, String detail) {}

  /** Freezes the list. */
  public DecisionStatement {
    reasons = List.copyOf(reasons);
  }

  /**
   * Returns the bytes the log signs.
   *
   * @throws StatementEncodingException if a field does not fit its encoding
   */
  public byte[] encode() {
    StatementWriter w =
        new StatementWriter("ledger-pki decision v1")
            .string("origin", origin)
            .string("submissionId", submissionId)
            .string("operation", operation)
            .string("submitter", submitter)
            .bytes("certificateSha256", certificateSha256)
            .string("outcome", outcome)
            .u16("reasons", reasons.size());
    for (Reason r : reasons) {
      w.string("reason code", r.code()).string("reason detail", r.detail());
    }
    return w.u64(decidedAtMillis).bytes("evidenceSha256", evidenceSha256).toByteArray();
  }
}
