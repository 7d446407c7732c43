package org.ledgerpki.cosign.mirror;

import org.ledgerpki.core.merkle.MerkleTree;

/**
 * Told when the mirror of a log moved on (an entry appended, a status event applied), before its
 * state is saved: the cosigner then handles the parked records the mirror has caught up with.
 */
@FunctionalInterface
public interface MirrorProgress {
  /**
   * Called within the processing of the record that moved the mirror on.
   *
   * @param st the origin's state, saved by the caller afterwards (changes are kept)
   * @param tree the origin's mirror tree at {@code st}'s frontier
   * @param timestamp the record's timestamp, for what is forwarded
   */
  void advanced(String origin, MirrorState st, MerkleTree tree, long timestamp);
}
