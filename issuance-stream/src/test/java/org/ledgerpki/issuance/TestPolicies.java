package org.ledgerpki.issuance;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestConsortium;

/** Variants of {@link TestConsortium}'s policy (k = 2 of 3 validators, seed profile). */
final class TestPolicies {
  private TestPolicies() {}

  static PolicyDocument base() {
    return TestConsortium.get().document(2, 2, "seed");
  }

  static TrustPolicy check(PolicyDocument d) {
    try {
      return TrustPolicyReader.of(d, "test-policy");
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base policy with checkpoints every {@code interval} or {@code maxBatch} entries. */
  static PolicyDocument checkpoints(PolicyDocument d, String interval, int maxBatch) {
    return new PolicyDocument(
        d.format(),
        d.serial(),
        d.consortium(),
        d.profile(),
        d.log(),
        d.quorum(),
        new PolicyDocument.Checkpoints(interval, maxBatch),
        d.landmarks(),
        d.validity(),
        d.algorithms(),
        d.members());
  }

  /** The base policy with the checkpoint cadence and heartbeat and freshness bound given. */
  static PolicyDocument checkpoints(
      PolicyDocument d, String interval, int maxBatch, String heartbeat, String maxAge) {
    return new PolicyDocument(
        d.format(),
        d.serial(),
        d.consortium(),
        d.profile(),
        d.log(),
        d.quorum(),
        new PolicyDocument.Checkpoints(interval, maxBatch, heartbeat, maxAge),
        d.landmarks(),
        d.validity(),
        d.algorithms(),
        d.members());
  }

  /** The policy with a {@code lifecycle} block. */
  static PolicyDocument lifecycle(PolicyDocument d, Integer nonOwnerQuorum, String window) {
    return new PolicyDocument(
        d.format(),
        d.serial(),
        d.consortium(),
        d.profile(),
        d.log(),
        d.quorum(),
        d.checkpoints(),
        d.landmarks(),
        d.validity(),
        d.algorithms(),
        d.members(),
        new PolicyDocument.Lifecycle(nonOwnerQuorum, window));
  }

  /** The policy with the log {@code keys} (for example without an ML-DSA-44 key). */
  static PolicyDocument log(PolicyDocument d, LogKeys keys) {
    return new PolicyDocument(
        d.format(),
        d.serial(),
        d.consortium(),
        d.profile(),
        keys.toDocument(),
        d.quorum(),
        d.checkpoints(),
        d.landmarks(),
        d.validity(),
        d.algorithms(),
        d.members());
  }

  /** The policy in which {@code memberId} keeps its other roles but no longer validates. */
  static PolicyDocument withoutValidator(PolicyDocument d, String memberId) {
    List<PolicyDocument.MemberDoc> members = new ArrayList<>();
    for (PolicyDocument.MemberDoc m : d.members()) {
      if (m.id().equals(memberId)) {
        List<String> roles = m.roles().stream().filter(r -> !r.equals("validator")).toList();
        m =
            new PolicyDocument.MemberDoc(
                m.id(),
                m.name(),
                m.organization(),
                m.plmns(),
                roles,
                m.submissionKeys(),
                m.endorsementKeys(),
                m.cosigner());
      }
      members.add(m);
    }
    return new PolicyDocument(
        d.format(),
        d.serial(),
        d.consortium(),
        d.profile(),
        d.log(),
        d.quorum(),
        d.checkpoints(),
        d.landmarks(),
        d.validity(),
        d.algorithms(),
        members);
  }
}
