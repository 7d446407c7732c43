package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.verify.StatusCheckpoints;

/**
 * A cosigned checkpoint the index holds: its signatures verified against the trust policy and its
 * root equal to the index's own tree at that size.
 *
 * @param note the signed note text with the log's and the cosigners' signature lines, as {@code
 *     /v1/checkpoint} serves it (with the ML-DSA-44 status cosignatures, ADR 0010)
 * @param cosigners the cosigners the record names
 * @param subtrees the covering subtrees of {@code [previousSize, size)} with their signatures
 * @param status what the checkpoint commits to about certificate status (its status line)
 * @param sha256 the checkpoint's name, which status answers give (ADR 0009): hex SHA-256 of the
 *     note's text
 * @param statusNote the note with the Ed25519 signature lines only, which compact answers carry
 *     (the note itself if it has none)
 * @param statusNoteUtf8 {@code statusNote} in UTF-8, as compact answers carry it (read, never
 *     written)
 * @param answerNote the note JSON answers carry (ADR 0010): {@code note} without the cosigners'
 *     ML-DSA-44 status cosignature lines, which only {@code /v1/checkpoint} serves
 */
public record CheckpointView(
    String origin,
    long size,
    byte[] rootHash,
    long previousSize,
    String note,
    List<String> cosigners,
    List<SubtreeView> subtrees,
    Instant publishedAt,
    StatusCommitment status,
    String sha256,
    String statusNote,
    byte[] statusNoteUtf8,
    String answerNote) {

  /** Freezes the lists. */
  public CheckpointView {
    cosigners = List.copyOf(cosigners);
    subtrees = List.copyOf(subtrees);
  }

  /**
   * A checkpoint view whose name and status form (and its UTF-8) are computed from {@code note},
   * once per checkpoint.
   *
   * @param answerNote {@code note} without the ML-DSA-44 status cosignature lines ({@code
   *     CheckpointVerifier.answerForm})
   * @throws IllegalArgumentException if {@code note} is not a signed note (the caller verified it)
   */
  public static CheckpointView of(
      String origin,
      long size,
      byte[] rootHash,
      long previousSize,
      String note,
      List<String> cosigners,
      List<SubtreeView> subtrees,
      Instant publishedAt,
      StatusCommitment status,
      String answerNote) {
    String statusNote = statusFormOf(note);
    return new CheckpointView(
        origin,
        size,
        rootHash,
        previousSize,
        note,
        cosigners,
        subtrees,
        publishedAt,
        status,
        nameOf(note),
        statusNote,
        statusNote.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        answerNote);
  }

  /**
   * This checkpoint with {@code held}'s previous size and covering subtrees: for a newer checkpoint
   * of the same tree (more status events, or re-cosigned) that names none, while standalone MTC
   * certificates of the entries {@code held} first covered need them.
   */
  CheckpointView withCoverageOf(CheckpointView held) {
    return new CheckpointView(
        origin,
        size,
        rootHash,
        held.previousSize,
        note,
        cosigners,
        held.subtrees,
        publishedAt,
        status,
        sha256,
        statusNote,
        statusNoteUtf8,
        answerNote);
  }

  private static String nameOf(String note) {
    try {
      return StatusCheckpoints.sha256(note);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("not a signed note: " + e.getMessage(), e);
    }
  }

  private static String statusFormOf(String note) {
    try {
      return StatusCheckpoints.statusForm(note);
    } catch (MalformedInputException e) {
      return note;
    }
  }
}
