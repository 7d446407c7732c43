package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerificationException;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;

/**
 * What a {@code COSIGNED} landmark must be before the index holds it: a landmark (number at least
 * 1, tree size after the previous one, at least one subtree), and each of its subtrees signed, with
 * timestamp 0, by as many distinct cosigners as a policy of the node's verified chain requires
 * (their ML-DSA-44 {@code subtree/v1} keys, {@link QuorumCosignerPolicy}): what a relying party
 * checks before it trusts a landmark's subtrees.
 *
 * <p>The index keeps the first landmark of each number, so without this check anyone who can write
 * {@code ledger.landmarks} (a mirror's cluster) could put a landmark of the right number and the
 * wrong size first, its subtree hashes computed from the public entries, and the node would serve
 * it for good; relying parties would refuse what the node built on it. Each policy of the chain is
 * tried with its own cosigners and quorum, since the cosigners that signed a landmark are those of
 * the policy in force when it was cosigned. Used by the follower's thread only.
 */
final class LandmarkCheck {
  private final TrustBundle genesis;
  private final PolicyLedger policies;
  // By policy serial (-1: the genesis bundle without a chain): the cosigners' keys, parsed once.
  private final Map<Long, QuorumCosignerPolicy> quorums = new HashMap<>();

  /**
   * @param genesis the bundle of the node's trust policy
   * @param policies the verified chain, or null for the genesis policy alone
   */
  LandmarkCheck(TrustBundle genesis, PolicyLedger policies) {
    this.genesis = genesis;
    this.policies = policies;
  }

  /** Why {@code l} is not a cosigned landmark to hold, or null if it is. */
  String problem(Landmark l) {
    if (l.getNumber() < 1
        || l.getPreviousTreeSize() < 0
        || l.getTreeSize() <= l.getPreviousTreeSize()) {
      return "it has tree size " + l.getTreeSize() + " after " + l.getPreviousTreeSize();
    }
    if (l.getSubtrees().isEmpty()) {
      return "it has no subtrees";
    }
    String prefix = TrustAnchorId.NAME_PREFIX;
    if (!l.getOrigin().startsWith(prefix)) {
      return "its log origin is not an MTC log origin";
    }
    String logId = l.getOrigin().substring(prefix.length());
    if (policies == null) {
      return unsigned(l, logId, quorum(-1, () -> genesis));
    }
    String last = null;
    for (PolicyHistory.Entry e : policies.history().entries()) {
      TrustPolicy p = e.policy();
      last = unsigned(l, logId, quorum(p.serial(), () -> TrustBundle.fromPolicy(p)));
      if (last == null) {
        return null;
      }
    }
    return last;
  }

  /** Why a subtree of {@code l} lacks the cosignatures {@code quorum} requires; null if none. */
  private static String unsigned(Landmark l, String logId, QuorumCosignerPolicy quorum) {
    for (SignedSubtree s : l.getSubtrees()) {
      List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
      for (SubtreeSignature g : s.getSignatures()) {
        byte[] signature = Evidence.bytes(g.getSignature());
        if (signature != null && TrustAnchorId.isValid(g.getCosignerId())) {
          sigs.add(MtcProof.SubtreeSignature.of(g.getCosignerId(), signature));
        }
      }
      byte[] hash = Evidence.bytes(s.getHash());
      if (hash == null) {
        return "subtree [" + s.getStart() + ", " + s.getEnd() + ") has no hash";
      }
      try {
        quorum.check(new CosignedSubtree(logId, s.getStart(), s.getEnd(), hash), sigs);
      } catch (MtcVerificationException | IllegalArgumentException e) {
        return "subtree [" + s.getStart() + ", " + s.getEnd() + "): " + e.getMessage();
      }
    }
    return null;
  }

  private QuorumCosignerPolicy quorum(long serial, Supplier<TrustBundle> bundle) {
    return quorums.computeIfAbsent(
        serial,
        k -> {
          try {
            return new QuorumCosignerPolicy(bundle.get());
          } catch (MalformedInputException e) {
            throw new IllegalStateException(
                "the cosigner keys of policy serial " + serial + " do not parse", e);
          }
        });
  }
}
