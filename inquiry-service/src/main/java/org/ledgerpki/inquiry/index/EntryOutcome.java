package org.ledgerpki.inquiry.index;

/** What became of an entry given to {@link LogState#append}. */
public enum EntryOutcome {
  /** Appended to the tree. */
  APPENDED,
  /** Already held, identical: a replay. */
  SAME,
  /** Already held with other bytes: the first one is kept. */
  CONFLICT,
  /** Beyond the next index, after a gap only a forgery leaves: dropped. */
  AHEAD
}
