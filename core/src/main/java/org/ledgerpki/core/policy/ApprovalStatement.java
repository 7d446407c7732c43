package org.ledgerpki.core.policy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.ledgerpki.core.Sha256;

/**
 * What a member signs to approve the next version of the trust policy (docs/governance.md): UTF-8
 * text, each line ending with {@code "\n"}:
 *
 * <pre>
 * ledger-pki policy approval v1
 * &lt;consortium&gt;
 * &lt;serial of the proposed policy, decimal&gt;
 * &lt;base64 SHA-256 of the current (previous) policy document&gt;
 * &lt;base64 SHA-256 of the proposed policy document&gt;
 * &lt;member id&gt;
 * </pre>
 *
 * signed with one of the member's submission keys in the current policy. A proposal carries its
 * proposer's approval.
 *
 * @param consortium the consortium name of the current policy; no line break
 * @param serial the proposed policy's serial (the current one's + 1)
 * @param previousPolicySha256 SHA-256 of the current policy's document (32 bytes)
 * @param policySha256 SHA-256 of the proposed policy's document (32 bytes)
 * @param member the approving member's id; no line break
 */
public record ApprovalStatement(
    String consortium,
    long serial,
    byte[] previousPolicySha256,
    byte[] policySha256,
    String member) {

  /** The first line, the statement's version. */
  public static final String HEADER = "ledger-pki policy approval v1";

  /**
   * @throws IllegalArgumentException if a string holds a line break, a hash is not 32 bytes or the
   *     serial is below 2
   */
  public ApprovalStatement {
    if (consortium.indexOf('\n') >= 0 || member.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("consortium and member may not hold a line break");
    }
    if (previousPolicySha256.length != Sha256.SIZE || policySha256.length != Sha256.SIZE) {
      throw new IllegalArgumentException("policy hashes must be 32 bytes");
    }
    if (serial < 2) {
      throw new IllegalArgumentException(
          "a proposed policy's serial is at least 2, found " + serial);
    }
    previousPolicySha256 = previousPolicySha256.clone();
    policySha256 = policySha256.clone();
  }

  /**
   * The statement by {@code member} approving {@code proposed} as the successor of {@code current}.
   */
  public static ApprovalStatement of(TrustPolicy current, TrustPolicy proposed, String member) {
    return new ApprovalStatement(
        current.consortium(), proposed.serial(), current.sha256(), proposed.sha256(), member);
  }

  @Override
  public byte[] previousPolicySha256() {
    return previousPolicySha256.clone();
  }

  @Override
  public byte[] policySha256() {
    return policySha256.clone();
  }

  /** The statement as text, each line ending with a newline. */
  public String text() {
    Base64.Encoder b = Base64.getEncoder();
    return HEADER
        + "\n"
        + consortium
        + "\n"
        + serial
        + "\n"
        + b.encodeToString(previousPolicySha256)
        + "\n"
        + b.encodeToString(policySha256)
        + "\n"
        + member
        + "\n";
  }

  /** The bytes that are signed: {@link #text()} in UTF-8. */
  public byte[] encode() {
    return text().getBytes(StandardCharsets.UTF_8);
  }
}
