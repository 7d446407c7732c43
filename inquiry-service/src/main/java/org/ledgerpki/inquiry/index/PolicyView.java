package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.List;

/**
 * A policy of the consortium's verified chain, as the inquiry node serves it: the genesis policy
 * the node is configured with, or a change read from {@code ledger.policy} that verified against
 * its predecessor (docs/governance.md).
 *
 * @param serial the policy's serial
 * @param document the policy document's exact bytes
 * @param sha256 SHA-256 of {@code document}
 * @param previousSha256 SHA-256 of the previous policy's document; null for the genesis policy
 * @param effectiveIndex the log size when the change was sequenced (0 for the genesis policy)
 * @param effectiveStatusSequence the status log's size then (0 for the genesis policy)
 * @param approvals the members' approvals that made the change (empty for the genesis policy)
 */
public record PolicyView(
    long serial,
    byte[] document,
    byte[] sha256,
    byte[] previousSha256,
    long effectiveIndex,
    long effectiveStatusSequence,
    List<Approval> approvals) {

  public PolicyView {
    approvals = List.copyOf(approvals);
  }

  /** One member's signed approval of the change. */
  public record Approval(String member, Instant signedAt, byte[] signature) {}
}
