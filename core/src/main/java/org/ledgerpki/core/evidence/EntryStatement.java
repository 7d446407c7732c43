package org.ledgerpki.core.evidence;

/**
 * What the issuance log asserts when it publishes an entry on {@code ledger.entries}: this entry is
 * the one at this index of this log. The log signs it with its Ed25519 key, and every reader
 * verifies it on arrival (docs/adr/0012-log-signed-ledger-records.md).
 *
 * <p>Encoding: {@code "ledger-pki ledger-entry v1\n"}, origin (uint16-length UTF-8), logNumber
 * (uint64), index (uint64), SHA-256 of the MTC log entry, SHA-256 of the certificate's DER (empty
 * for a null entry), the record's certificateSha256, submissionId, submitter (uint16-length each,
 * empty if absent), sequencedAt (uint64 epoch milliseconds), the {@link EvidenceDigest} of its
 * endorsements (uint16-length). The length prefixes put NUL bytes into every statement, so none is
 * a valid signed note (C2SP signed-note forbids control characters), and the label keeps it apart
 * from every other statement the project signs.
 *
 * @param entrySha256 SHA-256 of the MTCLogEntry bytes, exactly as hashed into the tree
 * @param certificateDerSha256 SHA-256 of the certificate the record carries, or null if none
 * @param certificateSha256 the record's certificateSha256 field, or null
 * @param evidenceSha256 the {@link EvidenceDigest} of the endorsements the record carries
 */
public record EntryStatement(
    String origin,
    int logNumber,
    long index,
    byte[] entrySha256,
    byte[] certificateDerSha256,
    byte[] certificateSha256,
    String submissionId,
    String submitter,
    long sequencedAtMillis,
    byte[] evidenceSha256) {

  /**
   * Returns the bytes the log signs.
   *
   * @throws StatementEncodingException if a string is over 65,535 bytes in UTF-8
   */
  public byte[] encode() {
    return new StatementWriter("ledger-pki ledger-entry v1")
        .string("origin", origin)
        .u64(logNumber)
        .u64(index)
        .bytes("entrySha256", entrySha256)
        .bytes("certificateDerSha256", certificateDerSha256)
        .bytes("certificateSha256", certificateSha256)
        .string("submissionId", submissionId)
        .string("submitter", submitter)
        .u64(sequencedAtMillis)
        .bytes("evidenceSha256", evidenceSha256)
        .toByteArray();
  }
}
