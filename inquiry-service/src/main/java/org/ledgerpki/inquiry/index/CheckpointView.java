package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.List;
import org.ledgerpki.core.status.StatusCommitment;

/**
 * A cosigned checkpoint the index holds: its signatures verified against the trust policy and its
 * root equal to the index's own tree at that size.
 *
 * @param note the signed note text with the log's and the cosigners' signature lines
 * @param cosigners the cosigners the record names
 * @param subtrees the covering subtrees of {@code [previousSize, size)} with their signatures
 * @param status what the checkpoint commits to about certificate status (its status line)
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
    StatusCommitment status) {

  /** Freezes the lists. */
  public CheckpointView {
    cosigners = List.copyOf(cosigners);
    subtrees = List.copyOf(subtrees);
  }
}
