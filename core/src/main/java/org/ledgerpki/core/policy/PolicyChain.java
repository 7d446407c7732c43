package org.ledgerpki.core.policy;

import static org.ledgerpki.core.policy.GovernanceException.Reason;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Signatures;

/**
 * The rules of a policy change (docs/governance.md), one place for every party: a change from
 * policy P (serial s) to Q holds iff Q parses and passes every {@link TrustPolicy} check, Q's
 * serial is s + 1, Q names the same consortium and the same log (CA ID, number, origin and keys:
 * the log's identity is not changed by governance), the change names P's hash as the previous one,
 * and at least P's governance quorum of distinct members of P approved it ({@link
 * GovernanceQuorum}).
 *
 * <p>Pure and stateless; thread-safe.
 */
public final class PolicyChain {
  private PolicyChain() {}

  /**
   * Checks a proposed successor of {@code current} without its approvals: everything but the
   * quorum. The issuance stream refuses a proposal that fails here before collecting approvals.
   *
   * @param document the proposed policy's exact bytes
   * @param previousPolicySha256 the hash the proposal names as its predecessor's
   * @return the proposed policy, checked
   * @throws GovernanceException naming the broken rule, with expected and found values
   */
  public static TrustPolicy checkProposal(
      TrustPolicy current, byte[] document, byte[] previousPolicySha256)
      throws GovernanceException {
    if (!Arrays.equals(previousPolicySha256, current.sha256())) {
      throw new GovernanceException(
          Reason.WRONG_PREVIOUS,
          "expected the previous policy hash "
              + b64(current.sha256())
              + " (serial "
              + current.serial()
              + "), found "
              + b64(previousPolicySha256));
    }
    TrustPolicy next;
    try {
      next = TrustPolicyReader.parse(document, "proposed policy");
    } catch (PolicyException e) {
      throw new GovernanceException(Reason.INVALID_POLICY, e.getMessage(), e);
    }
    if (next.serial() != current.serial() + 1) {
      throw new GovernanceException(
          Reason.WRONG_SERIAL,
          "expected serial " + (current.serial() + 1) + ", found " + next.serial());
    }
    if (!next.consortium().equals(current.consortium())) {
      throw new GovernanceException(
          Reason.CONSORTIUM_CHANGED,
          "expected consortium '" + current.consortium() + "', found '" + next.consortium() + "'");
    }
    TrustPolicy.LogIdentity a = current.log();
    TrustPolicy.LogIdentity b = next.log();
    String changed = null;
    if (!a.caId().equals(b.caId()) || a.number() != b.number()) {
      changed = "log.caId/number: expected " + a.origin() + ", found " + b.origin();
    } else if (!a.vkey().equals(b.vkey())) {
      changed = "log.key: expected " + a.vkey() + ", found " + b.vkey();
    } else if (!java.util.Objects.equals(a.mldsaVkey(), b.mldsaVkey())) {
      changed =
          "log.mldsaKey: expected the vkey with SHA-256 "
              + digest(a.mldsaVkey())
              + ", found "
              + digest(b.mldsaVkey());
    }
    if (changed != null) {
      throw new GovernanceException(
          Reason.LOG_CHANGED, "the log's identity may not change by governance: " + changed);
    }
    return next;
  }

  /**
   * Checks a whole change: {@link #checkProposal} and then the approvals ({@link
   * GovernanceQuorum#tally}).
   *
   * @return the new policy, checked
   * @throws GovernanceException naming the broken rule; {@link Reason#NO_QUORUM} says who counted
   *     and why the others did not
   */
  public static TrustPolicy validate(
      TrustPolicy current,
      byte[] document,
      byte[] previousPolicySha256,
      List<Approval> approvals,
      Signatures signatures)
      throws GovernanceException {
    TrustPolicy next = checkProposal(current, document, previousPolicySha256);
    GovernanceQuorum.Tally t =
        GovernanceQuorum.tally(current, next.serial(), next.sha256(), approvals, signatures);
    if (!t.reached()) {
      throw new GovernanceException(
          Reason.NO_QUORUM,
          "policy serial " + next.serial() + " needs " + t.quorum() + ": " + t.shortfall());
    }
    return next;
  }

  /**
   * Checks one sequenced change against {@code current}: its hash is SHA-256 of its document, it is
   * a valid change ({@link #validate}), and it does not apply from a position before {@code
   * notBeforeIndex} / {@code notBeforeStatus} (the predecessor's).
   *
   * @return the new policy, checked
   * @throws GovernanceException naming the broken rule
   */
  public static TrustPolicy verifyStep(
      TrustPolicy current,
      PolicyChange change,
      long notBeforeIndex,
      long notBeforeStatus,
      Signatures signatures)
      throws GovernanceException {
    byte[] document = change.document();
    byte[] hash = Sha256.hash(document);
    if (!Arrays.equals(hash, change.policySha256())) {
      throw new GovernanceException(
          Reason.HASH_MISMATCH,
          "policy serial "
              + change.serial()
              + ": expected SHA-256 of the document "
              + b64(hash)
              + ", found "
              + b64(change.policySha256()));
    }
    TrustPolicy next =
        validate(current, document, change.previousPolicySha256(), change.approvals(), signatures);
    if (next.serial() != change.serial()) {
      throw new GovernanceException(
          Reason.WRONG_SERIAL,
          "the change names serial " + change.serial() + ", its document " + next.serial());
    }
    if (change.effectiveIndex() < notBeforeIndex
        || change.effectiveStatusSequence() < notBeforeStatus) {
      throw new GovernanceException(
          Reason.POSITION_REGRESSED,
          "policy serial "
              + change.serial()
              + " applies from index "
              + change.effectiveIndex()
              + " / status "
              + change.effectiveStatusSequence()
              + ", expected at least "
              + notBeforeIndex
              + " / "
              + notBeforeStatus);
    }
    return next;
  }

  /**
   * Verifies a chain of changes from {@code genesis}, step by step, each against the previous
   * policy's members. This is what cosigners, inquiry nodes and {@code ledgerpki trust update} use.
   *
   * @param changes serial genesis + 1, genesis + 2, ... in order
   * @return the history, genesis first
   * @throws GovernanceException at the first step that does not hold
   */
  public static PolicyHistory verify(
      TrustPolicy genesis, List<PolicyChange> changes, Signatures signatures)
      throws GovernanceException {
    PolicyHistory h = PolicyHistory.genesis(genesis);
    for (PolicyChange c : changes) {
      h = h.extend(c, signatures);
    }
    return h;
  }

  private static String digest(String vkey) {
    return vkey == null
        ? "(none)"
        : org.ledgerpki.core.Hex.encode(
            Sha256.hash(vkey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
