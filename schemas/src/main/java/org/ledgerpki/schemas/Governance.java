package org.ledgerpki.schemas;

import static org.ledgerpki.schemas.Evidence.buffer;
import static org.ledgerpki.schemas.Evidence.bytes;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.ApprovalStatement;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.PolicyApproval;
import org.ledgerpki.schemas.avro.PolicyChange;

/**
 * Between the governance Avro records ({@link GovernanceAct}, {@link PolicyChange}) and core's
 * policy types ({@link Approval}, {@link org.ledgerpki.core.policy.PolicyChange}); see
 * docs/governance.md. Readers verify with {@link org.ledgerpki.core.policy.PolicyChain}.
 */
public final class Governance {
  private Governance() {}

  /** The Kafka key of a governance act or policy change: the serial, decimal. */
  public static String key(long serial) {
    return Long.toString(serial);
  }

  /** The approval a governance act carries (a proposal carries its proposer's). */
  public static Approval approval(GovernanceAct act) {
    return new Approval(
        act.getMember(), act.getSignedAt().toEpochMilli(), bytes(act.getSignature()));
  }

  /** A policy change record as core's type. */
  public static org.ledgerpki.core.policy.PolicyChange toCore(PolicyChange c) {
    return new org.ledgerpki.core.policy.PolicyChange(
        c.getSerial(),
        bytes(c.getDocument()),
        bytes(c.getPolicySha256()),
        bytes(c.getPreviousPolicySha256()),
        c.getEffectiveIndex(),
        c.getEffectiveStatusSequence(),
        c.getApprovals().stream()
            .map(
                a ->
                    new Approval(
                        a.getMember(), a.getSignedAt().toEpochMilli(), bytes(a.getSignature())))
            .toList(),
        c.getSequencedAt().toEpochMilli());
  }

  /** Core's policy change as the record written to {@code ledger.policy}. */
  public static PolicyChange toAvro(org.ledgerpki.core.policy.PolicyChange c) {
    return PolicyChange.newBuilder()
        .setSerial(c.serial())
        .setDocument(buffer(c.document()))
        .setPolicySha256(buffer(c.policySha256()))
        .setPreviousPolicySha256(buffer(c.previousPolicySha256()))
        .setEffectiveIndex(c.effectiveIndex())
        .setEffectiveStatusSequence(c.effectiveStatusSequence())
        .setApprovals(approvals(c.approvals()))
        .setSequencedAt(Instant.ofEpochMilli(c.sequencedAtMillis()))
        .build();
  }

  private static List<PolicyApproval> approvals(List<Approval> approvals) {
    return approvals.stream()
        .map(
            a ->
                PolicyApproval.newBuilder()
                    .setMember(a.member())
                    .setSignedAt(Instant.ofEpochMilli(a.signedAtMillis()))
                    .setSignature(buffer(a.signature()))
                    .build())
        .toList();
  }

  /**
   * A signed governance act by {@code member} about {@code proposed} as the successor of {@code
   * current}: a proposal (carrying {@code proposed}'s exact document bytes) if {@code proposal}, an
   * approval otherwise.
   *
   * @param key one of {@code member}'s submission keys in {@code current}
   */
  public static GovernanceAct act(
      TrustPolicy current,
      TrustPolicy proposed,
      String member,
      PrivateKey key,
      boolean proposal,
      Instant signedAt) {
    ApprovalStatement statement = ApprovalStatement.of(current, proposed, member);
    return GovernanceAct.newBuilder()
        .setActId(UUID.randomUUID().toString())
        .setMember(member)
        .setSerial(proposed.serial())
        .setPreviousPolicySha256(buffer(current.sha256()))
        .setPolicySha256(buffer(proposed.sha256()))
        .setDocument(proposal ? buffer(proposed.documentBytes()) : null)
        .setSignedAt(signedAt)
        .setSignature(buffer(Signatures.defaults().sign(key, statement.encode())))
        .build();
  }
}
