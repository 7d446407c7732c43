package org.ledgerpki.inquiry.index;

import java.util.List;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.status.StatusEvent;

/**
 * A certificate found in a log, with what a status answer needs, read consistently under the log's
 * lock.
 *
 * @param entry the MTCLogEntry bytes of the leaf
 * @param certificate the submitted certificate's DER
 * @param checkpoint the latest cosigned checkpoint whose size is greater than {@code index}, or
 *     null if none covers the entry yet
 * @param inclusionProof the RFC 9162 inclusion proof of {@code index} in the tree of {@code
 *     checkpoint}, or null when {@code checkpoint} is null
 * @param event the certificate's latest lifecycle event at {@code checkpoint}'s status count, or
 *     null if it has none
 * @param statusProof the status-map proof of {@code event} (or of its absence) against {@code
 *     checkpoint}'s status commitment, or null when {@code checkpoint} is null
 */
public record Located(
    String origin,
    int logNumber,
    long index,
    byte[] entry,
    byte[] certificate,
    CheckpointView checkpoint,
    List<byte[]> inclusionProof,
    StatusEvent event,
    SmtProof statusProof) {

  /** Whether a cosigned checkpoint covers the entry. */
  public boolean covered() {
    return checkpoint != null;
  }
}
