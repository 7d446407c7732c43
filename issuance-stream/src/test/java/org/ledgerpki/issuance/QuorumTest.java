package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Verdict;

class QuorumTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static byte[] cert(String cn) {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, cn).der();
  }

  private static List<String> validators(Decision d) {
    return d.getEvidence().stream().map(Endorsement::getValidator).toList();
  }

  @Test
  void twoValidEndorsementsAdmitTheCertificate() {
    h = new Harness();
    byte[] der = cert("amf-1");
    Submissions.Keyed s = Signed.issue("vendor-a", der);
    h.submit(s);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).as("one endorsement is not a quorum").isTrue();
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));

    List<Decision> out = h.decisions();
    assertThat(out).hasSize(1);
    Decision d = out.get(0);
    assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(d.getSubmissionId()).isEqualTo(s.submission().getSubmissionId());
    assertThat(d.getSubmitter()).isEqualTo("vendor-a");
    assertThat(d.getOperation()).isEqualTo(Operation.ISSUE);
    assertThat(Hex.encode(Evidence.bytes(d.getCertificateSha256()))).isEqualTo(s.key());
    assertThat(validators(d)).containsExactly("operator-b", "operator-c");
    assertThat(d.getReasons()).isEmpty();

    List<LedgerEntry> seq = h.sequence.readValuesToList();
    assertThat(seq).hasSize(1);
    LedgerEntry e = seq.get(0);
    assertThat(e.getIndex()).isEqualTo(-1);
    assertThat(e.getLogNumber()).isEqualTo(1);
    assertThat(e.getOrigin()).isEqualTo(h.policy.log().origin());
    assertThat(Evidence.bytes(e.getCertificate())).isEqualTo(der);
    assertThat(e.getSubmitter()).isEqualTo("vendor-a");
    assertThat(e.getEvidence())
        .extracting(Endorsement::getValidator)
        .containsExactly("operator-b", "operator-c");
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_COUNTED)).isEqualTo(2);
    assertThat(h.counter(QuorumProcessor.DECISIONS_ACCEPTED)).isEqualTo(1);
  }

  @Test
  void duplicatesOutsidersForgeriesAndNonValidatorsDoNotMoveTheQuorum() {
    h =
        new Harness(
            TestPolicies.check(TestPolicies.withoutValidator(TestPolicies.base(), "vendor-a")));
    // n = 2 validators (operator-b, operator-c), k = 2.
    Submissions.Keyed s = Signed.issue("vendor-a", cert("smf-7"));
    h.submit(s);
    Endorsement b = Signed.endorse("operator-b", s, Verdict.ENDORSE);
    h.endorse(b);
    // The same organisation again: the same record replayed, and a fresh second verdict.
    h.endorse(b);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    // A verdict by an outsider, signed with its own (unknown) key.
    h.endorse(Signed.endorse("mallory", s, Verdict.ENDORSE));
    // operator-c's name, but signed with operator-b's key: not a key of operator-c.
    KeyPair bKey = Signed.keys("operator-b").endorsement();
    h.endorse(
        Signed.sign(
            new BatchSigner("operator-c", bKey.getPrivate(), bKey.getPublic()),
            Signed.verdict("operator-c", s, Verdict.ENDORSE)));
    // operator-c's name and key ID, but a signature over other bytes (a flipped bit).
    h.endorse(Signed.flipSignatureBit(Signed.endorse("operator-c", s, Verdict.ENDORSE)));
    // A validly signed statement whose record was tampered with afterwards (verdict changed).
    Endorsement reject = Signed.endorse("operator-c", s, Verdict.REJECT);
    reject.setVerdict(Verdict.ENDORSE);
    reject.setReasons(List.of());
    h.endorse(reject);
    // vendor-a is a member and signs with its real endorsement key, but is no validator here.
    h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));

    assertThat(h.decisions.isEmpty()).isTrue();
    assertThat(h.sequence.isEmpty()).isTrue();
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_COUNTED)).isEqualTo(1);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_DUPLICATE)).isEqualTo(2);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_NOT_MEMBER)).isEqualTo(1);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_BAD_SIGNATURE)).isEqualTo(3);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_NOT_VALIDATOR)).isEqualTo(1);

    // The genuine second organisation completes the quorum, exactly once.
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    List<Decision> out = h.decisions();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(validators(out.get(0))).containsExactly("operator-b", "operator-c");
    // Later verdicts change nothing.
    h.endorse(Signed.endorse("operator-c", s, Verdict.REJECT));
    assertThat(h.decisions.isEmpty()).isTrue();
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_LATE)).isEqualTo(1);
    assertThat(h.sequence.readValuesToList()).hasSize(1);
  }

  @Test
  void twoRejectionsRejectWithTheirReasons() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("upf-2"));
    h.submit(s);
    h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-b", s, Verdict.REJECT));
    assertThat(h.decisions.isEmpty()).as("n - k = 1 rejection leaves acceptance possible").isTrue();
    Endorsement.Builder c = Signed.verdict("operator-c", s, Verdict.REJECT);
    c.setReasons(
        List.of(
            new Reason(ReasonCode.ORGANIZATION_MISMATCH, "rejected by operator-b"),
            new Reason(ReasonCode.FORBIDDEN_KEY_USAGE, "digitalSignature without identity")));
    h.endorse(Signed.sign(Signed.validator("operator-c"), c));

    List<Decision> out = h.decisions();
    assertThat(out).hasSize(1);
    Decision d = out.get(0);
    assertThat(d.getOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(validators(d)).containsExactly("operator-b", "operator-c");
    assertThat(d.getReasons())
        .extracting(Reason::getCode)
        .containsExactly(ReasonCode.ORGANIZATION_MISMATCH, ReasonCode.FORBIDDEN_KEY_USAGE);
    assertThat(h.sequence.isEmpty()).isTrue();
    assertThat(h.counter(QuorumProcessor.DECISIONS_REJECTED)).isEqualTo(1);
  }

  @Test
  void endorsementsBeforeTheSubmissionWaitForIt() {
    h = new Harness();
    byte[] der = cert("nrf-3");
    Submissions.Keyed s = Signed.issue("vendor-a", der);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).as("no certificate to admit yet").isTrue();
    h.submit(s);
    List<Decision> out = h.decisions();
    assertThat(out).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
    assertThat(h.sequence.readValuesToList())
        .singleElement()
        .satisfies(e -> assertThat(Evidence.bytes(e.getCertificate())).isEqualTo(der));
  }

  @Test
  void rejectionsBeforeTheSubmissionDecideAtOnce() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("nssf-1"));
    h.endorse(Signed.endorse("operator-b", s, Verdict.REJECT));
    h.endorse(Signed.endorse("operator-c", s, Verdict.REJECT));
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsExactly(Outcome.REJECTED);
    h.submit(s);
    h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).isTrue();
  }

  @Test
  void aCertificateIsAdmittedOnceAndThenItIsADuplicate() {
    h = new Harness();
    byte[] der = cert("ausf-4");
    h.admit(der);
    // The same certificate submitted again, by another member, with a new submission id.
    Submissions.Keyed again = Signed.issue("operator-c", der);
    h.submit(again);
    h.endorse(Signed.endorse("operator-b", again, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", again, Verdict.ENDORSE));

    List<Decision> out = h.decisions();
    assertThat(out)
        .extracting(Decision::getOutcome)
        .containsExactly(Outcome.ACCEPTED, Outcome.REJECTED);
    Decision dup = out.get(1);
    assertThat(dup.getSubmissionId()).isEqualTo(again.submission().getSubmissionId());
    assertThat(dup.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DUPLICATE);
    assertThat(dup.getReasons().get(0).getDetail()).contains("already in the ledger");
    assertThat(h.sequence.readValuesToList()).hasSize(1);
    assertThat(h.counter(QuorumProcessor.DECISIONS_DUPLICATE)).isEqualTo(1);
  }

  @Test
  void submissionsWithBadSignaturesOrFromOutsidersAreNotKept() {
    h = new Harness();
    byte[] der = cert("pcf-5");
    // vendor-a's name, operator-c's submission key.
    KeyPair c = Signed.keys("operator-c").submission();
    Submissions.Keyed forged =
        Submissions.issue(
                new BatchSigner("vendor-a", c.getPrivate(), c.getPublic()),
                List.of(der),
                java.time.Instant.now())
            .get(0);
    h.submit(forged);
    h.submit(Signed.issue("mallory", cert("pcf-6")));
    assertThat(h.counter(QuorumProcessor.SUBMISSIONS_INVALID)).isEqualTo(2);
    // Even a quorum of endorsements cannot admit what was never validly submitted.
    h.endorse(Signed.endorse("operator-b", forged, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", forged, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).isTrue();
    assertThat(h.sequence.isEmpty()).isTrue();
  }

  @Test
  void verdictsThatDisagreeWithTheSubmissionDoNotCount() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("udm-8"));
    // Signed verdicts about the same submission id, but naming another submitter: they are about
    // another submission (ids are per submitter) and never count for this one.
    h.endorse(
        Signed.sign(
            Signed.validator("operator-b"),
            Signed.verdict("operator-b", s, Verdict.ENDORSE).setSubmitter("operator-c")));
    h.submit(s);
    h.endorse(
        Signed.sign(
            Signed.validator("operator-c"),
            Signed.verdict("operator-c", s, Verdict.ENDORSE).setSubmitter("operator-c")));
    assertThat(h.decisions.isEmpty()).isTrue();
    // Signed verdicts on this submission's id and submitter, but about another operation.
    h.endorse(
        Signed.sign(
            Signed.validator("operator-b"),
            Signed.verdict("operator-b", s, Verdict.ENDORSE)
                .setOperation(org.ledgerpki.schemas.avro.Operation.REVOKE)));
    h.endorse(
        Signed.sign(
            Signed.validator("operator-c"),
            Signed.verdict("operator-c", s, Verdict.ENDORSE)
                .setOperation(org.ledgerpki.schemas.avro.Operation.REVOKE)));
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_INCONSISTENT)).isEqualTo(2);
    assertThat(h.decisions.isEmpty()).isTrue();
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
  }

  /** operator-b's signed verdict on {@code s}'s id, about a REVOKE instead of its ISSUE. */
  private static Endorsement aboutARevoke(Submissions.Keyed s, Verdict v) {
    return Signed.sign(
        Signed.validator("operator-b"),
        Signed.verdict("operator-b", s, v).setOperation(Operation.REVOKE));
  }

  @Test
  void aHostileValidatorsVerdictSentAheadOfTheSubmissionIsDroppedWhenItArrives() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("amf-9"));
    // operator-b signs a verdict on the id of vendor-a's submission before it arrives, about
    // another operation: it is kept while the submission is unknown.
    h.endorse(aboutARevoke(s, Verdict.ENDORSE));
    assertThat(h.decisions.isEmpty()).isTrue();
    // The submission shows the verdict to disagree with it: dropped, not counted.
    h.submit(s);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_INCONSISTENT)).isEqualTo(1);
    // So operator-b's verdict on the submission itself is its organisation's first, and counts.
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_DUPLICATE)).isZero();
    assertThat(h.decisions.isEmpty()).as("one consistent verdict is not a quorum").isTrue();
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
              assertThat(d.getEvidence())
                  .extracting(Endorsement::getValidator)
                  .containsExactlyInAnyOrder("operator-b", "operator-c");
            });
  }

  @Test
  void aHostileValidatorsEarlyVerdictCannotMakeTheHonestOnesAheadOfTheSubmissionBeDropped() {
    h = new Harness();
    byte[] der = cert("smf-9");
    Submissions.Keyed s = Signed.issue("vendor-a", der);
    // operator-b reads vendor-a's submission off the topic and races a verdict on its id, about
    // another operation, to the quorum. The honest validators' verdicts also arrive before the
    // submission does (its partition lags).
    h.endorse(aboutARevoke(s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
    // The honest verdicts are kept beside the hostile one: none of them is judged against it.
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_INCONSISTENT)).isZero();
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_COUNTED)).isEqualTo(3);
    assertThat(h.decisions.isEmpty()).as("no certificate to admit yet").isTrue();
    // The validators do not send their verdicts again: the submission alone must decide it.
    h.submit(s);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_INCONSISTENT))
        .as("the hostile verdict, dropped when the submission arrives")
        .isEqualTo(1);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
              assertThat(validators(d)).containsExactly("operator-c", "vendor-a");
            });
    assertThat(h.sequence.readValuesToList())
        .singleElement()
        .satisfies(e -> assertThat(Evidence.bytes(e.getCertificate())).isEqualTo(der));
  }

  @Test
  void rejectionsAheadOfTheSubmissionDecideItEvenAfterAHostileVerdictOnAnotherOperation() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("smf-10"));
    h.endorse(aboutARevoke(s, Verdict.REJECT));
    h.endorse(Signed.endorse("operator-c", s, Verdict.REJECT));
    assertThat(h.decisions.isEmpty())
        .as("one rejection of the ISSUE, one of a REVOKE: neither is decided")
        .isTrue();
    h.endorse(Signed.endorse("vendor-a", s, Verdict.REJECT));
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getOutcome()).isEqualTo(Outcome.REJECTED);
              // The decision is about what the deciding verdicts name, not the hostile one.
              assertThat(d.getOperation()).isEqualTo(Operation.ISSUE);
              assertThat(validators(d)).containsExactly("operator-c", "vendor-a");
            });
  }

  @Test
  void aheadOfItsSubmissionAnOrganisationKeepsOneVerdictPerOperation() {
    h = new Harness();
    Submissions.Keyed s = Signed.issue("vendor-a", cert("smf-11"));
    h.endorse(aboutARevoke(s, Verdict.ENDORSE));
    h.endorse(aboutARevoke(s, Verdict.REJECT));
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-b", s, Verdict.REJECT));
    // Two kept (one per operation), two refused as the organisation's second on them: what one
    // member can make the quorum keep for a submission is bounded.
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_COUNTED)).isEqualTo(2);
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_DUPLICATE)).isEqualTo(2);
    h.submit(s);
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.decisions())
        .singleElement()
        .satisfies(d -> assertThat(validators(d)).containsExactly("operator-b", "operator-c"));
  }

  @Test
  void lifecycleRequestOnAnUnknownCertificateIsRejected() {
    h = new Harness();
    byte[] target = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "smsf-9").sha256();
    Submissions.Keyed revoke = Signed.lifecycle("vendor-a", Operation.REVOKE, target);
    h.submit(revoke);
    h.endorse(Signed.endorse("operator-b", revoke, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", revoke, Verdict.ENDORSE));
    List<Decision> out = h.decisions();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(out.get(0).getOperation()).isEqualTo(Operation.REVOKE);
    assertThat(out.get(0).getReasons())
        .extracting(Reason::getCode)
        .containsExactly(ReasonCode.UNKNOWN_CERTIFICATE);
    assertThat(h.sequence.isEmpty()).isTrue();
  }
}
