package org.ledgerpki.core.policy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;

/**
 * Which trust policy a checkpoint was issued under, as one extension line of the log's C2SP
 * checkpoint, after the status line: {@code ledger-pki-policy <serial> <base64 policySha256>}
 * (docs/governance.md). Ed25519 {@code cosignature/v1} signatures cover it, so a cosigned
 * checkpoint binds the policy its entries were decided under; cosigners refuse a checkpoint naming
 * a policy they cannot verify from the genesis policy.
 *
 * @param serial the policy's serial, at least 1
 * @param policySha256 SHA-256 of the policy document (32 bytes)
 */
public record PolicyCommitment(long serial, byte[] policySha256) {
  /** The line's prefix, with its trailing space. */
  public static final String PREFIX = "ledger-pki-policy ";

  /**
   * @throws IllegalArgumentException if {@code serial < 1} or the hash is not 32 bytes
   */
  public PolicyCommitment {
    if (serial < 1) {
      throw new IllegalArgumentException("policy serial must be at least 1, found " + serial);
    }
    if (policySha256.length != Sha256.SIZE) {
      throw new IllegalArgumentException(
          "policy hash must be 32 bytes, found " + policySha256.length);
    }
    policySha256 = policySha256.clone();
  }

  /** The commitment to {@code policy}: its serial and document hash. */
  public static PolicyCommitment of(TrustPolicy policy) {
    return new PolicyCommitment(policy.serial(), policy.sha256());
  }

  @Override
  public byte[] policySha256() {
    return policySha256.clone();
  }

  /** Whether this names {@code policy} (same serial and same document hash). */
  public boolean names(TrustPolicy policy) {
    return serial == policy.serial() && Arrays.equals(policySha256, policy.sha256());
  }

  /** The extension line, without a newline. */
  public String extensionLine() {
    return PREFIX + serial + " " + Base64.getEncoder().encodeToString(policySha256);
  }

  /**
   * The policy commitment among a checkpoint's extension lines, if there is one.
   *
   * @throws MalformedInputException if a line has the prefix but is not {@code <serial> <base64
   *     32-byte hash>} (a decimal serial of at least 1 without leading zeros), or if two lines have
   *     the prefix
   */
  public static Optional<PolicyCommitment> find(List<String> extensions)
      throws MalformedInputException {
    PolicyCommitment found = null;
    for (String line : extensions) {
      if (!line.startsWith(PREFIX)) {
        continue;
      }
      if (found != null) {
        throw new MalformedInputException("checkpoint has two ledger-pki-policy lines");
      }
      String[] f = line.substring(PREFIX.length()).split(" ", -1);
      try {
        if (f.length != 2 || f[0].isEmpty() || f[0].startsWith("0") || !f[0].matches("[0-9]+")) {
          throw new IllegalArgumentException("expected '<serial> <base64 hash>'");
        }
        found = new PolicyCommitment(Long.parseLong(f[0]), Base64.getDecoder().decode(f[1]));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException(
            "checkpoint extension line '"
                + line
                + "' is not a policy commitment: "
                + e.getMessage());
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyCommitment c
        && c.serial == serial
        && Arrays.equals(c.policySha256, policySha256);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(serial) * 31 + Arrays.hashCode(policySha256);
  }

  @Override
  public String toString() {
    return extensionLine();
  }
}
