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
 * @param status the status part of its answers, from the status map at {@code checkpoint}'s status
 *     count: {@link #event()}, {@link #state()}, {@link #statusProof()}
 */
public record Located(
    String origin,
    int logNumber,
    long index,
    byte[] entry,
    byte[] certificate,
    CheckpointView checkpoint,
    List<byte[]> inclusionProof,
    StatusProofs.Proven status) {

  /**
   * The event that decides the status at {@code checkpoint}'s status count: the report that the
   * entry's key is compromised if there is one, otherwise the entry's latest lifecycle event; null
   * if neither exists.
   */
  public StatusEvent event() {
    return status.event();
  }

  /** The status a relying party will find proven: GOOD, SUSPENDED or REVOKED; null if uncovered. */
  public String state() {
    return status.state();
  }

  /**
   * The status-map proofs (entry key and compromised-key key) against {@code checkpoint}'s status
   * commitment, or null when {@code checkpoint} is null.
   */
  public StatusAnswer.StatusProof statusProof() {
    return status.proof();
  }

  /**
   * The compact form's fields (ADR 0009) of a covered entry, from the index's bytes.
   *
   * @param certificateSha256 the hash of the certificate asked about
   * @param withNote whether the answer carries the checkpoint's note, in its status form (not when
   *     the client holds the checkpoint)
   * @param withCertificate whether the answer carries the certificate (not when the query did)
   */
  public org.ledgerpki.core.verify.CompactAnswer.Fields compactFields(
      byte[] certificateSha256, boolean withNote, boolean withCertificate) {
    return new org.ledgerpki.core.verify.CompactAnswer.Fields(
        state(),
        certificateSha256,
        origin,
        index,
        entry,
        inclusionProof,
        org.ledgerpki.core.Hex.decode(checkpoint.sha256()),
        withNote ? checkpoint.statusNoteUtf8() : null,
        status.raw().count(),
        status.raw().latestEncoded(),
        status.raw().entryProof().bitmap(),
        status.raw().entryProof().siblings(),
        status.raw().compromiseEncoded(),
        status.raw().keyProof().bitmap(),
        status.raw().keyProof().siblings(),
        withCertificate ? certificate : null);
  }

  /** Whether a cosigned checkpoint covers the entry. */
  public boolean covered() {
    return checkpoint != null;
  }
}
