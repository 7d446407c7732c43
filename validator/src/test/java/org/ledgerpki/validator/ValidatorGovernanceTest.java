package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * The validator follows {@code ledger.policy} (docs/governance.md): each change verified against
 * the previous policy, and submissions judged with the newest one, without a restart.
 */
class ValidatorGovernanceTest {
  private static final TestConsortium TC = TestConsortium.get();

  private static Submission issue(MemberKeys m, String name) {
    byte[] der =
        TestPki.vendor(SignatureAlgorithm.ED25519, TestConsortium.organization(m.id()), name).der();
    BatchSigner s =
        new BatchSigner(m.id(), m.submission().getPrivate(), m.submission().getPublic());
    return Submissions.issue(s, List.of(der), Instant.now()).get(0).submission();
  }

  private static PolicyChange change(
      TrustPolicy current, TrustPolicy next, long index, List<Approval> approvals) {
    return new PolicyChange(
        next.serial(),
        next.documentBytes(),
        next.sha256(),
        current.sha256(),
        index,
        0,
        approvals,
        System.currentTimeMillis());
  }

  @Test
  void aNewMemberValidatesOnlyAfterAVerifiedChangeAndARemovedOneNoLonger() {
    TrustPolicy genesis = TC.policy();
    MemberKeys mallory = TC.outsider();
    TrustPolicy p2 = TestGovernance.adding(genesis, mallory);
    try (ValidatorHarness h = new ValidatorHarness(genesis)) {
      assertThat(ValidatorHarness.codes(h.judge(issue(mallory, "m-before"))))
          .containsExactly(ReasonCode.NOT_A_MEMBER);

      // Approved by vendor-a alone: refused, and the validator keeps the genesis policy.
      h.policyChange(
          change(
              genesis, p2, 5, List.of(TestGovernance.approve(TC.member("vendor-a"), genesis, p2))));
      assertThat(h.holder.refused()).isEqualTo(1);
      assertThat(ValidatorHarness.codes(h.judge(issue(mallory, "m-forged"))))
          .containsExactly(ReasonCode.NOT_A_MEMBER);

      // Approved by two of three: in force, without a restart.
      h.policyChange(
          change(
              genesis,
              p2,
              5,
              List.of(
                  TestGovernance.approve(TC.member("vendor-a"), genesis, p2),
                  TestGovernance.approve(TC.member("operator-c"), genesis, p2))));
      assertThat(h.holder.latest().serial()).isEqualTo(2);
      assertThat(h.judge(issue(mallory, "m-after")).getVerdict()).isEqualTo(Verdict.ENDORSE);

      // Serial 3 removes operator-c, approved by three of the four members of serial 2.
      TrustPolicy p3 =
          TestGovernance.next(
              p2,
              d ->
                  d.withMembers(
                      d.members().stream().filter(x -> !x.id().equals("operator-c")).toList()));
      h.policyChange(
          change(
              p2,
              p3,
              9,
              List.of(
                  TestGovernance.approve(TC.member("vendor-a"), p2, p3),
                  TestGovernance.approve(TC.member("operator-b"), p2, p3),
                  TestGovernance.approve(mallory, p2, p3))));
      assertThat(h.holder.latest().serial()).isEqualTo(3);
      assertThat(ValidatorHarness.codes(h.judge(issue(TC.member("operator-c"), "c-removed"))))
          .containsExactly(ReasonCode.NOT_A_MEMBER);
      assertThat(h.holder.refused()).isEqualTo(1);
    }
  }
}
