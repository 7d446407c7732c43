package org.ledgerpki.inquiry.index;

/** What became of an entry given to {@link LogState#append}. */
public enum EntryOutcome {
  /** Appended (and possibly some buffered successors with it). */
  APPENDED,
  /** Already held, identical: a replay. */
  SAME,
  /** Already held with other bytes: the first one is kept. */
  CONFLICT,
  /** Beyond the next index: held back until the gap is filled. */
  BUFFERED
}
