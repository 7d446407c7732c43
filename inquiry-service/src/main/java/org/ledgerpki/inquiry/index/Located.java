package org.ledgerpki.inquiry.index;

import java.util.List;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.verify.StatusAnswer;

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
 * @param event the event that decides the status at {@code checkpoint}'s status count: the report
 *     that the entry's key is compromised if there is one, otherwise the entry's latest lifecycle
 *     event; null if neither exists
 * @param state the status a relying party will find proven: GOOD, SUSPENDED or REVOKED; null when
 *     {@code checkpoint} is null
 * @param statusProof the status-map proofs (entry key and compromised-key key) against {@code
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
    String state,
    StatusAnswer.StatusProof statusProof) {

  /** Whether a cosigned checkpoint covers the entry. */
  public boolean covered() {
    return checkpoint != null;
  }
}
