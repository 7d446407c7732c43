package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.governance.GovernanceProcessor;
import org.ledgerpki.issuance.integrate.IntegrateProcessor;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.PolicyApproval;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * Governance in the issuance topology (docs/governance.md): acts on {@code ledger.governance}, the
 * change on {@code ledger.policy} at the log's position, the switch of the stream's own decisions,
 * the policy line of checkpoints, refusals with their reasons, and a restart in the middle.
 */
class GovernanceTopologyTest {
  private static final TestConsortium TC = TestConsortium.get();
  private final TrustPolicy genesis = TC.policy();

  private static GovernanceAct propose(String member, TrustPolicy current, TrustPolicy proposed) {
    return Governance.act(
        current,
        proposed,
        member,
        Signed.keys(member).submission().getPrivate(),
        true,
        Instant.now());
  }

  private static GovernanceAct approve(String member, TrustPolicy current, TrustPolicy proposed) {
    return Governance.act(
        current,
        proposed,
        member,
        Signed.keys(member).submission().getPrivate(),
        false,
        Instant.now());
  }

  private static byte[] cert(String org, String name) {
    return TestPki.vendor(SignatureAlgorithm.ECDSA_P256, org, name).der();
  }

  private static byte[] vendorCert(String name) {
    return cert(TestConsortium.organization("vendor-a"), name);
  }

  private static String policyLine(Checkpoint c) {
    return c.getNote()
        .lines()
        .filter(l -> l.startsWith("ledger-pki-policy "))
        .findFirst()
        .orElse("");
  }

  private static String line(TrustPolicy p) {
    return PolicyCommitment.of(p).extensionLine();
  }

  @Test
  void aFourthMemberIsAdmittedByTwoOfThreeAndThenSubmits() {
    TrustPolicy next = TestGovernance.adding(genesis, TC.outsider());
    try (Harness h = new Harness(genesis)) {
      h.admit(vendorCert("before"));
      List<Checkpoint> before = h.checkpoints.readValuesToList();
      // Before the change, every checkpoint names the genesis policy.
      h.advance(java.time.Duration.ofSeconds(1));
      before.addAll(h.checkpoints.readValuesToList());
      assertThat(before)
          .isNotEmpty()
          .allSatisfy(c -> assertThat(policyLine(c)).isEqualTo(line(genesis)));
      // The outsider's submission is not a member's yet.
      Submissions.Keyed early =
          Signed.issue("mallory", cert(TestConsortium.organization("mallory"), "early"));
      h.submit(early);
      assertThat(h.counter(QuorumProcessor.SUBMISSIONS_INVALID)).isEqualTo(1);

      h.act(propose("vendor-a", genesis, next));
      assertThat(h.policyChanges.isEmpty()).as("one approval of two").isTrue();
      h.act(approve("operator-b", genesis, next));

      PolicyChange change = h.policyChanges.readValue();
      assertThat(change.getSerial()).isEqualTo(2);
      assertThat(change.getEffectiveIndex()).as("log size: null entry + one").isEqualTo(2);
      assertThat(change.getEffectiveStatusSequence()).isZero();
      assertThat(Evidence.bytes(change.getPolicySha256())).isEqualTo(next.sha256());
      assertThat(Evidence.bytes(change.getPreviousPolicySha256())).isEqualTo(genesis.sha256());
      assertThat(Evidence.bytes(change.getDocument())).isEqualTo(next.documentBytes());
      assertThat(change.getApprovals())
          .extracting(PolicyApproval::getMember)
          .containsExactlyInAnyOrder("vendor-a", "operator-b");
      assertThat(h.counter(GovernanceProcessor.POLICY_CHANGES)).isEqualTo(1);
      // A checkpoint follows at once, naming the new policy.
      List<Checkpoint> after = h.checkpoints.readValuesToList();
      assertThat(after).hasSize(1);
      assertThat(policyLine(after.get(0))).isEqualTo(line(next));
      assertThat(after.get(0).getSize()).isEqualTo(2);
      // The change verifies from genesis, as every party checks it.
      assertThat(h.holder.latest().serial()).isEqualTo(2);

      // Now the new member submits; k = 2 of the (old) validators admit it.
      Submissions.Keyed s =
          Signed.issue("mallory", cert(TestConsortium.organization("mallory"), "admitted"));
      h.decisions();
      h.submit(s);
      h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
      List<Decision> d = h.decisions();
      assertThat(d).singleElement().extracting(Decision::getOutcome).isEqualTo(Outcome.ACCEPTED);
      List<LedgerEntry> entries = h.entries();
      assertThat(entries.get(entries.size() - 1).getSubmitter()).isEqualTo("mallory");
      assertThat(entries.get(entries.size() - 1).getIndex()).isEqualTo(2);

      // And its validator's endorsements count (it has the validator role now).
      Submissions.Keyed t = Signed.issue("vendor-a", vendorCert("by-mallory"));
      h.submit(t);
      h.endorse(Signed.endorse("mallory", t, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", t, Verdict.ENDORSE));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      // Late approvals of the change in force are counted and ignored.
      h.act(approve("operator-c", genesis, next));
      assertThat(h.counter(GovernanceProcessor.ACTS_LATE)).isEqualTo(1);
      assertThat(h.policyChanges.isEmpty()).isTrue();
    }
  }

  @Test
  void theMemberBeingAddedCannotApproveItsOwnAdmissionAndTooFewDoNotSuffice() {
    TrustPolicy next = TestGovernance.adding(genesis, TC.outsider());
    try (Harness h = new Harness(genesis)) {
      h.admit(vendorCert("one"));
      h.act(propose("vendor-a", genesis, next));
      h.act(approve("mallory", genesis, next));
      DeadLetter dl = h.dlq.readValue();
      assertThat(dl.getReason())
          .contains("the approval of 'mallory' does not count")
          .contains("not a member of the current policy (serial 1)");
      assertThat(h.counter(GovernanceProcessor.ACTS_REFUSED)).isEqualTo(1);
      // A second approval by the proposer counts once.
      h.act(approve("vendor-a", genesis, next));
      assertThat(h.counter(GovernanceProcessor.ACTS_DUPLICATE)).isEqualTo(1);
      assertThat(h.policyChanges.isEmpty()).as("vendor-a alone is 1 of 2").isTrue();
      assertThat(h.holder.latest().serial()).isEqualTo(1);
      // The barrier: a current member's approval completes the quorum, without mallory's.
      h.act(approve("operator-c", genesis, next));
      PolicyChange c = h.policyChanges.readValue();
      assertThat(c.getApprovals())
          .extracting(PolicyApproval::getMember)
          .containsExactlyInAnyOrder("vendor-a", "operator-c");
    }
  }

  @Test
  void malformedActsAreDeadLetteredWithTheirReason() {
    TrustPolicy next = TestGovernance.adding(genesis, TC.outsider());
    TrustPolicy skip =
        TestGovernance.parse(
            next.document()
                .withSerial(3)
                .toYaml()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (Harness h = new Harness(genesis)) {
      // Serial 3 while 1 is in force (signed over serial 3 by a member).
      GovernanceAct wrongSerial =
          Governance.act(
              genesis,
              skip,
              "vendor-a",
              Signed.keys("vendor-a").submission().getPrivate(),
              true,
              Instant.now());
      h.act(wrongSerial);
      assertThat(h.dlq.readValue().getReason())
          .isEqualTo("wrong-serial: expected serial 2, found 3");
      // Naming another previous policy.
      GovernanceAct wrongPrevious =
          GovernanceAct.newBuilder(propose("vendor-a", genesis, next))
              .setPreviousPolicySha256(Evidence.buffer(next.sha256()))
              .build();
      h.act(wrongPrevious);
      assertThat(h.dlq.readValue().getReason())
          .startsWith(
              "wrong-previous: expected the previous policy hash "
                  + Base64.getEncoder().encodeToString(genesis.sha256()));
      // A document that is not the hash it claims.
      GovernanceAct swapped =
          GovernanceAct.newBuilder(propose("vendor-a", genesis, next))
              .setDocument(Evidence.buffer(genesis.documentBytes()))
              .build();
      h.act(swapped);
      assertThat(h.dlq.readValue().getReason()).startsWith("hash-mismatch");
      // A signature by another member's key in vendor-a's name.
      GovernanceAct forged =
          Governance.act(
              genesis,
              next,
              "vendor-a",
              Signed.keys("operator-b").submission().getPrivate(),
              false,
              Instant.now());
      h.act(forged);
      assertThat(h.dlq.readValue().getReason()).contains("signature does not verify");
      // Garbage.
      h.governance.pipeInput("2", new byte[] {1, 2, 3});
      assertThat(h.dlq.readValue().getReason()).startsWith("cannot decode a GovernanceAct");
      // A changed log identity is refused as a proposal.
      TrustPolicy moved =
          TestGovernance.next(
              genesis,
              d ->
                  new PolicyDocument(
                      d.format(),
                      d.serial(),
                      d.consortium(),
                      d.profile(),
                      org.ledgerpki.core.policy.LogKeys.generate(TestConsortium.CA_ID, 1)
                          .toDocument(),
                      d.quorum(),
                      d.checkpoints(),
                      d.landmarks(),
                      d.validity(),
                      d.algorithms(),
                      d.members(),
                      d.lifecycle(),
                      d.governance()));
      h.act(propose("vendor-a", genesis, moved));
      assertThat(h.dlq.readValue().getReason()).startsWith("log-changed");
      assertThat(h.counter(GovernanceProcessor.ACTS_REFUSED)).isEqualTo(6);
      assertThat(h.policyChanges.isEmpty()).isTrue();
    }
  }

  @Test
  void aRotatedEndorsementKeyStopsCountingAtTheSwitchAndNotBefore() {
    KeyPair rotated = Keys.generate(SignatureAlgorithm.ED25519);
    TrustPolicy next = TestGovernance.rotatingEndorsementKey(genesis, "operator-b", rotated);
    BatchSigner newB = new BatchSigner("operator-b", rotated.getPrivate(), rotated.getPublic());
    try (Harness h = new Harness(genesis)) {
      // Before the switch the old key counts.
      Submissions.Keyed a = h.admit(vendorCert("old-key-before"));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      List<LedgerEntry> seq = h.sequence.readValuesToList();
      // A submission endorsed with the old key before the switch, to be sequenced after it.
      byte[] lateDer = vendorCert("decided-before");
      Submissions.Keyed late = Signed.issue("vendor-a", lateDer);
      LedgerEntry decidedBefore =
          LedgerEntry.newBuilder(seq.get(seq.size() - 1))
              .setCertificate(Evidence.buffer(lateDer))
              .setCertificateSha256(Evidence.buffer(org.ledgerpki.core.Sha256.hash(lateDer)))
              .setSubmissionId(late.submission().getSubmissionId())
              .setEvidence(
                  List.of(
                      Signed.endorse("vendor-a", late, Verdict.ENDORSE),
                      Signed.endorse("operator-b", late, Verdict.ENDORSE)))
              .build();
      List<LedgerEntry> beforeEntries = h.entries();

      h.act(propose("operator-c", genesis, next));
      h.act(approve("operator-b", genesis, next));
      PolicyChange c = h.policyChanges.readValue();
      long switchAt = c.getEffectiveIndex();
      assertThat(switchAt).isEqualTo(beforeEntries.get(beforeEntries.size() - 1).getIndex() + 1);

      // After the switch, the old key's endorsement does not count ...
      Submissions.Keyed s = Signed.issue("vendor-a", vendorCert("old-key-after"));
      h.submit(s);
      h.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
      assertThat(h.decisions()).isEmpty();
      assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_BAD_SIGNATURE)).isEqualTo(1);
      // ... the new key's does.
      h.endorse(Signed.sign(newB, Signed.verdict("operator-b", s, Verdict.ENDORSE)));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(h.entries()).singleElement().extracting(LedgerEntry::getIndex).isEqualTo(switchAt);

      // An entry decided under the old policy but reaching the log after the switch is refused
      // there, with the reason: cosigners check each index with the policy in force at it.
      h.sequenceIn.pipeInput("1", h.bytes(h.topics.sequence(), decidedBefore));
      Decision refused = h.decisions().get(0);
      assertThat(refused.getOutcome()).isEqualTo(Outcome.REJECTED);
      assertThat(refused.getReasons().get(0).getDetail())
          .contains("no endorsement quorum under policy serial 2, in force from index " + switchAt);
      assertThat(h.counter(IntegrateProcessor.ENTRIES_REFUSED_POLICY)).isEqualTo(1);
      assertThat(h.entries()).isEmpty();
    }
  }

  @Test
  void aRotatedSubmissionKeyStopsCountingAtTheSwitchAndTheNewOneCounts() {
    KeyPair rotated = Keys.generate(SignatureAlgorithm.ED25519);
    TrustPolicy next = TestGovernance.rotatingSubmissionKey(genesis, "vendor-a", rotated);
    BatchSigner newA = new BatchSigner("vendor-a", rotated.getPrivate(), rotated.getPublic());
    try (Harness h = new Harness(genesis)) {
      // The change is proposed and approved with the keys in force (vendor-a's old one).
      h.act(propose("vendor-a", genesis, next));
      h.act(approve("operator-b", genesis, next));
      assertThat(h.policyChanges.readValue().getSerial()).isEqualTo(2);

      // A submission signed with vendor-a's old key is ignored from the switch on ...
      Submissions.Keyed old = Signed.issue("vendor-a", vendorCert("old-submission-key"));
      h.submit(old);
      h.endorse(Signed.endorse("operator-b", old, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", old, Verdict.ENDORSE));
      assertThat(h.decisions()).as("the old submission key no longer counts").isEmpty();
      assertThat(h.counter(QuorumProcessor.SUBMISSIONS_INVALID)).isEqualTo(1);

      // ... and one signed with the new key is decided.
      Submissions.Keyed fresh =
          Submissions.issue(newA, List.of(vendorCert("new-submission-key")), Instant.now()).get(0);
      h.submit(fresh);
      h.endorse(Signed.endorse("operator-b", fresh, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", fresh, Verdict.ENDORSE));
      assertThat(h.decisions())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
                assertThat(d.getSubmissionId()).isEqualTo(fresh.submission().getSubmissionId());
              });
    }
  }

  @Test
  void aRemovedMembersVerdictsAndSubmissionsStopCountingAtTheSwitch() {
    TrustPolicy next =
        TestGovernance.next(
            genesis,
            d ->
                d.withMembers(
                    d.members().stream().filter(m -> !m.id().equals("operator-c")).toList()));
    try (Harness h = new Harness(genesis)) {
      // Before the switch operator-c's verdict counts.
      Submissions.Keyed before = Signed.issue("vendor-a", vendorCert("removed-before"));
      h.submit(before);
      h.endorse(Signed.endorse("operator-b", before, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", before, Verdict.ENDORSE));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);

      h.act(propose("vendor-a", genesis, next));
      h.act(approve("operator-b", genesis, next));
      assertThat(h.policyChanges.readValue().getSerial()).isEqualTo(2);

      // After it, operator-c's verdict is a non-member's: ignored, and counted as such.
      Submissions.Keyed after = Signed.issue("vendor-a", vendorCert("removed-after"));
      h.submit(after);
      h.endorse(Signed.endorse("operator-b", after, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", after, Verdict.ENDORSE));
      assertThat(h.decisions()).as("operator-c no longer makes the quorum").isEmpty();
      assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_NOT_MEMBER)).isEqualTo(1);
      h.endorse(Signed.endorse("vendor-a", after, Verdict.ENDORSE));
      List<Decision> decided = h.decisions();
      assertThat(decided)
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(decided.get(0).getEvidence())
          .extracting(Endorsement::getValidator)
          .containsExactlyInAnyOrder("vendor-a", "operator-b");

      // Its submissions, validly signed with its still-configured key, are ignored.
      double invalid = h.counter(QuorumProcessor.SUBMISSIONS_INVALID);
      Submissions.Keyed byC =
          Signed.issue("operator-c", cert(TestConsortium.organization("operator-c"), "by-removed"));
      h.submit(byC);
      h.endorse(Signed.endorse("vendor-a", byC, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-b", byC, Verdict.ENDORSE));
      assertThat(h.decisions()).as("nothing decided for a removed member").isEmpty();
      assertThat(h.counter(QuorumProcessor.SUBMISSIONS_INVALID)).isEqualTo(invalid + 1);
    }
  }

  @Test
  void aLowerNonOwnerQuorumLetsOneOtherMemberRevokeFromTheSwitchOn() {
    TrustPolicy next = TestGovernance.next(genesis, d -> TestPolicies.lifecycle(d, 1, null));
    try (Harness h = new Harness(genesis)) {
      byte[] a = vendorCert("quorum-before");
      byte[] b = vendorCert("quorum-after");
      h.admit(a);
      h.admit(b);
      h.decisions();
      h.entries();
      // Before: operator-b alone (not the owner) is one of the two non-owners needed.
      Submissions.Keyed ra =
          Signed.lifecycle("operator-b", Operation.REVOKE, org.ledgerpki.core.Sha256.hash(a));
      h.submit(ra);
      h.endorse(Signed.endorse("vendor-a", ra, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", ra, Verdict.ENDORSE));
      assertThat(h.decisions()).as("1 of lifecycle.nonOwnerQuorum 2").isEmpty();
      assertThat(h.status.readValuesToList()).isEmpty();

      h.act(propose("vendor-a", genesis, next));
      h.act(approve("operator-c", genesis, next));
      assertThat(h.policyChanges.readValue().getSerial()).isEqualTo(2);

      // After: operator-b alone suffices.
      Submissions.Keyed rb =
          Signed.lifecycle("operator-b", Operation.REVOKE, org.ledgerpki.core.Sha256.hash(b));
      h.submit(rb);
      h.endorse(Signed.endorse("vendor-a", rb, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", rb, Verdict.ENDORSE));
      assertThat(h.decisions())
          .filteredOn(d -> d.getSubmissionId().equals(rb.submission().getSubmissionId()))
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(h.status.readValuesToList())
          .extracting(e -> Evidence.bytes(e.getCertificateSha256()))
          .contains(org.ledgerpki.core.Sha256.hash(b));
    }
  }

  @Test
  void aLifecycleRequestGrantedBeforeTheSwitchIsRecheckedAtItsStatusSequenceNumber() {
    KeyPair rotated = Keys.generate(SignatureAlgorithm.ED25519);
    TrustPolicy next = TestGovernance.rotatingEndorsementKey(genesis, "operator-b", rotated);
    BatchSigner newB = new BatchSigner("operator-b", rotated.getPrivate(), rotated.getPublic());
    try (Harness h = new Harness(genesis)) {
      byte[] a = vendorCert("revoked-before");
      byte[] b = vendorCert("revoked-after");
      h.admit(a);
      h.admit(b);
      h.decisions();
      h.entries();
      // Before the switch: the owner's revocation of a, endorsed by operator-b's old key, is
      // sequenced as status event 0.
      Submissions.Keyed ra =
          Signed.lifecycle("vendor-a", Operation.REVOKE, org.ledgerpki.core.Sha256.hash(a));
      h.submit(ra);
      h.endorse(Signed.endorse("operator-b", ra, Verdict.ENDORSE));
      h.endorse(Signed.endorse("operator-c", ra, Verdict.ENDORSE));
      List<StatusEntry> before = h.status.readValuesToList();
      assertThat(before).singleElement().extracting(StatusEntry::getSequence).isEqualTo(0L);

      h.act(propose("operator-c", genesis, next));
      h.act(approve("operator-b", genesis, next));
      PolicyChange c = h.policyChanges.readValue();
      assertThat(c.getEffectiveStatusSequence()).isEqualTo(1);
      h.dlq.readValuesToList();

      // b's revocation, granted with operator-b's old key before the switch, reaches the status
      // log after it (as the quorum writes it to ledger.status-sequence): refused, with the reason.
      Submissions.Keyed rb =
          Signed.lifecycle("vendor-a", Operation.REVOKE, org.ledgerpki.core.Sha256.hash(b));
      StatusEntry granted =
          StatusEntry.newBuilder(before.get(0))
              .setCertificateSha256(Evidence.buffer(org.ledgerpki.core.Sha256.hash(b)))
              .setRequests(List.of(rb.submission()))
              .setEvidence(
                  List.of(
                      Signed.endorse("operator-b", rb, Verdict.ENDORSE),
                      Signed.endorse("operator-c", rb, Verdict.ENDORSE)))
              .build();
      h.statusSequenceIn.pipeInput("1", h.bytes(h.topics.statusSequence(), granted));
      assertThat(h.status.readValuesToList()).as("not sequenced").isEmpty();
      assertThat(h.dlq.readValuesToList())
          .singleElement()
          .extracting(DeadLetter::getReason)
          .asString()
          .contains("not granted under policy serial 2, in force from status event 1")
          .contains("no endorsement quorum");
      assertThat(h.counter(IntegrateProcessor.STATUS_REFUSED_POLICY)).isEqualTo(1);

      // The same request endorsed with operator-b's new key is sequenced as event 1.
      StatusEntry regranted =
          StatusEntry.newBuilder(granted)
              .setEvidence(
                  List.of(
                      Signed.sign(newB, Signed.verdict("operator-b", rb, Verdict.ENDORSE)),
                      Signed.endorse("operator-c", rb, Verdict.ENDORSE)))
              .build();
      h.statusSequenceIn.pipeInput("1", h.bytes(h.topics.statusSequence(), regranted));
      assertThat(h.status.readValuesToList())
          .singleElement()
          .extracting(StatusEntry::getSequence)
          .isEqualTo(1L);
    }
  }

  @Test
  void aHigherKNeedsMoreEndorsementsFromTheSwitchOn() {
    TrustPolicy k3 =
        TestGovernance.next(genesis, d -> d.withQuorum(new PolicyDocument.Quorum(3, 2)));
    try (Harness h = new Harness(genesis)) {
      h.admit(vendorCert("k2"));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
      h.act(propose("vendor-a", genesis, k3));
      h.act(approve("operator-c", genesis, k3));
      assertThat(h.policyChanges.readValue().getSerial()).isEqualTo(2);
      Submissions.Keyed s = h.admit(vendorCert("k3"));
      assertThat(h.decisions()).as("two of three no longer suffice").isEmpty();
      h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
      assertThat(h.decisions())
          .singleElement()
          .extracting(Decision::getOutcome)
          .isEqualTo(Outcome.ACCEPTED);
    }
  }

  @Test
  void aRestartInTheMiddleOfAChangeRebuildsTheSameHistory() throws Exception {
    TrustPolicy next = TestGovernance.adding(genesis, TC.outsider());
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      List<PolicyChange> published = new ArrayList<>();
      try (Harness first = new Harness(genesis, TC.log(), serdes, null, false)) {
        first.admit(vendorCert("r1"));
        first.act(propose("vendor-a", genesis, next));
        assertThat(first.policyChanges.isEmpty()).isTrue();
        saved = RestartTest.changelogs(first);
      }
      // The second instance: stores restored, the policy topic still empty.
      try (Harness second = new Harness(genesis, TC.log(), serdes, null, false)) {
        RestartTest.restore(second, saved);
        second.act(approve("operator-b", genesis, next));
        PolicyChange c = second.policyChanges.readValue();
        published.add(c);
        assertThat(c.getEffectiveIndex()).isEqualTo(2);
        assertThat(c.getApprovals())
            .extracting(PolicyApproval::getMember)
            .containsExactlyInAnyOrder("vendor-a", "operator-b");
        second.admit(vendorCert("r2"));
        saved = RestartTest.changelogs(second);
      }
      // A third instance seeded from ledger.policy (as IssuanceService does) and its stores.
      PolicyHolder seeded =
          new PolicyHolder(
              PolicyChain.verify(
                  genesis,
                  published.stream().map(Governance::toCore).toList(),
                  Signatures.defaults()));
      try (Harness third = new Harness(seeded, TC.log(), serdes, null, false)) {
        RestartTest.restore(third, saved);
        assertThat(third.holder.history().toString()).isEqualTo(seeded.history().toString());
        assertThat(third.holder.history().at(1).serial()).isEqualTo(1);
        assertThat(third.holder.history().at(2).serial()).isEqualTo(2);
        // The new member's submission is decided under serial 2 after the restart.
        Submissions.Keyed s =
            Signed.issue("mallory", cert(TestConsortium.organization("mallory"), "after-restart"));
        third.submit(s);
        third.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
        third.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
        assertThat(third.decisions())
            .singleElement()
            .extracting(Decision::getOutcome)
            .isEqualTo(Outcome.ACCEPTED);
        third.advance(java.time.Duration.ofSeconds(1));
        List<Checkpoint> cps = third.checkpoints.readValuesToList();
        assertThat(cps)
            .isNotEmpty()
            .allSatisfy(c -> assertThat(policyLine(c)).isEqualTo(line(next)));
        // A replayed approval after the restart changes nothing.
        third.act(approve("operator-c", genesis, next));
        assertThat(third.policyChanges.isEmpty()).isTrue();
      }
    }
  }
}
