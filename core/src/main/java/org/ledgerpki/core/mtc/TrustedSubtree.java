package org.ledgerpki.core.mtc;

import java.util.Arrays;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.Subtrees;

/**
 * A subtree a relying party trusts without signatures (draft, "Trusted Subtrees"): an active
 * landmark subtree whose hash it obtained, with assurance of consistency, out of band.
 *
 * @param logNumber the log, 1 to 65535
 * @param start the subtree's first index
 * @param end one past its last index
 * @param hash {@code MTH(D[start:end])}, 32 bytes (copied)
 */
public record TrustedSubtree(int logNumber, long start, long end, byte[] hash) {
  /**
   * Requires {@code 1 <= logNumber <= 65535}, a valid non-empty subtree {@code [start, end)} with
   * {@code end <= 2^48}, and a 32-byte hash.
   *
   * @throws IllegalArgumentException otherwise
   */
  public TrustedSubtree {
    if (logNumber < 1 || logNumber > MtcCertificate.MAX_LOG_NUMBER) {
      throw new IllegalArgumentException("log number must be in 1..65535, got " + logNumber);
    }
    if (start < 0 || end <= start || end > MtcProof.MAX_UINT48 || !Subtrees.isValid(start, end)) {
      throw new IllegalArgumentException(
          "[" + start + ", " + end + ") is not a valid non-empty subtree below 2^48");
    }
    Objects.requireNonNull(hash, "hash");
    if (hash.length != 32) {
      throw new IllegalArgumentException("subtree hash has " + hash.length + " bytes, want 32");
    }
    hash = hash.clone();
  }

  /** A trusted subtree for {@code subtree} of log {@code logNumber}. */
  public static TrustedSubtree of(int logNumber, Subtree subtree, byte[] hash) {
    return new TrustedSubtree(logNumber, subtree.start(), subtree.end(), hash);
  }

  /** A copy of the hash. */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** The subtree {@code [start, end)}. */
  public Subtree subtree() {
    return new Subtree(start, end);
  }

  byte[] hashNoCopy() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedSubtree t
        && t.logNumber == logNumber
        && t.start == start
        && t.end == end
        && Arrays.equals(t.hash, hash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logNumber, start, end, Arrays.hashCode(hash));
  }

  @Override
  public String toString() {
    return "subtree [" + start + ", " + end + ") of log " + logNumber + " = " + Hex.encode(hash);
  }
}
