package org.ledgerpki.core.policy;

import java.util.Arrays;
import java.util.List;

/**
 * A sequenced policy change as the issuance stream publishes it on {@code ledger.policy}
 * (docs/governance.md): the whole next policy document with its approvals, and the ledger position
 * from which it applies.
 *
 * @param serial the new policy's serial
 * @param document the new policy's exact document bytes
 * @param policySha256 SHA-256 of {@code document}
 * @param previousPolicySha256 SHA-256 of the policy it replaces
 * @param effectiveIndex the log size when the change was sequenced: entries with index {@code >=
 *     effectiveIndex} were decided under the new policy
 * @param effectiveStatusSequence the same for the status log
 * @param approvals the approvals that formed the governance quorum
 * @param sequencedAtMillis when the issuance stream sequenced it (epoch milliseconds)
 */
public record PolicyChange(
    long serial,
    byte[] document,
    byte[] policySha256,
    byte[] previousPolicySha256,
    long effectiveIndex,
    long effectiveStatusSequence,
    List<Approval> approvals,
    long sequencedAtMillis) {

  public PolicyChange {
    document = document.clone();
    policySha256 = policySha256.clone();
    previousPolicySha256 = previousPolicySha256.clone();
    approvals = List.copyOf(approvals);
  }

  @Override
  public byte[] document() {
    return document.clone();
  }

  @Override
  public byte[] policySha256() {
    return policySha256.clone();
  }

  @Override
  public byte[] previousPolicySha256() {
    return previousPolicySha256.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyChange c
        && c.serial == serial
        && Arrays.equals(c.document, document)
        && Arrays.equals(c.policySha256, policySha256)
        && Arrays.equals(c.previousPolicySha256, previousPolicySha256)
        && c.effectiveIndex == effectiveIndex
        && c.effectiveStatusSequence == effectiveStatusSequence
        && c.approvals.equals(approvals)
        && c.sequencedAtMillis == sequencedAtMillis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(serial) * 31 + Arrays.hashCode(policySha256);
  }

  @Override
  public String toString() {
    return "PolicyChange[serial "
        + serial
        + ", from index "
        + effectiveIndex
        + ", status "
        + effectiveStatusSequence
        + ", approved by "
        + approvals.stream().map(Approval::member).toList()
        + "]";
  }
}
