package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.issuance.lifecycle.LifecycleQuorum;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/** Lifecycle requests through the issuance stream: quorum, sequencing and the checkpoint line. */
class LifecycleTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static int serial;

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static byte[] cert() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "lc-" + serial++).der();
  }

  /** Admits a fresh certificate of vendor-a and drains the outputs; returns its hash. */
  private byte[] admitted() {
    byte[] der = cert();
    h.admit(der);
    h.decisions();
    h.entries();
    return Sha256.hash(der);
  }

  private static Submissions.Keyed request(
      String submitter, Operation op, byte[] target, Integer reason, byte[] newCert) {
    Submission.Builder b =
        Submission.newBuilder()
            .setSubmissionId(UUID.randomUUID().toString())
            .setOperation(op)
            .setSubmitter(submitter)
            .setCertificate(Evidence.buffer(newCert))
            .setTargetCertificateSha256(Evidence.buffer(target))
            .setReasonCode(reason)
            .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()));
    return Submissions.sign(Signed.submitter(submitter), List.of(b)).get(0);
  }

  /** Submits the request and has operator-b and operator-c endorse it. */
  private Submissions.Keyed ask(String submitter, Operation op, byte[] target, Integer reason) {
    Submissions.Keyed s = request(submitter, op, target, reason, null);
    endorsed(s);
    return s;
  }

  private void endorsed(Submissions.Keyed s) {
    h.submit(s);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
  }

  private static StatusEvent event(StatusEntry e) throws Exception {
    return StatusEvent.decode(Evidence.bytes(e.getEvent()));
  }

  @Test
  void ownerRevocationIsSequencedAndCommittedToByTheNextCheckpoint() throws Exception {
    h = new Harness();
    byte[] target = admitted();
    h.advance(Duration.ofSeconds(1));
    Checkpoint before =
        Checkpoint.parse(h.checkpoints.readValuesToList().get(0).getNote().split("\n\n")[0] + "\n");
    assertThat(StatusCommitment.find(before.extensions()))
        .as("every checkpoint commits to the status log, even an empty one")
        .contains(new StatusLog().commitment());

    Submissions.Keyed revoke = ask("vendor-a", Operation.REVOKE, target, 1);
    List<Decision> decisions = h.decisions();
    assertThat(decisions).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
    assertThat(decisions.get(0).getSubmissionId()).isEqualTo(revoke.submission().getSubmissionId());
    assertThat(decisions.get(0).getEvidence()).hasSize(2);

    List<StatusEntry> status = h.status.readValuesToList();
    assertThat(status).hasSize(1);
    StatusEntry e = status.get(0);
    assertThat(e.getSequence()).isZero();
    assertThat(e.getOwner()).isEqualTo("vendor-a");
    assertThat(LogRecords.problem(e, h.policy.log().ed25519()))
        .as("the log signs the status events it publishes (ADR 0012)")
        .isNull();
    assertThat(e.getRequests()).hasSize(1);
    assertThat(e.getEvidence()).hasSize(2);
    StatusEvent ev = event(e);
    assertThat(ev.state()).isEqualTo(CertificateState.REVOKED);
    assertThat(ev.operation()).isEqualTo(Lifecycle.Operation.REVOKE);
    assertThat(ev.reasonCode()).isEqualTo(1);
    assertThat(ev.certificateSha256()).isEqualTo(target);
    assertThat(h.entries()).as("the MTC log keeps only MTC entries").isEmpty();

    // The tree did not grow, but the status did: a checkpoint of the same size commits to it.
    h.advance(Duration.ofSeconds(1));
    List<org.ledgerpki.schemas.avro.Checkpoint> cps = h.checkpoints.readValuesToList();
    assertThat(cps).hasSize(1);
    assertThat(cps.get(0).getSize()).isEqualTo(before.size());
    assertThat(cps.get(0).getPreviousSize()).isEqualTo(before.size());
    StatusLog mine = new StatusLog();
    mine.apply(ev);
    Checkpoint after = Checkpoint.parse(cps.get(0).getNote().split("\n\n")[0] + "\n");
    assertThat(StatusCommitment.find(after.extensions())).contains(mine.commitment());
  }

  @Test
  void aHostileVerdictRacedAheadOfARevocationDoesNotKeepTheCertificateGood() throws Exception {
    h = new Harness();
    byte[] target = admitted();
    Submissions.Keyed revoke = request("vendor-a", Operation.REVOKE, target, 1, null);
    // operator-b wants the certificate to stay GOOD: it signs a verdict on the revocation's id
    // about a SUSPEND and gets it to the quorum before the request; the honest verdicts on the
    // REVOKE also come before the request does.
    h.endorse(
        Signed.sign(
            Signed.validator("operator-b"),
            Signed.verdict("operator-b", revoke, Verdict.ENDORSE).setOperation(Operation.SUSPEND)));
    h.endorse(Signed.endorse("operator-c", revoke, Verdict.ENDORSE));
    h.endorse(Signed.endorse("vendor-a", revoke, Verdict.ENDORSE));
    assertThat(h.decisions()).as("the request itself has not arrived").isEmpty();
    h.submit(revoke);
    List<Decision> decisions = h.decisions();
    assertThat(decisions).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
    assertThat(decisions.get(0).getEvidence())
        .extracting(Endorsement::getValidator)
        .containsExactly("operator-c", "vendor-a");
    List<StatusEntry> status = h.status.readValuesToList();
    assertThat(status).hasSize(1);
    assertThat(event(status.get(0)).state()).isEqualTo(CertificateState.REVOKED);
  }

  @Test
  void nonOwnerRequestsNeedTheRequesterQuorum() throws Exception {
    h = new Harness();
    byte[] target = admitted();
    Submissions.Keyed b = ask("operator-b", Operation.REVOKE, target, 1);
    assertThat(h.decisions()).as("one non-owner of the two needed").isEmpty();
    assertThat(h.status.isEmpty()).isTrue();
    assertThat(h.counter(LifecycleQuorum.LIFECYCLE_WAITING)).isEqualTo(1);

    // The same member asking again counts once.
    ask("operator-b", Operation.REVOKE, target, 1);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.DUPLICATE));

    Submissions.Keyed c = ask("operator-c", Operation.REVOKE, target, 1);
    List<Decision> d = h.decisions();
    assertThat(d)
        .extracting(Decision::getOutcome)
        .containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED);
    assertThat(d)
        .extracting(Decision::getSubmissionId)
        .containsExactly(b.submission().getSubmissionId(), c.submission().getSubmissionId());
    StatusEntry e = h.status.readValuesToList().get(0);
    assertThat(e.getRequests())
        .extracting(Submission::getSubmitter)
        .containsExactly("operator-b", "operator-c");
    assertThat(e.getEvidence()).hasSize(4);
    assertThat(event(e).state()).isEqualTo(CertificateState.REVOKED);
  }

  @Test
  void aNonOwnerRequestBelowTheQuorumIsRejectedAfterTheWindow() {
    h = new Harness(TestPolicies.check(TestPolicies.lifecycle(TestPolicies.base(), 2, "2s")));
    byte[] target = admitted();
    ask("operator-b", Operation.SUSPEND, target, null);
    h.advance(Duration.ofSeconds(1));
    assertThat(h.decisions()).isEmpty();
    h.advance(Duration.ofSeconds(2));
    List<Decision> d = h.decisions();
    assertThat(d).extracting(Decision::getOutcome).containsExactly(Outcome.REJECTED);
    assertThat(d.get(0).getReasons())
        .extracting(Reason::getCode)
        .containsExactly(ReasonCode.REQUESTER_QUORUM_NOT_REACHED);
    assertThat(h.status.isEmpty()).isTrue();
    assertThat(h.counter(LifecycleQuorum.LIFECYCLE_EXPIRED)).isEqualTo(1);
  }

  @Test
  void suspendResumeRevokeAreContiguousAndImpossibleTransitionsAreRejected() throws Exception {
    h = new Harness();
    byte[] target = admitted();
    ask("vendor-a", Operation.RESUME, target, null);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.getOutcome()).isEqualTo(Outcome.REJECTED);
              assertThat(x.getReasons().get(0).getCode()).isEqualTo(ReasonCode.INVALID_TRANSITION);
            });
    ask("vendor-a", Operation.SUSPEND, target, null);
    ask("vendor-a", Operation.RESUME, target, null);
    ask("vendor-a", Operation.REVOKE, target, 4);
    ask("vendor-a", Operation.RESUME, target, null);
    ask("vendor-a", Operation.REVOKE, target, 1);
    List<Decision> d = h.decisions();
    assertThat(d)
        .extracting(Decision::getOutcome)
        .containsExactly(
            Outcome.ACCEPTED,
            Outcome.ACCEPTED,
            Outcome.ACCEPTED,
            Outcome.REJECTED,
            Outcome.REJECTED);
    assertThat(d.get(3).getReasons().get(0).getCode()).isEqualTo(ReasonCode.INVALID_TRANSITION);
    assertThat(d.get(3).getReasons().get(0).getDetail()).contains("REVOKED");
    assertThat(d.get(4).getReasons().get(0).getCode()).isEqualTo(ReasonCode.INVALID_TRANSITION);
    List<StatusEntry> status = h.status.readValuesToList();
    assertThat(status).extracting(StatusEntry::getSequence).containsExactly(0L, 1L, 2L);
    StatusLog mine = new StatusLog();
    for (StatusEntry e : status) {
      mine.apply(event(e));
    }
    assertThat(mine.state(event(status.get(2)).entryHash())).isEqualTo(CertificateState.REVOKED);
    assertThat(event(status.get(2)).certificateSha256()).isEqualTo(target);
    assertThat(event(status.get(0)).reasonCode()).isEqualTo(Lifecycle.REASON_CERTIFICATE_HOLD);
    assertThat(event(status.get(1)).state()).isEqualTo(CertificateState.GOOD);
  }

  @Test
  void badReasonCodeIsRejected() {
    h = new Harness();
    byte[] target = admitted();
    ask("vendor-a", Operation.REVOKE, target, 6);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            x -> assertThat(x.getReasons().get(0).getCode()).isEqualTo(ReasonCode.BAD_REASON_CODE));
  }

  @Test
  void renewByTheOwnerSupersedesTheOldCertificate() throws Exception {
    h = new Harness();
    byte[] old = admitted();
    byte[] fresh = cert();
    h.admit(fresh);
    h.decisions();
    Submissions.Keyed renew = request("vendor-a", Operation.RENEW, old, null, fresh);
    endorsed(renew);
    assertThat(h.decisions()).extracting(Decision::getOutcome).containsExactly(Outcome.ACCEPTED);
    StatusEvent ev = event(h.status.readValuesToList().get(0));
    assertThat(ev.state()).isEqualTo(CertificateState.REVOKED);
    assertThat(ev.reasonCode()).isEqualTo(Lifecycle.REASON_SUPERSEDED);
    assertThat(ev.supersededBy()).isEqualTo(Sha256.hash(fresh));

    byte[] other = admitted();
    Submissions.Keyed byOther = request("operator-b", Operation.RENEW, other, null, cert());
    endorsed(byOther);
    assertThat(h.decisions())
        .singleElement()
        .satisfies(
            x -> assertThat(x.getReasons().get(0).getCode()).isEqualTo(ReasonCode.NOT_OWNER));
  }
}
