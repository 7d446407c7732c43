package org.ledgerpki.inquiry.index;

import java.util.List;

/**
 * An MTC subtree {@code [start, end)} of a log with its hash and the timestamp-0 ML-DSA-44
 * cosignatures collected on it (from a cosigned checkpoint or a cosigned landmark).
 *
 * @param signatures the cosignatures, in the order they were published
 */
public record SubtreeView(long start, long end, byte[] hash, List<Signature> signatures) {

  /**
   * One cosigner's subtree signature.
   *
   * @param cosigner member organisation id
   * @param cosignerId the cosigner's trust anchor ID in ASCII form, e.g. {@code 32473.3}
   * @param signature the ML-DSA-44 signature over the subtree's CosignedMessage with timestamp 0
   */
  public record Signature(String cosigner, String cosignerId, byte[] signature) {}

  /** Freezes the list. */
  public SubtreeView {
    signatures = List.copyOf(signatures);
  }

  /** Whether {@code index} is in {@code [start, end)}. */
  public boolean contains(long index) {
    return start <= index && index < end;
  }
}
