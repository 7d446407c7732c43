package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.integrate.IntegrateProcessor;
import org.ledgerpki.issuance.lifecycle.LifecycleQuorum;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * A hostile member against the sequencer: each attack on its own fresh issuance stream, asserting
 * the refusal's reason code and its counter.
 */
class AdversaryTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");
  private static final long HOUR = 3_600_000L;

  private final Harness h = new Harness();

  @AfterEach
  void stop() {
    h.close();
  }

  private static byte[] cert(KeyPair kp, String org, String cn, long serial) {
    return TestPki.issue(
            TestPki.builder(kp, org, cn)
                .validity(NOT_BEFORE, NOT_AFTER)
                .serial(BigInteger.valueOf(serial)),
            kp)
        .der();
  }

  /** Submits {@code der} as {@code submitter}, endorsed by operator-b and operator-c. */
  private Submissions.Keyed admitAs(String submitter, byte[] der) {
    Submissions.Keyed s = Signed.issue(submitter, der);
    endorsed(s);
    return s;
  }

  private void endorsed(Submissions.Keyed s) {
    h.submit(s);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
  }

  /** A submission signed by {@code submitter}: a certificate (ISSUE) or a target (lifecycle). */
  private static Submissions.Keyed signed(
      String submitter,
      String id,
      Operation op,
      byte[] certificate,
      byte[] target,
      Integer reason,
      long at) {
    Submission.Builder b =
        Submission.newBuilder()
            .setSubmissionId(id)
            .setOperation(op)
            .setSubmitter(submitter)
            .setCertificate(certificate == null ? null : Evidence.buffer(certificate))
            .setTargetCertificateSha256(target == null ? null : Evidence.buffer(target))
            .setReasonCode(reason)
            .setSubmittedAt(Instant.ofEpochMilli(at));
    return Submissions.sign(Signed.submitter(submitter), List.of(b)).get(0);
  }

  private static Submissions.Keyed request(
      String submitter, String id, Operation op, byte[] target, Integer reason, long at) {
    return signed(submitter, id, op, null, target, reason, at);
  }

  private Submissions.Keyed ask(String submitter, String id, Operation op, byte[] t, Integer r) {
    Submissions.Keyed s = request(submitter, id, op, t, r, System.currentTimeMillis());
    endorsed(s);
    return s;
  }

  private static Decision only(List<Decision> ds) {
    assertThat(ds).hasSize(1);
    return ds.get(0);
  }

  private static void assertRejected(Decision d, ReasonCode code, String detail) {
    assertThat(d.getOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(d.getReasons()).hasSize(1);
    assertThat(d.getReasons().get(0).getCode()).isEqualTo(code);
    assertThat(d.getReasons().get(0).getDetail()).contains(detail);
  }

  @Test
  void aReEncodedCertificateIsTheSameEntryAndIsRefused() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256);
    byte[] a = cert(kp, VENDOR_O, "amf-1", 1);
    byte[] again = cert(kp, VENDOR_O, "amf-1", 2); // another serial and signature: another DER
    assertThat(Sha256.hash(again)).isNotEqualTo(Sha256.hash(a));
    admitAs("vendor-a", a);
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(h.entries()).hasSize(2); // null_entry, then a
    admitAs("vendor-a", again);
    assertRejected(only(h.decisions()), ReasonCode.ENTRY_ALREADY_IN_LOG, "at index 1");
    assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_DUPLICATE)).isEqualTo(1);
    assertThat(h.entries()).as("no index for the duplicate").isEmpty();
  }

  @Test
  void aKeyRevokedForKeyCompromiseIsBlockedForItsOwner() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] a = cert(kp, VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    ask("vendor-a", "rev-1", Operation.REVOKE, Sha256.hash(a), 1);
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    admitAs("vendor-a", cert(kp, VENDOR_O, "amf-new-name", 3));
    assertRejected(only(h.decisions()), ReasonCode.KEY_COMPROMISED, "revoked for keyCompromise");
    assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_KEY_COMPROMISED)).isEqualTo(1);
  }

  @Test
  void aKeyRevokedForKeyCompromiseIsBlockedForAnotherMember() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] a = cert(kp, VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    ask("vendor-a", "rev-1", Operation.REVOKE, Sha256.hash(a), 1);
    h.decisions();
    admitAs("operator-b", cert(kp, TestConsortium.organization("operator-b"), "x", 4));
    assertRejected(only(h.decisions()), ReasonCode.KEY_COMPROMISED, "blocked for everyone");
    assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_KEY_COMPROMISED)).isEqualTo(1);
  }

  @Test
  void anotherMemberMayNotReuseTheKeyOfARevokedEntryButTheOwnerMay() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] a = cert(kp, VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    ask("vendor-a", "rev-1", Operation.REVOKE, Sha256.hash(a), 5); // cessationOfOperation
    h.decisions();
    admitAs("operator-b", cert(kp, TestConsortium.organization("operator-b"), "x", 4));
    assertRejected(
        only(h.decisions()), ReasonCode.KEY_REUSE_REFUSED, "'operator-b' is not the owner");
    assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_KEY_REUSE)).isEqualTo(1);
    admitAs("vendor-a", cert(kp, VENDOR_O, "amf-1-renewed", 5));
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void reusingAnotherMembersRequestIdDoesNotSuppressItsRevocation() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    byte[] target = Sha256.hash(a);
    // operator-b and operator-c suspend with ids of their choosing; operator-b picks the id that
    // the owner will use for its revocation.
    ask("operator-b", "victim-id", Operation.SUSPEND, target, null);
    ask("operator-c", "c-1", Operation.SUSPEND, target, null);
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsOnly(Outcome.ACCEPTED);
    ask("vendor-a", "victim-id", Operation.REVOKE, target, 1);
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    List<StatusEntry> status = h.status.readValuesToList();
    assertThat(status)
        .extracting(StatusEntry::getOperation)
        .containsExactly(Operation.SUSPEND, Operation.REVOKE);
    assertThat(h.counter(IntegrateProcessor.STATUS_REPLAYED)).isZero();
  }

  /** An ISSUE of {@code der} by {@code submitter} under submission id {@code id}, signed. */
  private static Submissions.Keyed issue(String submitter, String id, byte[] der) {
    return signed(submitter, id, Operation.ISSUE, der, null, null, System.currentTimeMillis());
  }

  @Test
  void anotherMemberUnderTheAcceptedSubmissionsIdIsNeitherItsReplayNorTheOwner() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    // The owner record of an accepted ISSUE is "<submitter>/<submissionId>"; this id has a '/'.
    endorsed(issue("vendor-a", "x/y", a));
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    // operator-b, under the same id on the same certificate: a submission of its own, decided.
    endorsed(issue("operator-b", "x/y", a));
    assertRejected(only(h.decisions()), ReasonCode.DUPLICATE, "already in the ledger");
    assertThat(h.counter(QuorumProcessor.SUBMISSIONS_REPLAYED)).isZero();
    assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_LATE)).isZero();
    // operator-b is not the owner: its revocation waits for another non-owner; vendor-a's is
    // granted at once.
    byte[] target = Sha256.hash(a);
    ask("operator-b", "b-1", Operation.REVOKE, target, 1);
    assertThat(h.decisions()).isEmpty();
    assertThat(h.counter(LifecycleQuorum.LIFECYCLE_WAITING)).isEqualTo(1);
    ask("vendor-a", "a/1", Operation.REVOKE, target, 1);
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(h.status.readValuesToList())
        .extracting(StatusEntry::getOperation)
        .containsExactly(Operation.REVOKE);
  }

  @Test
  void theOwnerAloneCannotLiftAConsortiumHold() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    byte[] target = Sha256.hash(a);
    ask("operator-b", "b-1", Operation.SUSPEND, target, null);
    ask("operator-c", "c-1", Operation.SUSPEND, target, null);
    h.decisions();
    ask("vendor-a", "a-1", Operation.RESUME, target, null);
    assertRejected(only(h.decisions()), ReasonCode.HOLD_PLACED_BY_OTHERS, "not the owner alone");
    assertThat(h.counter(QuorumProcessor.DECISIONS_REJECTED)).isEqualTo(1);
    // The consortium lifts its own hold.
    ask("operator-b", "b-2", Operation.RESUME, target, null);
    ask("operator-c", "c-2", Operation.RESUME, target, null);
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsOnly(Outcome.ACCEPTED);
    assertThat(h.status.readValuesToList())
        .extracting(StatusEntry::getOperation)
        .containsExactly(Operation.SUSPEND, Operation.RESUME);
  }

  @Test
  void otherMembersCannotLiftTheOwnersHold() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    byte[] target = Sha256.hash(a);
    ask("vendor-a", "a-1", Operation.SUSPEND, target, null);
    h.decisions();
    ask("operator-b", "b-1", Operation.RESUME, target, null);
    assertRejected(only(h.decisions()), ReasonCode.HOLD_PLACED_BY_OTHERS, "placed by the owner");
  }

  @Test
  void aNonOwnerRequestSignedOutsideTheWindowIsRejected() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.decisions();
    byte[] target = Sha256.hash(a);
    long now = System.currentTimeMillis();
    endorsed(request("operator-b", "b-1", Operation.REVOKE, target, 1, now - 3 * HOUR));
    assertRejected(
        only(h.decisions()), ReasonCode.REQUESTER_QUORUM_NOT_REACHED, "lifecycle.requestWindow");
    assertThat(h.counter(LifecycleQuorum.LIFECYCLE_WAITING)).isZero();
  }

  @Test
  void endorsementsOfAnotherSubmissionDoNotCount() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    Submissions.Keyed s = Signed.issue("vendor-a", a);
    Submissions.Keyed other = Signed.issue("vendor-a", a); // another id, same certificate
    h.submit(s);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", other, Verdict.ENDORSE));
    assertThat(h.decisions()).isEmpty();
    assertThat(h.entries()).isEmpty();
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(only(h.decisions()).getOutcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void anAcceptedIssueIsDecidedOnceByTheLogWithItsEvidence() {
    byte[] a = cert(TestPki.keyPair(SignatureAlgorithm.ED25519), VENDOR_O, "amf-1", 1);
    admitAs("vendor-a", a);
    h.advance(Duration.ofSeconds(1));
    assertThat(only(h.decisions()).getEvidence()).hasSize(2);
  }

  /**
   * A writer on the internal sequence topics (an ACL mistake: only the issuance principal may write
   * them), before any policy change: nothing it writes without a quorum is signed by the log.
   */
  @Test
  void recordsForgedOntoTheSequenceTopicsGetNothingSignedByTheLog() {
    byte[] a = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "admitted-a").der();
    byte[] b = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "admitted-b").der();
    admitAs("vendor-a", a);
    admitAs("vendor-a", b);
    List<LedgerEntry> sequenced = h.sequence.readValuesToList();
    LedgerEntry genuine = sequenced.get(sequenced.size() - 1);
    h.decisions();
    assertThat(h.entries()).hasSize(3);

    // An entry with one endorsement where the policy needs two ...
    byte[] lone = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "one-endorsement").der();
    Submissions.Keyed s = Signed.issue("vendor-a", lone);
    sequence(
        withCertificate(genuine, lone)
            .setSubmissionId(s.submission().getSubmissionId())
            .setEvidence(List.of(Signed.endorse("operator-b", s, Verdict.ENDORSE))));
    // ... and one carrying the endorsements of b, a certificate the consortium admitted.
    sequence(
        withCertificate(
            genuine, TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "borrower").der()));
    assertThat(h.entries()).as("entries the log signed").isEmpty();
    List<Decision> refused = h.decisions();
    assertThat(refused).hasSize(2);
    for (Decision d : refused) {
      assertRejected(d, ReasonCode.OTHER, "no endorsement quorum under policy serial 1");
    }
    assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_POLICY)).isEqualTo(2);

    // A revocation of a, granted by nobody: the owner's request alone, no endorsement.
    Submissions.Keyed r = Signed.lifecycle("vendor-a", Operation.REVOKE, Sha256.hash(a));
    StatusEntry forged =
        StatusEntry.newBuilder()
            .setOrigin(genuine.getOrigin())
            .setLogNumber(genuine.getLogNumber())
            .setSequence(-1)
            .setEvent(java.nio.ByteBuffer.allocate(0))
            .setCertificateSha256(Evidence.buffer(Sha256.hash(a)))
            .setOperation(Operation.REVOKE)
            .setOwner("vendor-a")
            .setRequests(List.of(r.submission()))
            .setEvidence(List.of())
            .setSequencedAt(Instant.now())
            .build();
    h.statusSequenceIn.pipeInput("1", h.bytes(h.topics.statusSequence(), forged));
    assertThat(h.status.readValuesToList()).as("status events the log signed").isEmpty();
    assertThat(h.dlq.readValuesToList())
        .singleElement()
        .extracting(org.ledgerpki.schemas.avro.DeadLetter::getReason)
        .asString()
        .contains("not granted under policy serial 1")
        .contains("no endorsement quorum");
    assertThat(h.counter(IntegrateProcessor.STATUS_REFUSED_POLICY)).isEqualTo(1);

    // The log goes on: the next certificate the consortium admits gets the next index.
    admitAs("vendor-a", TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "next").der());
    assertThat(h.entries()).singleElement().extracting(LedgerEntry::getIndex).isEqualTo(3L);
  }

  /** {@code genuine}, a record of {@code ledger.sequence}, about the certificate {@code der}. */
  private static LedgerEntry.Builder withCertificate(LedgerEntry genuine, byte[] der) {
    return LedgerEntry.newBuilder(genuine)
        .setCertificate(Evidence.buffer(der))
        .setCertificateSha256(Evidence.buffer(Sha256.hash(der)));
  }

  /** Writes {@code forged} straight to {@code ledger.sequence}, as a writer there could. */
  private void sequence(LedgerEntry.Builder forged) {
    h.sequenceIn.pipeInput("1", h.bytes(h.topics.sequence(), forged.build()));
  }
}
