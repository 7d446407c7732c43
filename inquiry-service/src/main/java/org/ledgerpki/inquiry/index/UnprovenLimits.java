package org.ledgerpki.inquiry.index;

/**
 * How many records a log may hold beyond what the largest cosigned checkpoint whose signatures
 * verified commits to (its tree size, its status count) before the follower stops reading them
 * ({@link LedgerIndex#full}). Whoever can write the topics the node reads (a mirror's cluster, for
 * one) can write entries and status events without any key; only a checkpoint makes them count, so
 * this bounds the memory such records can take. An honest ledger never waits for long: the next
 * cosigned checkpoint, read from a topic that is never paused, raises the bound.
 *
 * @param entries entries beyond the checkpoint's tree size, at least 1
 * @param statusEvents status events (applied or held) beyond its status count, at least 1
 */
public record UnprovenLimits(long entries, long statusEvents) {
  /** 50,000 each: far more than a consortium sequences between two cosigned checkpoints. */
  public static final UnprovenLimits DEFAULT = new UnprovenLimits(50_000, 50_000);

  public UnprovenLimits {
    if (entries < 1) {
      throw new IllegalArgumentException("at least 1 entry, not " + entries);
    }
    if (statusEvents < 1) {
      throw new IllegalArgumentException("at least 1 status event, not " + statusEvents);
    }
  }
}
