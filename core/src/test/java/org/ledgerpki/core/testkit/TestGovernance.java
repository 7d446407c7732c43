package org.ledgerpki.core.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.ApprovalStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;

/**
 * Helpers for governance tests: the next version of a policy and members' signed approvals of it
 * (what {@code ledgerpki policy approve} produces).
 */
public final class TestGovernance {
  private TestGovernance() {}

  /** {@code current}'s document changed by {@code edit}, with serial {@code current + 1}. */
  public static TrustPolicy next(TrustPolicy current, UnaryOperator<PolicyDocument> edit) {
    PolicyDocument d = edit.apply(current.document()).withSerial(current.serial() + 1);
    return parse(d.toYaml().getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a document's bytes, as a party reading the ledger does. */
  public static TrustPolicy parse(byte[] bytes) {
    try {
      return TrustPolicyReader.parse(bytes, "test proposal");
    } catch (PolicyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code current} with {@code member} added (its public entry and domain). */
  public static TrustPolicy adding(TrustPolicy current, MemberKeys member) {
    return next(
        current,
        d -> {
          List<PolicyDocument.MemberDoc> m = new java.util.ArrayList<>(d.members());
          m.add(member.toDocument().withDomains(List.of(TestConsortium.domain(member.id()))));
          return d.withMembers(m);
        });
  }

  /** {@code current} with member {@code id}'s endorsement key replaced by {@code key}. */
  public static TrustPolicy rotatingEndorsementKey(
      TrustPolicy current, String id, java.security.KeyPair key) {
    String spki = java.util.Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    return next(current, d -> d.withMember(id, m -> m.withEndorsementKeys(List.of(spki))));
  }

  /** {@code current} with member {@code id}'s submission key replaced by {@code key}. */
  public static TrustPolicy rotatingSubmissionKey(
      TrustPolicy current, String id, java.security.KeyPair key) {
    String spki = java.util.Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    return next(current, d -> d.withMember(id, m -> m.withSubmissionKeys(List.of(spki))));
  }

  /** {@code current} with the cosigner identity of {@code rotated} (its public keys). */
  public static TrustPolicy rotatingCosignerKeys(TrustPolicy current, MemberKeys rotated) {
    return next(
        current,
        d -> d.withMember(rotated.id(), m -> m.withCosigner(rotated.toDocument().cosigner())));
  }

  /** {@code signer}'s approval of {@code proposed} as the successor of {@code current}. */
  public static Approval approve(MemberKeys signer, TrustPolicy current, TrustPolicy proposed) {
    return approveAs(signer, signer.id(), current, proposed);
  }

  /** An approval in the name of {@code memberId}, signed with {@code signer}'s submission key. */
  public static Approval approveAs(
      MemberKeys signer, String memberId, TrustPolicy current, TrustPolicy proposed) {
    byte[] statement =
        new ApprovalStatement(
                current.consortium(),
                proposed.serial(),
                current.sha256(),
                proposed.sha256(),
                memberId)
            .encode();
    return new Approval(
        memberId,
        System.currentTimeMillis(),
        Signatures.defaults().sign(signer.submission().getPrivate(), statement));
  }
}
