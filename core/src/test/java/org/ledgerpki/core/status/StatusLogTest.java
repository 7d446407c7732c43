package org.ledgerpki.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;

class StatusLogTest {
  static byte[] cert(int i) {
    return Sha256.hash(new byte[] {(byte) i});
  }

  @Test
  void theStateMachineAllowsExactlyTheDocumentedTransitions() {
    assertThat(Lifecycle.apply(CertificateState.GOOD, Lifecycle.Operation.SUSPEND).state())
        .contains(CertificateState.SUSPENDED);
    assertThat(Lifecycle.apply(CertificateState.SUSPENDED, Lifecycle.Operation.RESUME).state())
        .contains(CertificateState.GOOD);
    assertThat(Lifecycle.apply(CertificateState.SUSPENDED, Lifecycle.Operation.REVOKE).state())
        .contains(CertificateState.REVOKED);
    assertThat(Lifecycle.apply(CertificateState.GOOD, Lifecycle.Operation.RENEW).state())
        .contains(CertificateState.REVOKED);
    assertThat(Lifecycle.apply(CertificateState.GOOD, Lifecycle.Operation.RESUME).refusal())
        .contains("not suspended");
    assertThat(Lifecycle.apply(CertificateState.SUSPENDED, Lifecycle.Operation.SUSPEND).allowed())
        .isFalse();
    for (Lifecycle.Operation op : Lifecycle.Operation.values()) {
      assertThat(Lifecycle.apply(CertificateState.REVOKED, op).refusal()).contains("final");
    }
  }

  /** The known answers of docs/status.md, for a second implementation. */
  @Test
  void knownAnswersOfTheDocumentation() throws Exception {
    StatusLog log = new StatusLog();
    assertThat(log.commitment().extensionLine())
        .isEqualTo(
            "ledger-pki-status 0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
                + " YVUokTCJOHI1XqyYBC0irvosLnCL6haUAnYOO1X5otw=");
    byte[] cert = Sha256.hash("cert".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] entry = Sha256.hash("entry".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] spki = Sha256.hash("spki".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    StatusEvent e =
        new StatusEvent(
            0,
            entry,
            spki,
            cert,
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_KEY_COMPROMISE,
            1_767_225_600_000L,
            null);
    assertThat(org.ledgerpki.core.Hex.encode(e.encode()))
        .isEqualTo(
            "6c65646765722d706b69207374617475732076320a0000000000000000"
                + "923fe53966c6cd9343e11af776cd4b05be315ea4b200b02e4d5dfb0f929b73bf"
                + "6feecc8c16c5551d9feb3eb5f77e2da773bf68bd9ef9c52927ceb2c86e56892b"
                + "06298432e8066b29e2223bcc23aa9504b56ae508fabf3435508869b9c3190e22"
                + "020001"
                + "0000019b76daa800"
                + "00");
    assertThat(org.ledgerpki.core.Hex.encode(StatusLog.compromisedKeyKey(spki)))
        .isEqualTo("c584948c46ee3215c42fd66c1744bac4e2e6211b06e4b337e74024fc4c6b00e6");
    log.apply(e);
    // A keyCompromise revocation is recorded at the entry key and at the compromised-key key.
    assertThat(log.commitment().extensionLine())
        .isEqualTo(
            "ledger-pki-status 1 YTXIMEb1kG6O3JM4uD81i6oPksopg/sMU5ubINR7efQ="
                + " jegwL3UouEZAuslce+L6EmDVfyWgFdkLJVqnBVeaonM=");
    log.proveEntry(entry).verify(log.commitment().mapRoot(), entry, e.encode());
    log.proveKey(spki)
        .verify(log.commitment().mapRoot(), StatusLog.compromisedKeyKey(spki), e.encode());
    assertThat(log.effectiveState(cert(7), spki)).isEqualTo(CertificateState.REVOKED);

    // The same event for reason superseded(4) is recorded at the entry key only.
    StatusLog superseded = new StatusLog();
    superseded.apply(
        new StatusEvent(
            0,
            entry,
            spki,
            cert,
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_SUPERSEDED,
            1_767_225_600_000L,
            null));
    assertThat(superseded.commitment().extensionLine())
        .isEqualTo(
            "ledger-pki-status 1 WBba/cO+11/V4urzjHByIStBMmUdhwTxQXDcIbYK0uw="
                + " SsQOW/VTVmOYt7iqhU7ZHy94ZwF1R39M36/9OyTO3Kk=");
    assertThat(superseded.effectiveState(cert(7), spki)).isEqualTo(CertificateState.GOOD);
  }

  @Test
  void eventsRoundTripAndTheCommitmentLineParses() throws Exception {
    StatusEvent e =
        new StatusEvent(
            7,
            cert(1),
            cert(101),
            cert(1),
            CertificateState.REVOKED,
            Lifecycle.Operation.RENEW,
            4,
            1_700_000_000_123L,
            cert(2));
    assertThat(StatusEvent.decode(e.encode())).isEqualTo(e);
    StatusEvent plain =
        new StatusEvent(
            0,
            cert(3),
            cert(103),
            cert(3),
            CertificateState.SUSPENDED,
            Lifecycle.Operation.SUSPEND,
            null,
            1,
            null);
    assertThat(StatusEvent.decode(plain.encode())).isEqualTo(plain);
    byte[] bad = e.encode();
    bad[bad.length - 33] = 7;
    assertThatThrownBy(() -> StatusEvent.decode(bad))
        .isInstanceOf(org.ledgerpki.core.MalformedInputException.class);

    StatusLog log = new StatusLog();
    log.apply(plain);
    StatusCommitment c = log.commitment();
    assertThat(StatusCommitment.find(List.of("something else", c.extensionLine()))).contains(c);
    assertThat(StatusCommitment.find(List.of())).isEmpty();
    assertThatThrownBy(() -> StatusCommitment.find(List.of("ledger-pki-status 01 AA BB")))
        .isInstanceOf(org.ledgerpki.core.MalformedInputException.class);
  }

  @Test
  void theLogRefusesGapsAndImpossibleTransitions() {
    StatusLog log = new StatusLog();
    log.apply(
        new StatusEvent(
            0,
            cert(1),
            cert(101),
            cert(1),
            CertificateState.SUSPENDED,
            Lifecycle.Operation.SUSPEND,
            6,
            1,
            null));
    assertThatThrownBy(
            () ->
                log.apply(
                    new StatusEvent(
                        2,
                        cert(1),
                        cert(101),
                        cert(1),
                        CertificateState.GOOD,
                        Lifecycle.Operation.RESUME,
                        null,
                        2,
                        null)))
        .hasMessageContaining("not the next one");
    assertThatThrownBy(
            () ->
                log.apply(
                    new StatusEvent(
                        1,
                        cert(2),
                        cert(102),
                        cert(2),
                        CertificateState.GOOD,
                        Lifecycle.Operation.RESUME,
                        null,
                        2,
                        null)))
        .hasMessageContaining("not suspended");
    assertThatThrownBy(
            () ->
                log.apply(
                    new StatusEvent(
                        1,
                        cert(1),
                        cert(101),
                        cert(1),
                        CertificateState.SUSPENDED,
                        Lifecycle.Operation.REVOKE,
                        1,
                        2,
                        null)))
        .hasMessageContaining("cannot give SUSPENDED");
    log.apply(
        new StatusEvent(
            1,
            cert(1),
            cert(101),
            cert(1),
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            1,
            2,
            null));
    assertThat(log.state(cert(1))).isEqualTo(CertificateState.REVOKED);
    assertThat(log.state(cert(9))).isEqualTo(CertificateState.GOOD);
    assertThat(log.count()).isEqualTo(2);
  }

  @Test
  void logRootWithIsTheRootAfterApplyingAndAppliesNothing() {
    StatusLog log = new StatusLog();
    List<StatusEvent> next = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      next.add(
          new StatusEvent(
              i,
              cert(100 + i),
              cert(200 + i),
              cert(i),
              CertificateState.SUSPENDED,
              Lifecycle.Operation.SUSPEND,
              6,
              1_767_225_600_000L,
              null));
    }
    byte[] before = log.commitment().logRoot();
    assertThat(log.logRootWith(List.of())).isEqualTo(before);
    byte[] predicted = log.logRootWith(next.subList(0, 3));
    assertThat(log.count()).isZero();
    assertThat(log.commitment().logRoot()).isEqualTo(before);
    for (StatusEvent e : next.subList(0, 3)) {
      log.apply(e);
    }
    assertThat(log.commitment().logRoot()).isEqualTo(predicted);
    assertThat(log.logRootWith(next.subList(3, 5))).isNotEqualTo(predicted);
    assertThat(log.logRootWith(List.of(next.get(4), next.get(3))))
        .as("the order counts")
        .isNotEqualTo(log.logRootWith(next.subList(3, 5)));
  }
}
