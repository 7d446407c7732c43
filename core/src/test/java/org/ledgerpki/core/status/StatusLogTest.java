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
    StatusEvent e =
        new StatusEvent(
            0,
            cert,
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_KEY_COMPROMISE,
            1_767_225_600_000L,
            null);
    assertThat(org.ledgerpki.core.Hex.encode(e.encode()))
        .isEqualTo(
            "6c65646765722d706b69207374617475732076310a0000000000000000"
                + "06298432e8066b29e2223bcc23aa9504b56ae508fabf3435508869b9c3190e22"
                + "020001"
                + "0000019b76daa800"
                + "00");
    log.apply(e);
    assertThat(log.commitment().extensionLine())
        .isEqualTo(
            "ledger-pki-status 1 mnm3F3HheAPlGQBidWSTaGRjFR5m865o6ZQXJHfVgYI="
                + " GcyaZCDx/rba9afyr+iZL7goHuYz1fcvELIO9qRI4/Q=");
    log.prove(cert).verify(log.commitment().mapRoot(), cert, e.encode());
  }

  @Test
  void eventsRoundTripAndTheCommitmentLineParses() throws Exception {
    StatusEvent e =
        new StatusEvent(
            7,
            cert(1),
            CertificateState.REVOKED,
            Lifecycle.Operation.RENEW,
            4,
            1_700_000_000_123L,
            cert(2));
    assertThat(StatusEvent.decode(e.encode())).isEqualTo(e);
    StatusEvent plain =
        new StatusEvent(
            0, cert(3), CertificateState.SUSPENDED, Lifecycle.Operation.SUSPEND, null, 1, null);
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
            0, cert(1), CertificateState.SUSPENDED, Lifecycle.Operation.SUSPEND, 6, 1, null));
    assertThatThrownBy(
            () ->
                log.apply(
                    new StatusEvent(
                        2,
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
                        CertificateState.SUSPENDED,
                        Lifecycle.Operation.REVOKE,
                        1,
                        2,
                        null)))
        .hasMessageContaining("cannot give SUSPENDED");
    log.apply(
        new StatusEvent(
            1, cert(1), CertificateState.REVOKED, Lifecycle.Operation.REVOKE, 1, 2, null));
    assertThat(log.state(cert(1))).isEqualTo(CertificateState.REVOKED);
    assertThat(log.state(cert(9))).isEqualTo(CertificateState.GOOD);
    assertThat(log.count()).isEqualTo(2);
  }
}
