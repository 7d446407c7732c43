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
   * @param note the checkpoint's note to carry (its status form), or null if the client holds it
   * @param withCertificate whether the answer carries the certificate (not when the query did)
   */
  public org.ledgerpki.core.verify.CompactAnswer.Fields compactFields(
      byte[] certificateSha256, String note, boolean withCertificate) {
    return new org.ledgerpki.core.verify.CompactAnswer.Fields(
        state(),
        certificateSha256,
        origin,
        index,
        entry,
        inclusionProof,
        org.ledgerpki.core.Hex.decode(checkpoint.sha256()),
        note == null ? null : utf8(note),
        status.raw().count(),
        status.raw().latestEncoded(),
        status.raw().entryProof().bitmap(),
        status.raw().entryProof().siblings(),
        status.raw().compromiseEncoded(),
        status.raw().keyProof().bitmap(),
        status.raw().keyProof().siblings(),
        withCertificate ? certificate : null);
  }

  /** The last note a compact answer carried, with its UTF-8 encoding (read, never written). */
  private record NoteBytes(String note, byte[] utf8) {}

  private static volatile NoteBytes lastNote;

  /**
   * {@code note} in UTF-8, encoded once per note: every compact answer under one checkpoint carries
   * the same note.
   */
  private static byte[] utf8(String note) {
    NoteBytes n = lastNote;
    if (n == null || !n.note().equals(note)) {
      n = new NoteBytes(note, note.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      lastNote = n;
    }
    return n.utf8();
  }

  /** Whether a cosigned checkpoint covers the entry. */
  public boolean covered() {
    return checkpoint != null;
  }
}
