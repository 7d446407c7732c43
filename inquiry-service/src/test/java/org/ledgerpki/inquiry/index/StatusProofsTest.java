package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * Status proofs kept per entry are what a fresh walk of the status map gives, before and after the
 * map changes: a kept proof never outlives the map it was computed on.
 */
class StatusProofsTest {
  private static byte[] h(String s) {
    return Sha256.hash(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static final EntryId A = new EntryId(h("entry a"), h("spki a"));
  private static final EntryId B = new EntryId(h("entry b"), h("spki b"));

  private static StatusEvent event(
      long seq, EntryId id, CertificateState state, Lifecycle.Operation op, Integer reason) {
    return new StatusEvent(
        seq, id.leafHash(), id.spkiHash(), h("cert " + seq), state, op, reason, 1_000L, null);
  }

  private static void assertFresh(StatusProofs.Proven p, StatusLog status, EntryId id) {
    assertThat(p.proof()).isEqualTo(StatusAnswer.StatusProof.from(status, id));
    assertThat(p.state()).isEqualTo(StatusAnswer.statusOf(status, id));
    StatusEvent compromise = status.compromise(id.spkiHash());
    assertThat(p.event()).isEqualTo(compromise != null ? compromise : status.latest(id.leafHash()));
    assertThat(p.raw().count()).isEqualTo(status.count());
  }

  @Test
  void aKeptProofIsReplacedOnceAnEventChangesTheMap() {
    StatusLog status = new StatusLog();
    StatusProofs proofs = new StatusProofs();
    StatusProofs.Proven good = proofs.of(status, A, 1);
    assertThat(good.state()).isEqualTo("GOOD");
    assertThat(good.event()).isNull();
    assertThat(proofs.of(status, A, 1)).isSameAs(good);

    status.apply(event(0, A, CertificateState.SUSPENDED, Lifecycle.Operation.SUSPEND, null));
    StatusProofs.Proven suspended = proofs.of(status, A, 1);
    assertThat(suspended.state()).isEqualTo("SUSPENDED");
    assertThat(suspended.proof().count()).isEqualTo(1);
    assertFresh(suspended, status, A);

    // Another entry's event changes A's proof too (the map's root and A's siblings move).
    StatusProofs.Proven bBefore = proofs.of(status, B, 2);
    status.apply(
        event(
            1,
            B,
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_KEY_COMPROMISE));
    StatusProofs.Proven aAfter = proofs.of(status, A, 1);
    assertThat(aAfter.proof()).isNotEqualTo(suspended.proof());
    assertFresh(aAfter, status, A);
    StatusProofs.Proven bAfter = proofs.of(status, B, 2);
    assertThat(bAfter.state()).isEqualTo("REVOKED");
    assertThat(bAfter.proof()).isNotEqualTo(bBefore.proof());
    assertThat(bAfter.event()).isNotNull();
    assertFresh(bAfter, status, B);
  }

  @Test
  void pastItsCapacityTheCacheStartsAgainAndStillAnswersRight() {
    StatusLog status = new StatusLog();
    status.apply(
        event(
            0,
            A,
            CertificateState.REVOKED,
            Lifecycle.Operation.REVOKE,
            Lifecycle.REASON_KEY_COMPROMISE));
    StatusProofs proofs = new StatusProofs();
    StatusProofs.Proven first = proofs.of(status, A, 0);
    for (int i = 1; i < StatusProofs.CAPACITY - 1; i++) {
      proofs.of(status, B, i);
    }
    assertThat(proofs.of(status, A, 0)).isSameAs(first);
    proofs.of(status, B, StatusProofs.CAPACITY); // full: starts again
    StatusProofs.Proven again = proofs.of(status, A, 0);
    assertThat(again).isNotSameAs(first);
    assertFresh(again, status, A);
  }
}
