package org.ledgerpki.core.evidence;

/**
 * What the issuance log asserts when it publishes a lifecycle event on {@code ledger.status}: this
 * encoded status event is the one at this sequence number of this log's status log, about this
 * certificate. Signed with the log's Ed25519 key and verified on arrival, as {@link EntryStatement}
 * (docs/adr/0012-log-signed-ledger-records.md).
 *
 * <p>Encoding: {@code "ledger-pki status-entry v1\n"}, origin (uint16-length UTF-8), logNumber
 * (uint64), sequence (uint64), SHA-256 of the encoded event, certificateSha256, operation
 * (uint16-length each), reasonCode + 1 (uint16, 0 if absent), supersededBy, owner (uint16-length
 * each, empty if absent), sequencedAt (uint64 epoch milliseconds), the {@link EvidenceDigest} of
 * its requests, then its endorsements (uint16-length).
 *
 * @param eventSha256 SHA-256 of the encoded status event, exactly as hashed into the status log
 * @param reasonCode RFC 5280 CRLReason (0..10), or null
 * @param supersededBy RENEW: SHA-256 of the superseding certificate, else null
 * @param evidenceSha256 the {@link EvidenceDigest} of the requests, then the endorsements
 */
public record StatusStatement(
    String origin,
    int logNumber,
    long sequence,
    byte[] eventSha256,
    byte[] certificateSha256,
    String operation,
    Integer reasonCode,
    byte[] supersededBy,
    String owner,
    long sequencedAtMillis,
    byte[] evidenceSha256) {

  /**
   * Returns the bytes the log signs.
   *
   * @throws StatementEncodingException if a field does not fit its encoding
   */
  public byte[] encode() {
    return new StatementWriter("ledger-pki status-entry v1")
        .string("origin", origin)
        .u64(logNumber)
        .u64(sequence)
        .bytes("eventSha256", eventSha256)
        .bytes("certificateSha256", certificateSha256)
        .string("operation", operation)
        .u16("reasonCode", reasonCode == null ? 0 : reasonCode + 1L)
        .bytes("supersededBy", supersededBy)
        .string("owner", owner)
        .u64(sequencedAtMillis)
        .bytes("evidenceSha256", evidenceSha256)
        .toByteArray();
  }
}
