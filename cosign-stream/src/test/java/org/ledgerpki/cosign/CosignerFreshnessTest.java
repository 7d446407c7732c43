package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Signed freshness and the status a dishonest sequencer cannot roll back: heartbeats are
 * re-cosigned with fresh timestamps and re-published by the aggregator; a checkpoint from before a
 * revocation is refused once a later one was cosigned; an event that names another entry than the
 * certificate's taints the status log. Each case starts from a fresh ledger.
 */
class CosignerFreshnessTest {
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
    return b.published.stream().filter(c -> c.getKind() == CosignatureKind.CHECKPOINT).toList();
  }

  /** The same checkpoint again, as the issuance stream's heartbeat re-issues it. */
  private Checkpoint heartbeat(long size) {
    return ledger.checkpoint(
        size, size, ledger.tree().rootAt(size), T0, TestLedger.TC.log().noteSigner());
  }

  @Test
  void aHeartbeatIsRecosignedWithAFreshTimestampAndRepublished() {
    ledger.add(2);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    assertThat(h.cosigned).hasSize(1);
    long first = checkpointCosignatures().get(0).getTimestamp();

    // Within the same second, the same body again (a heartbeat, previousSize = size) adds nothing:
    // not cosigned again.
    h.checkpoint(heartbeat(3));
    h.relay();
    assertThat(checkpointCosignatures()).as("the same body within a second").hasSize(1);
    h.checkpoint(heartbeat(3));
    h.relay();
    assertThat(checkpointCosignatures()).as("twice within a second").hasSize(1);

    h.clock.advance(Duration.ofSeconds(30));
    h.checkpoint(heartbeat(3));
    h.relay();
    List<Cosignature> cs = checkpointCosignatures();
    assertThat(cs).hasSize(2);
    assertThat(cs.get(1).getTimestamp()).isEqualTo(first + 30);
    assertThat(b.metric("refused-checkpoints-total")).isZero();
    // The aggregator publishes the checkpoint again once m cosigners re-cosigned it.
    assertThat(h.cosigned.size()).isGreaterThanOrEqualTo(2);
    var latest = h.cosigned.get(h.cosigned.size() - 1);
    assertThat(latest.getSize()).isEqualTo(3);
    assertThat(latest.getNote()).contains(cs.get(1).getLines().get(0));
    assertThat(h.aggregator.metric("recosigned-checkpoints-total")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aCheckpointFromBeforeARevocationIsRefusedOnceALaterOneWasCosigned() {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    String before = ledger.status().commitment().extensionLine();
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    h.status(ledger.lifecycle(certs.get(0), Operation.REVOKE, 1, "vendor-a"));
    h.checkpoint(ledger.checkpoint(T0 + 1000));
    h.relay();
    assertThat(checkpointCosignatures()).hasSize(2);

    // The sequencer re-issues the checkpoint from before the revocation, at the same size.
    h.clock.advance(Duration.ofSeconds(30));
    h.checkpoint(
        ledger.checkpoint(
            3, 3, ledger.tree().rootAt(3), T0 + 2000, TestLedger.TC.log().noteSigner(), before));
    h.relay();
    assertThat(checkpointCosignatures()).hasSize(2);
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-rollback")).isEqualTo(1);
  }

  /**
   * The owner's revocation of {@code target}, its event naming the entry {@code leaf} and the key
   * {@code spki}, signed by the log: a dishonest sequencer's event.
   */
  private StatusEntry revocationNaming(LedgerEntry target, byte[] leaf, byte[] spki)
      throws Exception {
    StatusEntry honest = ledger.lifecycle(target, Operation.REVOKE, 1, "vendor-a");
    StatusEvent e = StatusEvent.decode(Evidence.bytes(honest.getEvent()));
    StatusEvent lie =
        new StatusEvent(
            e.sequence(),
            leaf,
            spki,
            e.certificateSha256(),
            e.state(),
            e.operation(),
            e.reasonCode(),
            e.effectiveAtMillis(),
            null);
    return TestLedger.logSigned(
        StatusEntry.newBuilder(honest).setEvent(Evidence.buffer(lie.encode())).build());
  }

  @Test
  void anEventThatNamesTheEntryOfAnotherCertificateTaintsTheStatusLog() throws Exception {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    EntryId other = EntryId.of(Evidence.bytes(certs.get(1).getEntry()));
    // About the first certificate, but naming the second's entry and key, both in the mirror and
    // both vendor-a's: the revocation would land on the second certificate's entry key.
    h.status(revocationNaming(certs.get(0), other.leafHash(), other.spkiHash()));
    assertThat(b.metric("tainted-status-events-total", "reason", "entry-mismatch"))
        .as("tainted for naming the entry of another certificate")
        .isEqualTo(1);
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures()).isEmpty();
  }

  @Test
  void anEventThatNamesAnotherEntryTaintsTheStatusLog() throws Exception {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    EntryId own = EntryId.of(Evidence.bytes(certs.get(0).getEntry()));
    // The same event about the same certificate, but naming another entry: a GOOD proof at the
    // real entry key would then survive the revocation.
    h.status(revocationNaming(certs.get(0), Sha256.hash(own.leafHash()), own.spkiHash()));
    assertThat(b.metric("tainted-status-events-total", "reason", "entry-mismatch"))
        .as("tainted for naming another entry than the mirror's")
        .isEqualTo(1);
    h.checkpoint(
        ledger.checkpoint(
            3,
            0,
            ledger.tree().rootAt(3),
            T0,
            TestLedger.TC.log().noteSigner(),
            new StatusCommitment(1, new byte[32], new byte[32]).extensionLine()));
    h.relay();
    assertThat(checkpointCosignatures()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "status-tainted")).isEqualTo(1);
  }
}
