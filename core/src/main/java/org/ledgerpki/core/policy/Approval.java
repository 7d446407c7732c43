package org.ledgerpki.core.policy;

/**
 * A member's signed approval of a proposed policy: its {@link ApprovalStatement} signed with one of
 * its submission keys in the current policy.
 *
 * @param member the approving member's id
 * @param signedAtMillis when the member signed (epoch milliseconds; informative, not signed)
 * @param signature the signature over {@link ApprovalStatement#encode()}
 */
public record Approval(String member, long signedAtMillis, byte[] signature) {
  public Approval {
    java.util.Objects.requireNonNull(member, "member");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Approval a
        && a.member.equals(member)
        && a.signedAtMillis == signedAtMillis
        && java.util.Arrays.equals(a.signature, signature);
  }

  @Override
  public int hashCode() {
    return member.hashCode() * 31 + java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "Approval[" + member + "]";
  }
}
