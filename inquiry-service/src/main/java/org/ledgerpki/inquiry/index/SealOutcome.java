package org.ledgerpki.inquiry.index;

/** What became of a checkpoint or landmark given to this log. */
public enum SealOutcome {
  /** Checked against the tree and now served. */
  ACCEPTED,
  /** Already held, identical. */
  SAME,
  /** Waits until the tree reaches its size. */
  DEFERRED,
  /** Contradicts the tree or what is held: dropped. */
  CONFLICT
}
