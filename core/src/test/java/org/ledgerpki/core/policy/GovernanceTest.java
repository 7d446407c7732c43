package org.ledgerpki.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;

class GovernanceTest {
  private static final Signatures SIG = Signatures.defaults();
  private final TestConsortium tc = TestConsortium.get();
  private final TrustPolicy genesis = tc.policy();

  private MemberKeys m(String id) {
    return tc.member(id);
  }

  private TrustPolicy admitMallory() {
    return TestGovernance.adding(genesis, tc.outsider());
  }

  private PolicyChange change(
      TrustPolicy current, TrustPolicy next, long index, long status, List<Approval> approvals) {
    return new PolicyChange(
        next.serial(),
        next.documentBytes(),
        next.sha256(),
        current.sha256(),
        index,
        status,
        approvals,
        1_000L);
  }

  @Test
  void approvalStatementKnownAnswer() {
    // Computed independently (Python, cryptography 48): docs/governance.md gives the same values.
    byte[] prev = Sha256.hash("policy serial 1\n".getBytes(StandardCharsets.UTF_8));
    byte[] next = Sha256.hash("policy serial 2\n".getBytes(StandardCharsets.UTF_8));
    ApprovalStatement s = new ApprovalStatement("example-consortium", 2, prev, next, "vendor-a");
    assertThat(s.text())
        .isEqualTo(
            "ledger-pki policy approval v1\n"
                + "example-consortium\n"
                + "2\n"
                + "SKGfjVitwr+5eFeUH5FLbAKD3KExTOOFWoeAzDFaZfs=\n"
                + "dUB5gktjmpqScCmt/0JiMVFuEExATjZrHSqq1ApWQgI=\n"
                + "vendor-a\n");
    assertThat(Hex.encode(Sha256.hash(s.encode())))
        .isEqualTo("9a9346cee9fe21f94220f6331ab350e890e7fc00bf8b0526e4ab8800e45be3b0");
    var key = Keys.ed25519FromSeed(seven());
    assertThat(Base64.getEncoder().encodeToString(Keys.ed25519Raw(Keys.publicKeyOf(key))))
        .isEqualTo("6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=");
    assertThat(Base64.getEncoder().encodeToString(SIG.sign(key, s.encode())))
        .isEqualTo(
            "4y/ij2WafkITCjx1byVxNkNX2USDyYObB1x4zgWOmuW3EN4R0Q1eCBbeUsKmm9pYHLqglXKxzaT16qVN7mCgCQ==");
  }

  private static byte[] seven() {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) 7);
    return b;
  }

  @Test
  void policyKeepsItsExactBytesAndHash() throws Exception {
    String text = genesis.document().toYaml() + "# a comment changes the hash\n";
    TrustPolicy p = TrustPolicyReader.parse(text.getBytes(StandardCharsets.UTF_8), "t");
    assertThat(p.documentBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    assertThat(p.sha256()).isEqualTo(Sha256.hash(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(p.sha256()).isNotEqualTo(genesis.sha256());
    assertThat(TrustPolicyReader.parse(text, "t").sha256()).isEqualTo(p.sha256());
    assertThatThrownBy(() -> TrustPolicyReader.parse(new byte[] {(byte) 0xff, 'a'}, "bad"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void governanceQuorumDefaultsToTwoThirdsRoundedUpAndIsChecked() throws Exception {
    assertThat(TrustPolicy.defaultGovernanceQuorum(3)).isEqualTo(2);
    assertThat(TrustPolicy.defaultGovernanceQuorum(4)).isEqualTo(3);
    assertThat(TrustPolicy.defaultGovernanceQuorum(1)).isEqualTo(1);
    assertThat(TrustPolicy.defaultGovernanceQuorum(6)).isEqualTo(4);
    assertThat(genesis.governanceQuorum()).isEqualTo(2);
    PolicyDocument d = genesis.document().withGovernance(new PolicyDocument.Governance(3));
    assertThat(TrustPolicyReader.of(d, "t").governanceQuorum()).isEqualTo(3);
    assertThatThrownBy(
            () ->
                TrustPolicyReader.of(
                    genesis.document().withGovernance(new PolicyDocument.Governance(4)), "t"))
        .hasMessageContaining("governance.quorum")
        .hasMessageContaining("between 1 and the number of members (3), found 4");
    assertThatThrownBy(
            () ->
                TrustPolicyReader.of(
                    genesis.document().withGovernance(new PolicyDocument.Governance(0)), "t"))
        .hasMessageContaining("governance.quorum");
    // The YAML spelling.
    String yaml = d.toYaml();
    assertThat(yaml).contains("governance:\n  quorum: 3");
  }

  @Test
  void policyCommitmentRoundTripsAndRefusesMalformedLines() throws Exception {
    PolicyCommitment c = PolicyCommitment.of(genesis);
    assertThat(c.extensionLine())
        .isEqualTo("ledger-pki-policy 1 " + Base64.getEncoder().encodeToString(genesis.sha256()));
    assertThat(PolicyCommitment.find(List.of("ledger-pki-status 1 x y", c.extensionLine())))
        .contains(c);
    assertThat(c.names(genesis)).isTrue();
    assertThat(c.names(admitMallory())).isFalse();
    assertThat(PolicyCommitment.find(List.of("other"))).isEmpty();
    for (String bad :
        List.of(
            "ledger-pki-policy 01 " + Base64.getEncoder().encodeToString(genesis.sha256()),
            "ledger-pki-policy 0 " + Base64.getEncoder().encodeToString(genesis.sha256()),
            "ledger-pki-policy 1 AAAA",
            "ledger-pki-policy 1",
            "ledger-pki-policy -1 " + Base64.getEncoder().encodeToString(genesis.sha256()))) {
      assertThatThrownBy(() -> PolicyCommitment.find(List.of(bad)))
          .as(bad)
          .isInstanceOf(MalformedInputException.class)
          .hasMessageContaining("not a policy commitment");
    }
    assertThatThrownBy(() -> PolicyCommitment.find(List.of(c.extensionLine(), c.extensionLine())))
        .hasMessageContaining("two ledger-pki-policy lines");
  }

  @Test
  void twoOfThreeAdmitAFourthMember() throws Exception {
    TrustPolicy next = admitMallory();
    List<Approval> approvals =
        List.of(
            TestGovernance.approve(m("vendor-a"), genesis, next),
            TestGovernance.approve(m("operator-b"), genesis, next));
    TrustPolicy q =
        PolicyChain.validate(genesis, next.documentBytes(), genesis.sha256(), approvals, SIG);
    assertThat(q.serial()).isEqualTo(2);
    assertThat(q.member("mallory")).isPresent();
    assertThat(q.governanceQuorum()).isEqualTo(3);
    assertThat(q.sha256()).isEqualTo(next.sha256());
  }

  @Test
  void tooFewApprovalsAreRefused() {
    TrustPolicy next = admitMallory();
    List<Approval> one = List.of(TestGovernance.approve(m("vendor-a"), genesis, next));
    assertThatThrownBy(
            () -> PolicyChain.validate(genesis, next.documentBytes(), genesis.sha256(), one, SIG))
        .isInstanceOf(GovernanceException.class)
        .hasMessageContaining("no-quorum")
        .hasMessageContaining("needs 2: 1 of 2 members approved [vendor-a]");
  }

  @Test
  void theMemberBeingAddedCountsZero() {
    TrustPolicy next = admitMallory();
    List<Approval> approvals =
        List.of(
            TestGovernance.approve(m("vendor-a"), genesis, next),
            TestGovernance.approve(tc.outsider(), genesis, next));
    assertThatThrownBy(
            () ->
                PolicyChain.validate(
                    genesis, next.documentBytes(), genesis.sha256(), approvals, SIG))
        .satisfies(
            e ->
                assertThat(((GovernanceException) e).reason())
                    .isEqualTo(GovernanceException.Reason.NO_QUORUM))
        .hasMessageContaining("mallory: not a member of the current policy (serial 1)");
  }

  @Test
  void duplicateApprovalsOfOneMemberCountOnce() {
    TrustPolicy next = admitMallory();
    Approval a = TestGovernance.approve(m("vendor-a"), genesis, next);
    Approval again = TestGovernance.approve(m("vendor-a"), genesis, next);
    GovernanceQuorum.Tally t =
        GovernanceQuorum.tally(genesis, 2, next.sha256(), List.of(a, again, a), SIG);
    assertThat(t.counted()).containsExactly("vendor-a");
    assertThat(t.reached()).isFalse();
    assertThat(t.refused()).hasSize(2).allMatch(r -> r.contains("counts once"));
  }

  @Test
  void aNonMemberSignatureInAMembersNameCountsZero() {
    TrustPolicy next = admitMallory();
    Approval forged = TestGovernance.approveAs(tc.outsider(), "operator-b", genesis, next);
    GovernanceQuorum.Tally t =
        GovernanceQuorum.tally(
            genesis,
            2,
            next.sha256(),
            List.of(TestGovernance.approve(m("vendor-a"), genesis, next), forged),
            SIG);
    assertThat(t.reached()).isFalse();
    assertThat(t.refused())
        .singleElement()
        .asString()
        .contains("operator-b: signature does not verify with any of its submission keys");
  }

  @Test
  void anApprovalOfAnotherDocumentDoesNotCount() {
    TrustPolicy next = admitMallory();
    TrustPolicy other =
        TestGovernance.next(genesis, d -> d.withQuorum(new PolicyDocument.Quorum(3, 2)));
    GovernanceQuorum.Tally t =
        GovernanceQuorum.tally(
            genesis,
            2,
            next.sha256(),
            List.of(
                TestGovernance.approve(m("vendor-a"), genesis, next),
                TestGovernance.approve(m("operator-b"), genesis, other)),
            SIG);
    assertThat(t.counted()).containsExactly("vendor-a");
  }

  @Test
  void wrongSerialIsRefused() {
    TrustPolicy skip =
        TestGovernance.parse(
            genesis.document().withSerial(3).toYaml().getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () -> PolicyChain.checkProposal(genesis, skip.documentBytes(), genesis.sha256()))
        .hasMessage("wrong-serial: expected serial 2, found 3");
  }

  @Test
  void wrongPreviousHashIsRefused() {
    TrustPolicy next = admitMallory();
    assertThatThrownBy(
            () -> PolicyChain.checkProposal(genesis, next.documentBytes(), next.sha256()))
        .hasMessageStartingWith(
            "wrong-previous: expected the previous policy hash "
                + Base64.getEncoder().encodeToString(genesis.sha256()));
  }

  @Test
  void theLogIdentityMayNotChange() {
    TrustPolicy moved =
        TestGovernance.next(
            genesis,
            d ->
                new PolicyDocument(
                    d.format(),
                    d.serial(),
                    d.consortium(),
                    d.profile(),
                    LogKeys.generate(TestConsortium.CA_ID, 1).toDocument(),
                    d.quorum(),
                    d.checkpoints(),
                    d.landmarks(),
                    d.validity(),
                    d.algorithms(),
                    d.members(),
                    d.lifecycle(),
                    d.governance()));
    assertThatThrownBy(
            () -> PolicyChain.checkProposal(genesis, moved.documentBytes(), genesis.sha256()))
        .hasMessageContaining("log-changed: the log's identity may not change by governance");
  }

  @Test
  void theConsortiumMayNotChange() {
    TrustPolicy renamed =
        TestGovernance.next(
            genesis,
            d ->
                new PolicyDocument(
                    d.format(),
                    d.serial(),
                    "another",
                    d.profile(),
                    d.log(),
                    d.quorum(),
                    d.checkpoints(),
                    d.landmarks(),
                    d.validity(),
                    d.algorithms(),
                    d.members(),
                    d.lifecycle(),
                    d.governance()));
    assertThatThrownBy(
            () -> PolicyChain.checkProposal(genesis, renamed.documentBytes(), genesis.sha256()))
        .hasMessage("consortium-changed: expected consortium 'test-consortium', found 'another'");
  }

  @Test
  void anInvalidDocumentIsRefusedWithTheFieldNamed() {
    byte[] bad =
        genesis
            .document()
            .withSerial(2)
            .withQuorum(new PolicyDocument.Quorum(9, 2))
            .toYaml()
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PolicyChain.checkProposal(genesis, bad, genesis.sha256()))
        .hasMessageContaining("invalid-policy")
        .hasMessageContaining("quorum.endorsements");
  }

  @Test
  void aChainVerifiesStepByStepAndTheHistoryAnswersByPosition() throws Exception {
    TrustPolicy p2 = admitMallory();
    PolicyChange c2 =
        change(
            genesis,
            p2,
            10,
            4,
            List.of(
                TestGovernance.approve(m("vendor-a"), genesis, p2),
                TestGovernance.approve(m("operator-c"), genesis, p2)));
    TrustPolicy p3 = TestGovernance.next(p2, d -> d.withQuorum(new PolicyDocument.Quorum(3, 2)));
    // Serial 2 has four members: governance quorum 3, and the new member now counts.
    PolicyChange c3 =
        change(
            p2,
            p3,
            25,
            4,
            List.of(
                TestGovernance.approve(tc.outsider(), p2, p3),
                TestGovernance.approve(m("operator-b"), p2, p3),
                TestGovernance.approve(m("operator-c"), p2, p3)));
    PolicyHistory h = PolicyChain.verify(genesis, List.of(c2, c3), SIG);
    assertThat(h.latest().serial()).isEqualTo(3);
    assertThat(h.latest().endorsementQuorum()).isEqualTo(3);
    assertThat(h.at(0).serial()).isEqualTo(1);
    assertThat(h.at(9).serial()).isEqualTo(1);
    assertThat(h.at(10).serial()).isEqualTo(2);
    assertThat(h.at(24).serial()).isEqualTo(2);
    assertThat(h.at(25).serial()).isEqualTo(3);
    assertThat(h.atStatus(3).serial()).isEqualTo(1);
    assertThat(h.atStatus(4).serial()).as("both changes at status 4: the newest").isEqualTo(3);
    assertThat(h.bySerial(2)).map(e -> e.policy().sha256()).contains(p2.sha256());
    assertThat(h.changes()).containsExactly(c2, c3);
    // The same records give the same history.
    assertThat(PolicyChain.verify(genesis, List.of(c2, c3), SIG).toString())
        .isEqualTo(h.toString());

    // Skipping a step, or a serial-3 change approved by too few, is refused.
    assertThatThrownBy(() -> PolicyChain.verify(genesis, List.of(c3), SIG))
        .hasMessageStartingWith("wrong-previous");
    PolicyChange weak =
        change(
            p2,
            p3,
            25,
            4,
            List.of(
                TestGovernance.approve(m("operator-b"), p2, p3),
                TestGovernance.approve(m("operator-c"), p2, p3)));
    assertThatThrownBy(() -> PolicyChain.verify(genesis, List.of(c2, weak), SIG))
        .hasMessageContaining("no-quorum: policy serial 3 needs 3");
    PolicyChange backwards = change(p2, p3, 9, 4, c3.approvals());
    assertThatThrownBy(() -> PolicyChain.verify(genesis, List.of(c2, backwards), SIG))
        .hasMessageContaining("position-regressed");
  }

  @Test
  void aChangeWhoseHashIsNotItsDocumentsIsRefused() {
    TrustPolicy p2 = admitMallory();
    PolicyChange lying =
        new PolicyChange(
            2,
            p2.documentBytes(),
            genesis.sha256(),
            genesis.sha256(),
            1,
            0,
            List.of(
                TestGovernance.approve(m("vendor-a"), genesis, p2),
                TestGovernance.approve(m("operator-c"), genesis, p2)),
            0);
    assertThatThrownBy(() -> PolicyChain.verify(genesis, List.of(lying), SIG))
        .hasMessageContaining(
            "hash-mismatch: policy serial 2: expected SHA-256 of the document "
                + Base64.getEncoder().encodeToString(p2.sha256()));
  }

  @Test
  void aRemovedMembersApprovalNoLongerCounts() throws Exception {
    TrustPolicy p2 =
        TestGovernance.next(
            genesis,
            d ->
                d.withMembers(
                        d.members().stream().filter(x -> !x.id().equals("operator-c")).toList())
                    .withQuorum(new PolicyDocument.Quorum(2, 2)));
    PolicyChange c2 =
        change(
            genesis,
            p2,
            1,
            0,
            List.of(
                TestGovernance.approve(m("vendor-a"), genesis, p2),
                TestGovernance.approve(m("operator-b"), genesis, p2)));
    PolicyHistory h = PolicyChain.verify(genesis, List.of(c2), SIG);
    TrustPolicy p3 = TestGovernance.next(p2, d -> d.withQuorum(new PolicyDocument.Quorum(1, 1)));
    GovernanceQuorum.Tally t =
        GovernanceQuorum.tally(
            h.latest(),
            3,
            p3.sha256(),
            List.of(
                TestGovernance.approve(m("operator-c"), p2, p3),
                TestGovernance.approve(m("vendor-a"), p2, p3)),
            SIG);
    assertThat(t.counted()).containsExactly("vendor-a");
    assertThat(t.refused()).singleElement().asString().contains("operator-c: not a member");
  }
}
