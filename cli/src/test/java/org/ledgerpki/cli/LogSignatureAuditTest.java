package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The audit's check of the log's signature on ledger records (ADR 0012): only a record the policy's
 * log signed passes; one unsigned, signed with another key, altered after signing or of another log
 * is refused with the reason, and counted. Without a policy the audit is a usage error.
 */
class LogSignatureAuditTest {
  private static final Instant AT = Instant.ofEpochMilli(1_767_225_600_000L);
  private final TestConsortium tc = TestConsortium.get();
  private final LogKeys log = tc.log();

  @TempDir Path dir;

  @Test
  void onlyEntriesAndStatusEventsSignedByThePolicysLogPass() {
    LogSignatureAudit audit = new LogSignatureAudit(tc.policy().log());
    LogKeys impostor = LogKeys.generate(log.caId(), log.number());

    assertThat(audit.entry(LogRecords.sign(entry(1), log.ed25519().getPrivate()))).isNull();
    assertThat(audit.entry(entry(2))).isEqualTo("it carries no log signature");
    assertThat(audit.entry(LogRecords.sign(entry(3), impostor.ed25519().getPrivate())))
        .contains("does not verify with the key of log " + log.origin());
    LedgerEntry moved = LogRecords.sign(entry(4), log.ed25519().getPrivate());
    moved.setIndex(5); // the log signed index 4
    assertThat(audit.entry(moved)).contains("does not verify");
    LedgerEntry foreign = entry(6);
    foreign.setOrigin("oid/1.3.6.1.4.1.32473.9.0.1");
    assertThat(audit.entry(LogRecords.sign(foreign, log.ed25519().getPrivate())))
        .isEqualTo("its log oid/1.3.6.1.4.1.32473.9.0.1 is not the policy's log " + log.origin());

    assertThat(audit.statusEvent(LogRecords.sign(event(0), log.ed25519().getPrivate()))).isNull();
    assertThat(audit.statusEvent(event(1))).isEqualTo("it carries no log signature");
    StatusEntry revoked = LogRecords.sign(event(2), log.ed25519().getPrivate());
    revoked.setReasonCode(1); // the log signed reason 4
    assertThat(audit.statusEvent(revoked)).contains("does not verify");

    assertThat(audit.entriesRefused()).isEqualTo(4);
    assertThat(audit.eventsRefused()).isEqualTo(2);
    assertThat(audit.summary())
        .isEqualTo(
            "log signatures: 5 entries and 3 status events checked with the key of log "
                + log.origin()
                + "; 4 entries and 2 status events without a valid one");
  }

  @Test
  void withoutAPolicyTheAuditIsAUsageError() throws Exception {
    RelyingPartyFixture.Run none = RelyingPartyFixture.run("audit", "--bootstrap", "127.0.0.1:1");
    assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("give the trust policy with --policy FILE");

    Path missing = dir.resolve("missing.yaml");
    RelyingPartyFixture.Run absent =
        RelyingPartyFixture.run(
            "audit", "--bootstrap", "127.0.0.1:1", "--policy", missing.toString());
    assertThat(absent.code()).as(absent.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(absent.err()).contains("--policy: no file " + missing);

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "format: nothing\n");
    RelyingPartyFixture.Run invalid =
        RelyingPartyFixture.run("audit", "--bootstrap", "127.0.0.1:1", "--policy", bad.toString());
    assertThat(invalid.code()).as(invalid.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(invalid.err()).contains("ledgerpki audit: --policy: ").contains(bad.toString());
  }

  private LedgerEntry entry(long index) {
    byte[] cert = ("certificate " + index).getBytes(StandardCharsets.UTF_8);
    return LedgerEntry.newBuilder()
        .setOrigin(log.origin())
        .setLogNumber(log.number())
        .setIndex(index)
        .setEntry(ByteBuffer.wrap(("entry " + index).getBytes(StandardCharsets.UTF_8)))
        .setCertificate(ByteBuffer.wrap(cert))
        .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(cert)))
        .setSubmissionId("s" + index)
        .setSubmitter("vendor-a")
        .setEvidence(List.of())
        .setSequencedAt(AT)
        .build();
  }

  private StatusEntry event(long sequence) {
    return StatusEntry.newBuilder()
        .setOrigin(log.origin())
        .setLogNumber(log.number())
        .setSequence(sequence)
        .setEvent(ByteBuffer.wrap(("event " + sequence).getBytes(StandardCharsets.UTF_8)))
        .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(new byte[] {(byte) sequence})))
        .setOperation(Operation.REVOKE)
        .setReasonCode(4)
        .setOwner("vendor-a")
        .setRequests(List.of())
        .setEvidence(List.of())
        .setSequencedAt(AT)
        .build();
  }
}
