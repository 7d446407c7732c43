package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.cosign.mirror.Fault;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * A dishonest sequencer writing straight to {@code ledger.entries} and {@code ledger.status}, with
 * the log's key (every record here is signed by the log, {@link TestLedger}): each attack runs on
 * its own fresh ledger (a new harness per test), and is refused with its own reason tag on the
 * taint counter; the checkpoint covering it is then not cosigned.
 */
class CosignerAdversaryTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @TempDir Path stateDir;
  private CosignHarness h;
  private CosignHarness.Cosigner b;
  private TestLedger ledger;

  @BeforeEach
  void start() {
    h = CosignHarness.operatorsBAndC(stateDir);
    b = h.cosigner("operator-b");
    ledger = new TestLedger();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private long checkpointCosignatures() {
    return b.cosignatures.readValuesToList().stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .count();
  }

  private void assertEntryTainted(String reason) {
    assertThat(b.metric("tainted-entries-total", "reason", reason)).isEqualTo(1);
    assertThat(b.metric("tainted-entries-total")).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isZero();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  private void assertStatusTainted(String reason) {
    assertThat(b.metric("tainted-status-events-total", "reason", reason)).isEqualTo(1);
    assertThat(b.metric("tainted-status-events-total")).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isZero();
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-tainted")).isEqualTo(1);
  }

  /** An ENDORSE of ISSUE of {@code cert}, on submission {@code id} by {@code submitter}. */
  private static Endorsement endorse(byte[] cert, String id, String submitter, String validator) {
    return TestLedger.signed(
        TestLedger.unsigned(Sha256.hash(cert), validator)
            .setSubmissionId(id)
            .setSubmitter(submitter),
        TestLedger.TC.member(validator));
  }

  @Test
  void theHonestLedgerIsCosigned() {
    ledger.add(2);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isEqualTo(1);
    assertThat(b.metric("tainted-entries-total")).isZero();
  }

  @Test
  void endorsementsOfAnotherSubmissionDoNotCount() {
    byte[] cert = ledger.newCertificate();
    String id = TestLedger.submissionId(Sha256.hash(cert));
    // Two validators endorsed two different submissions of the same certificate; the sequencer
    // combines one verdict of each.
    ledger.add(
        cert,
        List.of(
            endorse(cert, id, "vendor-a", "vendor-a"),
            endorse(cert, "another-submission", "vendor-a", "operator-b")));
    h.entries(ledger.entries());
    assertEntryTainted(Fault.NO_QUORUM);
  }

  @Test
  void anOwnerNamedFalselyIsRefused() {
    byte[] cert = ledger.newCertificate();
    LedgerEntry honest =
        ledger.entry(
            ledger.size(),
            TestLedger.mtcEntry(cert),
            cert,
            TestLedger.endorsements(cert, "vendor-a", "operator-b"));
    // The evidence is vendor-a's submission; the record names operator-b as owner.
    ledger.append(LedgerEntry.newBuilder(honest).setSubmitter("operator-b").build());
    h.entries(ledger.entries());
    assertEntryTainted(Fault.NO_QUORUM);
  }

  @Test
  void aDuplicateEntryAtALaterIndexIsRefused() {
    LedgerEntry first = ledger.add();
    ledger.add();
    ledger.append(
        LedgerEntry.newBuilder(first).setIndex(ledger.size()).build()); // same bytes, index 3
    h.entries(ledger.entries());
    assertEntryTainted(Fault.ENTRY_ALREADY_IN_LOG);
  }

  @Test
  void anEntryOnACompromisedKeyIsRefused() {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ED25519, TestLedger.VENDOR_O, "amf-1");
    LedgerEntry revoked =
        ledger.add(v.der(), TestLedger.endorsements(v.der(), "vendor-a", "operator-b"));
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(revoked, Operation.REVOKE, 1, "vendor-a"));
    byte[] again = TestPki.reusingKeyOf(v, TestLedger.VENDOR_O, "amf-1-again").der();
    h.entry(ledger.add(again, TestLedger.endorsements(again, "vendor-a", "operator-b")));
    assertEntryTainted(Fault.KEY_COMPROMISED);
  }

  @Test
  void anotherMembersEntryOnARevokedKeyIsRefused() {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ED25519, TestLedger.VENDOR_O, "amf-2");
    LedgerEntry revoked =
        ledger.add(v.der(), TestLedger.endorsements(v.der(), "vendor-a", "operator-b"));
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(revoked, Operation.REVOKE, 5, "vendor-a")); // cessationOfOperation
    byte[] again =
        TestPki.reusingKeyOf(
                v, org.ledgerpki.core.testkit.TestConsortium.organization("operator-b"), "x")
            .der();
    String id = "by-b";
    LedgerEntry byB =
        LedgerEntry.newBuilder(
                ledger.entry(
                    ledger.size(),
                    TestLedger.mtcEntry(again),
                    again,
                    List.of(
                        endorse(again, id, "operator-b", "vendor-a"),
                        endorse(again, id, "operator-b", "operator-b"))))
            .setSubmissionId(id)
            .setSubmitter("operator-b")
            .build();
    h.entry(ledger.append(byB));
    assertEntryTainted(Fault.KEY_REUSE_REFUSED);
  }

  @Test
  void theOwnerMayReuseTheKeyOfItsRevokedEntry() {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ED25519, TestLedger.VENDOR_O, "amf-3");
    LedgerEntry revoked =
        ledger.add(v.der(), TestLedger.endorsements(v.der(), "vendor-a", "operator-b"));
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(revoked, Operation.REVOKE, 5, "vendor-a"));
    byte[] again = TestPki.reusingKeyOf(v, TestLedger.VENDOR_O, "amf-3-again").der();
    h.entry(ledger.add(again, TestLedger.endorsements(again, "vendor-a", "operator-b")));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.metric("tainted-entries-total")).isZero();
    assertThat(checkpointCosignatures()).isEqualTo(1);
  }

  @Test
  void aReplayedResumeAfterAConsortiumSuspendIsRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(cert, Operation.SUSPEND, null, "vendor-a"));
    StatusEntry resume = ledger.lifecycle(cert, Operation.RESUME, null, "vendor-a");
    h.status(resume);
    h.status(ledger.lifecycle(cert, Operation.SUSPEND, null, "operator-b", "operator-c"));
    assertThat(b.metric("tainted-status-events-total")).isZero();
    h.status(ledger.replay(resume));
    assertStatusTainted(Fault.REQUEST_REPLAYED);
  }

  @Test
  void theOwnerAloneCannotLiftAConsortiumHold() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(cert, Operation.SUSPEND, null, "operator-b", "operator-c"));
    h.status(ledger.lifecycle(cert, Operation.RESUME, null, "vendor-a"));
    assertStatusTainted(Fault.HOLD_PLACED_BY_OTHERS);
  }

  @Test
  void aConsortiumLiftsItsOwnHold() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(cert, Operation.SUSPEND, null, "operator-b", "operator-c"));
    h.status(ledger.lifecycle(cert, Operation.RESUME, null, "operator-b", "operator-c"));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.metric("tainted-status-events-total")).isZero();
    assertThat(checkpointCosignatures()).isEqualTo(1);
  }

  @Test
  void nonOwnerRequestsOutsideTheWindowAreRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    // lifecycle.requestWindow is 1h by default: requests signed 2h apart.
    h.status(
        ledger.lifecycle(
            cert,
            Operation.REVOKE,
            1,
            List.of(T0, T0 + 2 * HOUR),
            T0 + 2 * HOUR,
            "operator-b",
            "operator-c"));
    assertStatusTainted(Fault.OUTSIDE_WINDOW);
  }

  @Test
  void nonOwnerRequestsGrantedLongAfterTheWindowAreRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    h.status(
        ledger.lifecycle(
            cert,
            Operation.REVOKE,
            1,
            List.of(T0, T0 + 1000),
            T0 + 3 * HOUR,
            "operator-b",
            "operator-c"));
    assertStatusTainted(Fault.OUTSIDE_WINDOW);
  }

  @Test
  void evidenceSignedWithAnotherValidatorsKeyIsRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(cert, Operation.REVOKE, 1, "vendor-a");
    List<Endorsement> evidence = new ArrayList<>(e.getEvidence());
    Endorsement c = evidence.get(1);
    // operator-c's verdict, re-signed with operator-b's endorsement key.
    evidence.set(
        1, TestLedger.signed(Endorsement.newBuilder(c), TestLedger.TC.member("operator-b")));
    h.status(TestLedger.logSigned(StatusEntry.newBuilder(e).setEvidence(evidence).build()));
    assertStatusTainted(Fault.NO_QUORUM);
  }

  @Test
  void shortenedEvidenceIsRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(cert, Operation.REVOKE, 1, "vendor-a");
    h.status(
        TestLedger.logSigned(
            StatusEntry.newBuilder(e).setEvidence(List.of(e.getEvidence().get(0))).build()));
    assertStatusTainted(Fault.NO_QUORUM);
  }

  @Test
  void anEventAboutAnotherCertificateIsRefused() {
    LedgerEntry cert = ledger.add();
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(cert, Operation.REVOKE, 1, "vendor-a");
    h.status(
        TestLedger.logSigned(
            StatusEntry.newBuilder(e)
                .setCertificateSha256(java.nio.ByteBuffer.wrap(new byte[32]))
                .build()));
    assertStatusTainted(Fault.INVALID);
  }
}
