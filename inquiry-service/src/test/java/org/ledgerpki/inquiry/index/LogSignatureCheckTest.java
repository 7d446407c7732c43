package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.inquiry.LogSigning;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * The node's check of the log's signature on each record (ADR 0012), when a polled batch is checked
 * ahead in parallel and when the node's journal is replayed.
 */
class LogSignatureCheckTest {
  private static final TestConsortium TC = TestConsortium.get();

  private final LogSignatureCheck check =
      new LogSignatureCheck(TrustBundle.fromPolicy(TC.policy()));

  private static LedgerEntry entry(long i) {
    return LedgerEntry.newBuilder()
        .setOrigin(TC.log().origin())
        .setLogNumber(1)
        .setIndex(i)
        .setEntry(ByteBuffer.wrap(("entry " + i).getBytes(StandardCharsets.UTF_8)))
        .setCertificate(null)
        .setCertificateSha256(null)
        .setSubmissionId(null)
        .setSubmitter(null)
        .setEvidence(List.of())
        .setSequencedAt(Instant.ofEpochMilli(1_767_225_600_000L + i))
        .build();
  }

  @Test
  void aBatchCheckedAheadStillRefusesEachForgeryAndOnlyThem() {
    List<Object> batch = new ArrayList<>();
    List<LedgerEntry> forged = new ArrayList<>();
    for (long i = 0; i < 3 * LogSignatureCheck.AHEAD_MIN; i++) {
      LedgerEntry e = entry(i);
      switch ((int) (i % 10)) {
        case 3 -> forged.add(LogSigning.unsigned(e));
        case 7 -> forged.add(LogSigning.signedByAnother(e));
        default -> LogSigning.signed(e);
      }
      batch.add(e);
      batch.add("a record of another kind"); // checkpoints, decisions: not the check's
    }
    check.checkAhead(batch);
    for (Object o : batch) {
      if (o instanceof LedgerEntry e) {
        assertThat(check.refuses(e)).as("entry %d", e.getIndex()).isEqualTo(forged.contains(e));
      }
    }
    assertThat(check.refusedCount()).isEqualTo(forged.size()).isGreaterThan(0);
  }

  @Test
  void whatWasCheckedAheadCountsForItsOwnBatchOnlyAndASmallBatchIsCheckedInTurn() {
    List<Object> batch = new ArrayList<>();
    for (long i = 0; i < LogSignatureCheck.AHEAD_MIN; i++) {
      batch.add(LogSigning.signed(entry(i)));
    }
    check.checkAhead(batch);
    // The next batch, too small to check ahead: the first batch's records are no longer taken as
    // checked, so one altered since is refused in its turn, and the new batch's are checked then.
    check.checkAhead(List.of());
    LedgerEntry altered = (LedgerEntry) batch.get(0);
    altered.setSubmitter("mallory");
    assertThat(check.refuses(altered)).isTrue();
    assertThat(check.refuses((LedgerEntry) batch.get(1))).isFalse();
    LedgerEntry unsigned = LogSigning.unsigned(entry(99));
    check.checkAhead(List.of(unsigned));
    assertThat(check.refuses(unsigned)).isTrue();
    assertThat(check.refusedCount()).isEqualTo(2);
  }

  @Test
  void aRecordTheJournalVouchesForIsNotCheckedAgainButAnEqualCopyIs() {
    // The journal holds only what the node applied, so verified: its replay does not verify again.
    LedgerEntry fromJournal = LogSigning.unsigned(entry(5));
    check.vouch(fromJournal);
    assertThat(check.refuses(fromJournal)).isFalse();
    // Once: the same object read again is checked.
    assertThat(check.refuses(fromJournal)).isTrue();
    // By identity: an equal record from the topics is checked as any other.
    LedgerEntry copy = LogSigning.unsigned(entry(6));
    check.vouch(LogSigning.unsigned(entry(6)));
    assertThat(check.refuses(copy)).isTrue();
    assertThat(check.refusedCount()).isEqualTo(2);
  }
}
