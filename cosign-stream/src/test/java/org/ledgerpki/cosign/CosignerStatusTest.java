package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.cosign.mirror.Fault;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/** The cosigner's status mirror: evidence of each event, and the checkpoints' status line. */
class CosignerStatusTest {
  private static final long T0 = 1_772_366_400_000L;

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

  private List<Cosignature> checkpointCosignatures() {
    return b.cosignatures.readValuesToList().stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .toList();
  }

  @Test
  void aRevocationIsCosignedAtTheSameTreeSizeAndAggregated() {
    List<LedgerEntry> certs = ledger.add(3);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    assertThat(h.cosigned).hasSize(1);

    StatusEntry revoke = ledger.lifecycle(certs.get(1), Operation.REVOKE, 1, "vendor-a");
    h.status(revoke);
    Checkpoint cp = ledger.checkpoint(T0 + 1000);
    assertThat(cp.getSize()).isEqualTo(cp.getPreviousSize());
    h.checkpoint(cp);
    h.relay();
    assertThat(b.metric("refused-checkpoints-total")).isZero();
    assertThat(b.published.stream().filter(c -> c.getKind() == CosignatureKind.CHECKPOINT))
        .hasSize(2);
    assertThat(h.cosigned).as("the same size and root, another status: cosigned again").hasSize(2);
    CosignedCheckpoint latest = h.cosigned.get(1);
    assertThat(latest.getNote()).contains(ledger.status().commitment().extensionLine());
    assertThat(ledger.status().commitment().count()).isEqualTo(1);
  }

  @Test
  void aWrongStatusRootIsRefused() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(certs.get(0), Operation.SUSPEND, null, "vendor-a"));
    StatusCommitment honest = ledger.status().commitment();
    // A log that claims the certificate is still GOOD: an empty map, with the event counted.
    StatusCommitment lie =
        new StatusCommitment(1, honest.logRoot(), new StatusLog().commitment().mapRoot());
    h.checkpoint(
        ledger.checkpoint(
            3,
            0,
            ledger.tree().rootAt(3),
            T0,
            TestLedger.TC.log().noteSigner(),
            lie.extensionLine()));
    assertThat(checkpointCosignatures()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-mismatch")).isEqualTo(1);

    // No status line at all: refused too.
    h.checkpoint(
        ledger.checkpoint(
            3, 3, ledger.tree().rootAt(3), T0, TestLedger.TC.log().noteSigner(), null));
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-mismatch")).isEqualTo(2);

    // The honest line goes through.
    h.checkpoint(
        ledger.checkpoint(
            3,
            3,
            ledger.tree().rootAt(3),
            T0,
            TestLedger.TC.log().noteSigner(),
            honest.extensionLine()));
    assertThat(checkpointCosignatures()).hasSize(1);
  }

  @Test
  void aCheckpointAheadOfTheStatusMirrorWaitsForTheEvents() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "vendor-a");
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).as("parked: one status event missing").isEmpty();
    h.status(e);
    assertThat(checkpointCosignatures()).hasSize(1);
    assertThat(b.metric("refused-checkpoints-total")).isZero();
  }

  @Test
  void aNonOwnerRevocationWithoutTheRequesterQuorumTaintsTheStatusLog() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    checkpointCosignatures();
    // operator-b alone: the policy's lifecycle.nonOwnerQuorum is 2.
    h.status(ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "operator-b"));
    assertThat(b.metric("tainted-status-events-total")).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0 + 1));
    assertThat(checkpointCosignatures()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-tainted")).isEqualTo(1);
  }

  @Test
  void aNonOwnerRevocationWithTheRequesterQuorumIsCosigned() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    h.status(ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "operator-b", "operator-c"));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).hasSize(1);
    assertThat(b.metric("tainted-status-events-total")).isZero();
  }

  @Test
  void evidenceForgedWithAnotherKeyTaintsTheStatusLog() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "vendor-a");
    List<org.ledgerpki.schemas.avro.Endorsement> evidence =
        new java.util.ArrayList<>(e.getEvidence());
    // operator-c's verdict, signed with operator-b's endorsement key: still two verdicts.
    evidence.set(
        1,
        TestLedger.signed(
            org.ledgerpki.schemas.avro.Endorsement.newBuilder(evidence.get(1)),
            TestLedger.TC.member("operator-b")));
    h.status(TestLedger.logSigned(StatusEntry.newBuilder(e).setEvidence(evidence).build()));
    assertThat(b.metric("tainted-status-events-total", "reason", Fault.NO_QUORUM)).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-tainted")).isEqualTo(1);
  }

  @Test
  void anEventAboutAnotherCertificateTaintsTheStatusLog() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    StatusEntry e = ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "vendor-a");
    h.status(
        TestLedger.logSigned(
            StatusEntry.newBuilder(e).setCertificateSha256(ByteBuffer.wrap(new byte[32])).build()));
    assertThat(b.metric("tainted-status-events-total", "reason", Fault.INVALID)).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isEmpty();
  }

  @Test
  void aRenewalByANewCertificateInTheMirrorIsCosigned() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    // The mirror finds the new certificate by the leaf hash of its MTC entry, computed from the
    // request's certificate: the event names only its SHA-256.
    h.status(ledger.renewal(certs.get(0), Evidence.bytes(certs.get(1).getCertificate())));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.metric("tainted-status-events-total")).isZero();
    assertThat(checkpointCosignatures()).hasSize(1);
  }

  @Test
  void aRenewalByACertificateNotInTheMirrorTaintsTheStatusLog() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    h.status(ledger.renewal(certs.get(0), ledger.newCertificate()));
    assertThat(b.metric("tainted-status-events-total", "reason", Fault.INVALID)).isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isEmpty();
  }
}
