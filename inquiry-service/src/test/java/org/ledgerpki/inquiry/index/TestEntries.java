package org.ledgerpki.inquiry.index;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.inquiry.LogSigning;
import org.ledgerpki.schemas.avro.LedgerEntry;

/** The {@code ledger.entries} records of a {@link TestLog}, as the index tests feed them. */
final class TestEntries {
  private TestEntries() {}

  /**
   * Entry {@code i} of {@code log}: the null entry at 0, else the entry of {@code certs[i - 1]};
   * signed by the log, as the issuance stream publishes it (ADR 0012).
   */
  static LedgerEntry entry(TestLog log, List<byte[]> certs, long i) {
    byte[] cert = i == 0 ? null : certs.get((int) i - 1);
    byte[] entry =
        i == 0
            ? MtcLogEntry.nullEntry().encode()
            : Base64.getDecoder()
                .decode(
                    log.goodAnswer(i, log.tree().size(), "", Instant.EPOCH, Instant.EPOCH).entry());
    return LogSigning.signed(
        LedgerEntry.newBuilder()
            .setOrigin(log.origin())
            .setLogNumber(1)
            .setIndex(i)
            .setEntry(ByteBuffer.wrap(entry))
            .setCertificate(cert == null ? null : ByteBuffer.wrap(cert))
            .setCertificateSha256(cert == null ? null : ByteBuffer.wrap(Sha256.hash(cert)))
            .setSubmissionId(cert == null ? null : "sub-" + i)
            .setSubmitter(cert == null ? null : "vendor-a")
            .setEvidence(List.of())
            .setSequencedAt(Instant.now())
            .build());
  }
}
