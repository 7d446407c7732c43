package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;

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

  /** The subtrees of a cosigned checkpoint or landmark record. */
  static List<SubtreeView> of(List<SignedSubtree> in) {
    List<SubtreeView> out = new ArrayList<>(in.size());
    for (SignedSubtree s : in) {
      List<Signature> sigs = new ArrayList<>(s.getSignatures().size());
      for (SubtreeSignature g : s.getSignatures()) {
        sigs.add(
            new Signature(g.getCosigner(), g.getCosignerId(), Evidence.bytes(g.getSignature())));
      }
      out.add(new SubtreeView(s.getStart(), s.getEnd(), Evidence.bytes(s.getHash()), sigs));
    }
    return out;
  }

  /** Whether {@code index} is in {@code [start, end)}. */
  public boolean contains(long index) {
    return start <= index && index < end;
  }
}
