package org.ledgerpki.core.policy;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.Signatures;

/**
 * Whether a proposed policy has the approvals it needs: at least {@link
 * TrustPolicy#governanceQuorum()} distinct members of the <em>current</em> policy, each signature
 * verifying over its {@link ApprovalStatement} with one of that member's submission keys in the
 * current policy. An approval by a non-member of the current policy (such as the member being
 * added) and a second approval by one member count zero. The one rule, used by the issuance stream,
 * cosigners, inquiry nodes and {@code ledgerpki trust update} alike (docs/governance.md).
 */
public final class GovernanceQuorum {
  private GovernanceQuorum() {}

  /**
   * The tally of a proposal's approvals.
   *
   * @param quorum the governance quorum of the current policy
   * @param counted the distinct members whose approval counts, in the order given
   * @param refused one line per approval that does not count, with the reason
   */
  public record Tally(int quorum, List<String> counted, List<String> refused) {
    public Tally {
      counted = List.copyOf(counted);
      refused = List.copyOf(refused);
    }

    /** Whether at least {@link #quorum()} distinct members approved. */
    public boolean reached() {
      return counted.size() >= quorum;
    }

    /** What is missing, e.g. "1 of 2 members approved (vendor-a); refused: ...". */
    public String shortfall() {
      return counted.size()
          + " of "
          + quorum
          + " members approved "
          + counted
          + (refused.isEmpty() ? "" : "; not counted: " + String.join("; ", refused));
    }
  }

  /**
   * Counts {@code approvals} of the policy with serial {@code serial} and hash {@code
   * proposedSha256} as the successor of {@code current}.
   *
   * @param signatures the signature provider (e.g. {@link Signatures#defaults()})
   */
  public static Tally tally(
      TrustPolicy current,
      long serial,
      byte[] proposedSha256,
      List<Approval> approvals,
      Signatures signatures) {
    Set<String> counted = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    for (Approval a : approvals) {
      if (counted.contains(a.member())) {
        refused.add(a.member() + ": a second approval by the same member counts once");
        continue;
      }
      Optional<String> fault = check(current, serial, proposedSha256, a, signatures);
      if (fault.isPresent()) {
        refused.add(a.member() + ": " + fault.get());
      } else {
        counted.add(a.member());
      }
    }
    return new Tally(current.governanceQuorum(), List.copyOf(counted), refused);
  }

  /**
   * Why one approval does not count, or empty if it does: its member must be a member of {@code
   * current} and its signature must verify over the {@link ApprovalStatement} with one of that
   * member's submission keys in {@code current}. Does not look at other approvals (duplicates are
   * {@link #tally}'s concern).
   */
  public static Optional<String> check(
      TrustPolicy current,
      long serial,
      byte[] proposedSha256,
      Approval approval,
      Signatures signatures) {
    Optional<TrustPolicy.Member> member = current.member(approval.member());
    if (member.isEmpty()) {
      return Optional.of(
          "not a member of the current policy (serial "
              + current.serial()
              + "); members are "
              + current.members().stream().map(TrustPolicy.Member::id).toList());
    }
    List<PublicKey> keys = member.get().submissionKeys();
    if (keys.isEmpty()) {
      return Optional.of("has no submission key in the current policy to approve with");
    }
    if (serial < 2 || proposedSha256.length != 32 || approval.member().indexOf('\n') >= 0) {
      return Optional.of("malformed proposal (serial " + serial + ")");
    }
    byte[] statement =
        new ApprovalStatement(
                current.consortium(), serial, current.sha256(), proposedSha256, approval.member())
            .encode();
    for (PublicKey key : keys) {
      try {
        if (signatures.verify(key, statement, approval.signature())) {
          return Optional.empty();
        }
      } catch (CryptoException e) {
        // An unusable key in the policy does not verify; another key may.
      }
    }
    return Optional.of(
        "signature does not verify with any of its submission keys in the current policy"
            + " (serial "
            + current.serial()
            + ", approving policy hash "
            + Hex.encode(proposedSha256)
            + ")");
  }
}
