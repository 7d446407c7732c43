package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;

/**
 * A COSIGNED landmark is held only if each of its subtrees carries the cosignatures a policy of the
 * node's chain requires: what a writer without the cosigners' keys cannot forge.
 */
class LandmarkCheckTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final String ORIGIN = TC.policy().log().origin();
  private static final byte[] H = Sha256.hash(new byte[] {1});

  private static SignedSubtree subtree(long start, long end, byte[] hash, List<MemberKeys> by) {
    List<SubtreeSignature> sigs = new ArrayList<>();
    for (MemberKeys m : by) {
      sigs.add(
          SubtreeSignature.newBuilder()
              .setCosigner(m.id())
              .setCosignerId(m.trustAnchorId())
              .setSignature(
                  ByteBuffer.wrap(m.mlDsaCosigner().signSubtree(ORIGIN, start, end, hash)))
              .build());
    }
    return SignedSubtree.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setHash(ByteBuffer.wrap(hash))
        .setSignatures(sigs)
        .build();
  }

  private static Landmark landmark(long number, long previous, long size, SignedSubtree... s) {
    return Landmark.newBuilder()
        .setOrigin(ORIGIN)
        .setNumber(number)
        .setPreviousTreeSize(previous)
        .setTreeSize(size)
        .setState(LandmarkState.COSIGNED)
        .setSubtrees(List.of(s))
        .setAllocatedAt(Instant.ofEpochMilli(1))
        .build();
  }

  private static List<MemberKeys> members(String... ids) {
    return List.of(ids).stream().map(TC::member).toList();
  }

  @Test
  void aQuorumOfTheCosignersOnEverySubtreeIsHeldAndAnythingLessIsRefused() {
    LandmarkCheck check = new LandmarkCheck(TrustBundle.fromPolicy(TC.policy()), null);
    List<MemberKeys> two = members("vendor-a", "operator-b");
    assertThat(check.problem(landmark(1, 0, 4, subtree(0, 4, H, two)))).isNull();
    assertThat(
            check.problem(
                landmark(2, 4, 6, subtree(4, 6, H, two), subtree(6, 7, H, members("vendor-a")))))
        .as("the second subtree signed by one cosigner of two")
        .contains("subtree [6, 7)")
        .contains("1 valid cosignature(s) [")
        .contains("the policy requires 2");
    assertThat(check.problem(landmark(1, 0, 4, subtree(0, 4, H, List.of()))))
        .contains("0 valid cosignature(s)");
    SignedSubtree otherHash = subtree(0, 4, H, two);
    otherHash.setHash(ByteBuffer.wrap(Sha256.hash(new byte[] {2})));
    assertThat(check.problem(landmark(1, 0, 4, otherHash)))
        .as("signatures over another hash")
        .contains("0 valid cosignature(s)");
    SignedSubtree otherRange = subtree(0, 4, H, two);
    otherRange.setEnd(2);
    assertThat(check.problem(landmark(1, 0, 2, otherRange)))
        .as("signatures over another range")
        .contains("0 valid cosignature(s)");
    assertThat(
            check.problem(
                landmark(1, 0, 4, subtree(0, 4, H, List.of(TC.member("vendor-a"), TC.outsider())))))
        .as("a key the policy does not name")
        .contains("1 valid cosignature(s)");
  }

  @Test
  void whatIsNoLandmarkIsRefusedBeforeAnySignatureIsChecked() {
    LandmarkCheck check = new LandmarkCheck(TrustBundle.fromPolicy(TC.policy()), null);
    List<MemberKeys> two = members("vendor-a", "operator-b");
    assertThat(check.problem(landmark(0, 0, 4, subtree(0, 4, H, two)))).contains("tree size");
    assertThat(check.problem(landmark(1, 4, 4, subtree(0, 4, H, two)))).contains("tree size");
    assertThat(check.problem(landmark(1, 0, 4))).isEqualTo("it has no subtrees");
    Landmark foreign = landmark(1, 0, 4, subtree(0, 4, H, two));
    foreign.setOrigin("example.com/log");
    assertThat(check.problem(foreign)).contains("not an MTC log origin");
  }

  /**
   * A landmark cosigned under a later policy of the chain (a member added, with its cosigner key)
   * is held once the node holds that policy, and not before.
   */
  @Test
  void aLandmarkCosignedUnderALaterPolicyOfTheChainIsHeldOnceTheChainHasIt() {
    TrustPolicy p1 = TC.policy();
    MemberKeys added = TC.outsider();
    TrustPolicy p2 = TestGovernance.adding(p1, added);
    PolicyLedger chain = new PolicyLedger(p1, Signatures.defaults());
    LandmarkCheck check = new LandmarkCheck(TrustBundle.fromPolicy(p1), chain);
    Landmark byTheNewSet =
        landmark(1, 0, 4, subtree(0, 4, H, List.of(TC.member("vendor-a"), added)));
    assertThat(check.problem(byTheNewSet)).contains("1 valid cosignature(s)");
    PolicyChange change =
        new PolicyChange(
            p2.serial(),
            p2.documentBytes(),
            p2.sha256(),
            p1.sha256(),
            5,
            0,
            List.of(
                TestGovernance.approve(TC.member("vendor-a"), p1, p2),
                TestGovernance.approve(TC.member("operator-b"), p1, p2)),
            1L);
    assertThat(chain.apply(Governance.toAvro(change))).as("the chain takes p2").isTrue();
    assertThat(check.problem(byTheNewSet)).isNull();
    assertThat(check.problem(landmark(1, 0, 4, subtree(0, 4, H, members("vendor-a")))))
        .as("still one short under every policy")
        .contains("valid cosignature(s)");
  }
}
