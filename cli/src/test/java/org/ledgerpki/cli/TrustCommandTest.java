package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.cli.RelyingPartyFixture.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.RelyingPartyFixture.Run;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * {@code ledgerpki trust update} follows the policy chain an inquiry node serves, verifying each
 * step offline; a forged step is refused by name and reason, and the bundle stays as it was.
 */
class TrustCommandTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final MemberKeys A = TC.member("vendor-a");
  private static final MemberKeys B = TC.member("operator-b");
  private static final MemberKeys C = TC.member("operator-c");
  private static final MemberKeys MALLORY = TC.outsider();

  @TempDir Path dir;
  private Path trust;
  private String before;
  private final TrustPolicy p1 = TC.policy();
  private final TrustPolicy p2 = TestGovernance.adding(p1, MALLORY);
  private final TrustPolicy p3 =
      TestGovernance.next(
          p2, d -> d.withQuorum(new PolicyDocument.Quorum(d.quorum().endorsements(), 3)));

  @BeforeEach
  void bundle() throws Exception {
    trust = dir.resolve("trust.json");
    before = TrustBundle.fromPolicy(p1).toJson();
    Files.writeString(trust, before);
  }

  private PolicyChange honest2() {
    return PolicyNodeDouble.change(
        p1, p2, List.of(TestGovernance.approve(A, p1, p2), TestGovernance.approve(B, p1, p2)), 5);
  }

  private PolicyChange honest3() {
    return PolicyNodeDouble.change(
        p2,
        p3,
        List.of(
            TestGovernance.approve(A, p2, p3),
            TestGovernance.approve(B, p2, p3),
            TestGovernance.approve(C, p2, p3)),
        9);
  }

  private Run update(PolicyNodeDouble node) {
    return run("trust", "update", "--node", node.url(), "--trust", trust.toString());
  }

  @Test
  void followsAnHonestChainAndSaysWhatChanged() throws Exception {
    try (PolicyNodeDouble node =
        new PolicyNodeDouble().genesis(p1).change(honest2()).change(honest3())) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      TrustBundle b = TrustBundle.parse(Files.readString(trust));
      assertThat(b.policySerial()).isEqualTo(3L);
      assertThat(b.policySha256()).isEqualTo(Hex.encode(p3.sha256()));
      assertThat(b.cosignerQuorum()).isEqualTo(3);
      assertThat(b).isEqualTo(TrustBundle.fromPolicy(p3));
      assertThat(r.out())
          .contains("policy serial 1 -> 3")
          .contains("2 change(s) verified")
          .contains("member added: mallory")
          .contains("m (cosignature quorum): 2 -> 3")
          .contains("bundle: cosignerQuorum 2 -> 3")
          .contains("bundle: cosigner key added");

      Run again = update(node);
      assertThat(again.code()).as("%s", again).isEqualTo(ExitCodes.OK);
      assertThat(again.out()).contains("is current: policy serial 3");
    }
  }

  @Test
  void refusesAStepApprovedByTooFew() throws Exception {
    PolicyChange tooFew =
        PolicyNodeDouble.change(
            p2,
            p3,
            List.of(TestGovernance.approve(A, p2, p3), TestGovernance.approve(B, p2, p3)),
            9);
    try (PolicyNodeDouble node =
        new PolicyNodeDouble().genesis(p1).change(honest2()).change(tooFew)) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("step 2 -> 3 does not verify")
          .contains("no-quorum")
          .contains("2 of 3 members approved")
          .contains("is unchanged");
      assertThat(Files.readString(trust)).isEqualTo(before);
    }
  }

  @Test
  void refusesAnAdmissionApprovedByTheMemberItAdmits() throws Exception {
    PolicyChange selfAdmitted =
        PolicyNodeDouble.change(
            p1,
            p2,
            List.of(TestGovernance.approve(A, p1, p2), TestGovernance.approve(MALLORY, p1, p2)),
            5);
    try (PolicyNodeDouble node = new PolicyNodeDouble().genesis(p1).change(selfAdmitted)) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("step 1 -> 2 does not verify")
          .contains("no-quorum")
          .contains("mallory: not a member of the current policy (serial 1)");
      assertThat(Files.readString(trust)).isEqualTo(before);
    }
  }

  @Test
  void refusesATamperedDocument() throws Exception {
    PolicyChange h = honest2();
    byte[] doc = h.document();
    doc[doc.length - 2] ^= 1;
    PolicyChange tampered =
        new PolicyChange(
            h.serial(),
            doc,
            h.policySha256(),
            h.previousPolicySha256(),
            h.effectiveIndex(),
            h.effectiveStatusSequence(),
            h.approvals(),
            0);
    try (PolicyNodeDouble node = new PolicyNodeDouble().genesis(p1).change(tampered)) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("step 1 -> 2 does not verify")
          .contains("hash-mismatch")
          .contains("expected SHA-256 of the document");
      assertThat(Files.readString(trust)).isEqualTo(before);
    }
  }

  @Test
  void refusesABasePolicyThatIsNotTheBundles() throws Exception {
    TrustPolicy other = TC.policy(2, 3, "seed");
    try (PolicyNodeDouble node = new PolicyNodeDouble().genesis(other)) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("the node's policy of serial 1 has sha256 " + Hex.encode(other.sha256()))
          .contains("the bundle names " + Hex.encode(p1.sha256()));
      assertThat(Files.readString(trust)).isEqualTo(before);
    }
  }

  @Test
  void aBundleWithoutAPolicyIsTakenAsGenesisOnlyIfItTrustsWhatGenesisImplies() throws Exception {
    Files.writeString(trust, TrustBundle.fromPolicy(p1).withPolicy(null, null).toJson());
    try (PolicyNodeDouble node = new PolicyNodeDouble().genesis(p1).change(honest2())) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains("policy serial unknown (taken as 1) -> 2");
      assertThat(TrustBundle.parse(Files.readString(trust)).policySerial()).isEqualTo(2L);
    }
    String foreign =
        TrustBundle.fromPolicy(TC.policy(2, 1, "seed")).withPolicy(null, null).toJson();
    Files.writeString(trust, foreign);
    try (PolicyNodeDouble node = new PolicyNodeDouble().genesis(p1).change(honest2())) {
      Run r = update(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("is not what the node's policy of serial 1 implies");
      assertThat(Files.readString(trust)).isEqualTo(foreign);
    }
  }

  @Test
  void anUnreachableNodeIsExit7AndLeavesTheBundle() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r =
        run("trust", "update", "--node", "http://127.0.0.1:" + port, "--trust", trust.toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(Files.readString(trust)).isEqualTo(before);
  }
}
