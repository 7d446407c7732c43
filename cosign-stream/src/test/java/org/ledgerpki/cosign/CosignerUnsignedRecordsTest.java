package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * A writer without the log's key (a mirrored cluster, an ACL mistake) writing straight to {@code
 * ledger.entries} and {@code ledger.status} (docs/adr/0012-log-signed-ledger-records.md): its
 * record at the next position carries no log signature, another key's, or the log's over other
 * fields. The cosigner dead-letters it with the reason and counts it, and it is not the log's
 * record, so it taints nothing: the log's own record for that position is mirrored and the
 * checkpoint cosigned. Without the check each of these records would taint the log, or change the
 * status log, and the checkpoint would be refused.
 */
class CosignerUnsignedRecordsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final PrivateKey OTHER_KEY =
      Keys.generate(SignatureAlgorithm.ED25519).getPrivate();

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

  /** How the forger gets a record past the log: the reason the cosigner must give, and how. */
  static Stream<Arguments> forgeries() {
    return Stream.of(
        Arguments.of("unsigned", "it carries no log signature", (Forgery) r -> r.unsigned()),
        Arguments.of(
            "signed with another Ed25519 key",
            "does not verify with the key of log",
            (Forgery) r -> r.signedWith(OTHER_KEY)),
        Arguments.of(
            "altered after the log signed it",
            "does not verify with the key of log",
            (Forgery) r -> r.altered()),
        Arguments.of(
            "its evidence changed after the log signed it",
            "does not verify with the key of log",
            (Forgery) r -> r.withoutEvidence()));
  }

  /** Turns a record the log signed into a forgery. */
  @FunctionalInterface
  interface Forgery {
    void apply(Forged r);
  }

  /** A record the log signed, about to be forged in place. */
  private record Forged(LedgerEntry entry, StatusEntry status) {
    void unsigned() {
      if (entry != null) {
        entry.setLogSignature(null);
      } else {
        status.setLogSignature(null);
      }
    }

    void signedWith(PrivateKey key) {
      if (entry != null) {
        LogRecords.sign(entry, key);
      } else {
        LogRecords.sign(status, key);
      }
    }

    /**
     * The log's record republished with other evidence (here none), which a cosigner would
     * otherwise judge as the log's and taint it for: the signature covers the evidence digest.
     */
    void withoutEvidence() {
      if (entry != null) {
        entry.setEvidence(List.of());
      } else {
        status.setEvidence(List.of());
      }
    }

    /** A field the signature covers, changed: the owner named. */
    void altered() {
      if (entry != null) {
        entry.setSubmitter("operator-c");
      } else {
        status.setOwner("operator-c");
      }
    }
  }

  /** The sizes of the checkpoints operator-b cosigned, relayed to the aggregator. */
  private List<Long> checkpointSizesCosignedByB() {
    h.relay();
    return b.published.stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .map(c -> c.getEnd())
        .toList();
  }

  private void assertDeadLettered(String topic, String what, String reason) {
    List<DeadLetter> dead = b.dlq.readValuesToList();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getSourceTopic()).isEqualTo(topic);
    assertThat(dead.get(0).getService()).isEqualTo("cosigner/operator-b");
    assertThat(dead.get(0).getReason())
        .startsWith(what + " of " + ledger.origin() + " is not the log's: ")
        .contains(reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void aForgedEntryAtTheNextIndexIsDeadLetteredAndTaintsNothing(
      String name, String reason, Forgery forge) {
    ledger.add(2);
    h.entries(ledger.entries());
    long next = ledger.size();
    byte[] cert = ledger.newCertificate();
    // The forger's entry at the next index: the same certificate, with one endorsement only, so
    // that the cosigner would taint the log from there (and the real entry after it, another leaf
    // or the same one, could not mend that).
    LedgerEntry forged =
        ledger.entry(
            next, TestLedger.mtcEntry(cert), cert, TestLedger.endorsements(cert, "vendor-a"));
    forge.apply(new Forged(forged, null));
    h.entry(forged);

    assertDeadLettered(h.topics.entries().name(), "entry " + next, reason);
    assertThat(b.metric("unauthenticated-records-total", "kind", "entry")).isEqualTo(1);
    assertThat(b.metric("dead-letters-total")).isEqualTo(1);
    assertThat(b.metric("tainted-entries-total")).isZero();

    // The log's entry at that index, then one more: mirrored, and the checkpoint cosigned.
    h.entry(ledger.add(cert, TestLedger.endorsements(cert, "vendor-a", "operator-b")));
    h.entry(ledger.add());
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointSizesCosignedByB()).containsExactly(ledger.size());
    assertThat(b.metric("tainted-entries-total")).isZero();
    assertThat(b.metric("refused-checkpoints-total")).isZero();
    assertThat(h.cosigned).extracting(c -> c.getSize()).containsExactly(ledger.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void aForgedRevocationIsDeadLetteredAndNotApplied(String name, String reason, Forgery forge) {
    List<LedgerEntry> certs = ledger.add(2);
    h.entries(ledger.entries());
    // A REVOKE of a good certificate at the next sequence number, with the owner's signed request
    // and its endorsements (all of which a reader of the topics can collect), made on a copy of
    // the status log so that the honest ledger's stays as it was.
    TestLedger shadow = new TestLedger();
    StatusEntry forged = shadow.lifecycle(certs.get(0), Operation.REVOKE, 1, "vendor-a");
    forge.apply(new Forged(null, forged));
    h.status(forged);

    assertDeadLettered(h.topics.status().name(), "status event 0", reason);
    assertThat(b.metric("unauthenticated-records-total", "kind", "status-event")).isEqualTo(1);
    assertThat(b.metric("tainted-status-events-total")).isZero();

    // The log's event at that sequence number (a suspension of the other certificate): applied,
    // and the checkpoint, whose status line commits to that one event, cosigned.
    h.status(ledger.lifecycle(certs.get(1), Operation.SUSPEND, null, "vendor-a"));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointSizesCosignedByB()).containsExactly(ledger.size());
    assertThat(b.metric("tainted-status-events-total")).isZero();
    assertThat(b.metric("refused-checkpoints-total")).isZero();
    assertThat(h.cosigned).extracting(c -> c.getSize()).containsExactly(ledger.size());
  }
}
