package org.ledgerpki.inquiry.query;

import java.util.List;

/**
 * An RFC 9162 consistency proof between two tree sizes of a log, as {@code GET
 * /v1/proof/consistency} answers it.
 *
 * @param from the smaller tree size
 * @param to the larger tree size
 * @param proof the proof's hashes, standard base64
 */
public record ConsistencyProof(long from, long to, List<String> proof) {
  /** Freezes the list. */
  public ConsistencyProof {
    proof = List.copyOf(proof);
  }
}
