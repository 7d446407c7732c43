package org.ledgerpki.core.mtc;

import java.util.Arrays;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.tlog.SubtreeCosignature;

/**
 * What the cosigners of an MTC certificate's subtree sign (draft, "Verifying Certificate
 * Signatures", step 12): the parameters of the CosignedMessage other than the cosigner's own name,
 * with {@code timestamp} zero.
 *
 * <pre>
 * struct {
 *     uint8 label[12] = "subtree/v1\n\0";
 *     opaque cosigner_name&lt;1..2^8-1&gt;;   // "oid/1.3.6.1.4.1." + cosigner ID (ASCII)
 *     uint64 timestamp;                   // 0
 *     opaque log_origin&lt;1..2^8-1&gt;;      // "oid/1.3.6.1.4.1." + log ID
 *     uint64 start;
 *     uint64 end;
 *     HashValue subtree_hash;
 * } CosignedMessage;
 * </pre>
 *
 * @param logId the log ID ({@code <caId>.0.<logNumber>})
 * @param start the subtree's first index
 * @param end one past its last index
 * @param subtreeHash the subtree hash the inclusion proof leads to (32 bytes, copied)
 */
public record CosignedSubtree(String logId, long start, long end, byte[] subtreeHash) {
  /**
   * Requires a valid log ID, {@code 0 <= start <= end} and a 32-byte hash.
   *
   * @throws IllegalArgumentException otherwise
   */
  public CosignedSubtree {
    if (!TrustAnchorId.isValid(logId)) {
      throw new IllegalArgumentException("not a trust anchor ID: '" + logId + "'");
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad subtree [" + start + ", " + end + ")");
    }
    Objects.requireNonNull(subtreeHash, "subtreeHash");
    if (subtreeHash.length != 32) {
      throw new IllegalArgumentException("subtree hash has " + subtreeHash.length + " bytes");
    }
    subtreeHash = subtreeHash.clone();
  }

  /** A copy of the subtree hash. */
  @Override
  public byte[] subtreeHash() {
    return subtreeHash.clone();
  }

  /** The log origin, {@code oid/1.3.6.1.4.1.<logId>}. */
  public String logOrigin() {
    return TrustAnchorId.keyName(logId);
  }

  /**
   * The CosignedMessage a cosigner with ASCII trust anchor ID {@code cosignerId} signs for this
   * subtree, with timestamp 0.
   *
   * @throws IllegalArgumentException if {@code cosignerId} is not a trust anchor ID or a name
   *     exceeds 255 bytes
   */
  public byte[] message(String cosignerId) {
    return SubtreeCosignature.cosignedMessage(
        TrustAnchorId.keyName(cosignerId), 0, logOrigin(), start, end, subtreeHash);
  }

  /**
   * The CosignedMessage for the cosigner whose binary trust anchor ID is {@code cosignerId}, as a
   * SubtreeSignature carries it.
   *
   * @throws MalformedInputException if {@code cosignerId} does not decode
   */
  public byte[] message(byte[] cosignerId) throws MalformedInputException {
    return message(TrustAnchorId.fromBinary(cosignerId));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosignedSubtree c
        && c.logId.equals(logId)
        && c.start == start
        && c.end == end
        && Arrays.equals(c.subtreeHash, subtreeHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logId, start, end, Arrays.hashCode(subtreeHash));
  }

  @Override
  public String toString() {
    return "subtree ["
        + start
        + ", "
        + end
        + ") of "
        + logOrigin()
        + " = "
        + Hex.encode(subtreeHash);
  }
}
