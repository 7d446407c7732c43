package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.lifecycle.Decisions;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Verdicts on a submission that never arrives are not kept for ever: a validator that signs
 * verdicts on ids no submission has cannot make the quorum's store grow without end. They go one to
 * two {@code unclaimed-verdicts-ttl} (default one hour) after they came; verdicts whose submission
 * arrived in time, and submissions still waiting for verdicts, stay.
 */
class UnclaimedVerdictsTest {
  private static final Duration TTL = IssuanceOptions.defaults().unclaimedVerdictsTtl();

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static Submissions.Keyed issue(String cn) {
    return Signed.issue(
        "vendor-a",
        TestPki.vendor(SignatureAlgorithm.ED25519, TestConsortium.organization("vendor-a"), cn)
            .der());
  }

  /** The ids the quorum keeps something of, in the store's order. */
  private List<String> kept() {
    KeyValueStore<String, Object> store =
        h.driver.getKeyValueStore(IssuanceTopology.VERDICTS_STORE);
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<String, Object> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, Object> kv = all.next();
        out.add(kv.key);
      }
    }
    return out;
  }

  private static String id(Submissions.Keyed s) {
    return Decisions.id(s.key(), s.submission().getSubmitter(), s.submission().getSubmissionId());
  }

  @Test
  void verdictsOnIdsNoSubmissionHasGoAfterOneToTwoTtlAndNothingElseDoes() {
    h = new Harness();
    // operator-b signs verdicts on three submissions that are never written (it made them up).
    List<Submissions.Keyed> madeUp = List.of(issue("ghost-1"), issue("ghost-2"), issue("ghost-3"));
    for (Submissions.Keyed g : madeUp) {
      h.endorse(Signed.endorse("operator-b", g, Verdict.ENDORSE));
    }
    h.endorse(Signed.endorse("operator-c", madeUp.get(0), Verdict.ENDORSE));
    // A real submission that waits for its second verdict, longer than any TTL.
    Submissions.Keyed waiting = issue("amf-1");
    h.submit(waiting);
    h.endorse(Signed.endorse("operator-c", waiting, Verdict.ENDORSE));
    assertThat(kept()).hasSize(4);

    h.advance(TTL); // the first sweep sees them; it drops nothing
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_UNCLAIMED)).isZero();
    assertThat(kept()).hasSize(4);

    h.advance(TTL); // the second finds the same three still without a submission
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_UNCLAIMED))
        .as("the four verdicts on the three made-up submissions")
        .isEqualTo(4);
    assertThat(kept()).containsExactly(id(waiting));

    h.advance(TTL);
    h.advance(TTL);
    assertThat(kept())
        .as("a submission that arrived is never dropped")
        .containsExactly(id(waiting));
    h.endorse(Signed.endorse("vendor-a", waiting, Verdict.ENDORSE));
    assertThat(h.decisions())
        .singleElement()
        .extracting(Decision::getOutcome)
        .isEqualTo(Outcome.ACCEPTED);
    assertThat(kept()).isEmpty();
  }

  @Test
  void verdictsWhoseSubmissionArrivesBetweenTheSweepsStayAndDecideIt() {
    h = new Harness();
    Submissions.Keyed late = issue("smf-1");
    h.endorse(Signed.endorse("operator-b", late, Verdict.ENDORSE));
    h.advance(TTL); // seen without its submission once
    h.submit(late);
    h.advance(TTL); // now it has its submission: kept
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_UNCLAIMED)).isZero();
    Endorsement c = Signed.endorse("operator-c", late, Verdict.ENDORSE);
    h.endorse(c);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
              assertThat(d.getEvidence())
                  .extracting(Endorsement::getValidator)
                  .containsExactly("operator-b", "operator-c");
            });
  }

  @Test
  void aVerdictOnAnIdWhoseEarlierVerdictsWereDroppedStartsAgain() {
    h = new Harness();
    Submissions.Keyed s = issue("nrf-1");
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.advance(TTL);
    h.advance(TTL);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_UNCLAIMED)).isEqualTo(1);
    // The submission comes after all, very late: it waits for verdicts like a new one.
    h.submit(s);
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).as("one verdict kept, the dropped one not counted").isTrue();
    h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
  }
}
