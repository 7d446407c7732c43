package org.ledgerpki.schemas.inquiry;

import java.util.List;
import java.util.Objects;

/**
 * One cosigned landmark as {@code GET /v1/landmarks/subtrees} answers it (a JSON array of these,
 * oldest first; docs/inquiry-api.md): the inquiry node writes it and clients read it through {@link
 * InquiryJson}, so the field names are written once, here. Hashes and signatures are standard
 * base64.
 *
 * @param number the landmark number
 * @param treeSize the tree size of the landmark
 * @param previousTreeSize the tree size of the landmark before it
 * @param subtrees the landmark's subtrees with their cosignatures
 */
public record Landmark(long number, long treeSize, long previousTreeSize, List<Subtree> subtrees) {

  /** Requires the subtrees; freezes the list. */
  public Landmark {
    subtrees = List.copyOf(Objects.requireNonNull(subtrees, "missing field 'subtrees'"));
  }

  /**
   * A landmark subtree {@code [start, end)} with its timestamp-0 ML-DSA-44 {@code subtree/v1}
   * cosignatures.
   *
   * @param start the first index of the subtree
   * @param end one past its last index
   * @param hash the subtree hash, base64
   * @param signatures its cosignatures
   */
  public record Subtree(long start, long end, String hash, List<Cosignature> signatures) {
    /** Requires the hash and the signatures; freezes the list. */
    public Subtree {
      Objects.requireNonNull(hash, "missing field 'hash'");
      signatures = List.copyOf(Objects.requireNonNull(signatures, "missing field 'signatures'"));
    }
  }

  /**
   * One cosignature of a subtree.
   *
   * @param cosigner the member id of the cosigner
   * @param cosignerId its trust anchor ID (ASCII)
   * @param signature the signature, base64
   */
  public record Cosignature(String cosigner, String cosignerId, String signature) {
    /** Requires the trust anchor ID and the signature. */
    public Cosignature {
      Objects.requireNonNull(cosignerId, "missing field 'cosignerId'");
      Objects.requireNonNull(signature, "missing field 'signature'");
    }
  }
}
