package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;

/**
 * What a node holds of the status events it has not applied: in sequence order without gaps, so
 * that whoever can write to {@code ledger.status} cannot make it hold events without bound.
 */
class PendingStatusEventsTest {
  private static byte[] h(String s) {
    return Sha256.hash(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static StatusEvent event(long seq, String entry) {
    return new StatusEvent(
        seq,
        h("entry " + entry),
        h("spki " + entry),
        h("cert " + entry),
        CertificateState.SUSPENDED,
        Lifecycle.Operation.SUSPEND,
        null,
        1_000L,
        null);
  }

  @Test
  void eventsAfterAGapAreDroppedAndTheNextOnesAreHeldInOrder() {
    PendingStatusEvents pending = new PendingStatusEvents();
    long applied = 5;
    // Forged far ahead: none is held, however many come.
    for (long i = 0; i < 10_000; i++) {
      long seq = 1_000_000_000_000L + i;
      assertThat(pending.offer(event(seq, "forged " + i), applied))
          .isEqualTo(PendingStatusEvents.Offer.AHEAD);
      assertThat(pending.candidates(seq)).isZero();
    }
    assertThat(pending.known(applied)).isEqualTo(applied);

    assertThat(pending.offer(event(7, "b"), applied)).isEqualTo(PendingStatusEvents.Offer.AHEAD);
    assertThat(pending.offer(event(5, "a"), applied)).isEqualTo(PendingStatusEvents.Offer.FIRST);
    assertThat(pending.offer(event(6, "b"), applied)).isEqualTo(PendingStatusEvents.Offer.FIRST);
    assertThat(pending.offer(event(7, "c"), applied)).isEqualTo(PendingStatusEvents.Offer.FIRST);
    assertThat(pending.known(applied)).isEqualTo(8);
    // A conflicting event at a held number is still kept beside it, and one already applied is
    // the same as before.
    assertThat(pending.offer(event(6, "x"), applied)).isEqualTo(PendingStatusEvents.Offer.CONFLICT);
    assertThat(pending.offer(event(4, "y"), applied)).isEqualTo(PendingStatusEvents.Offer.SAME);
    assertThat(pending.offer(event(9, "d"), applied)).isEqualTo(PendingStatusEvents.Offer.AHEAD);
  }
}
