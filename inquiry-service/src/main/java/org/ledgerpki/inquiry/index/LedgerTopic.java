package org.ledgerpki.inquiry.index;

/** The six ledger topics the inquiry node follows, with their code in the store's journal. */
public enum LedgerTopic {
  /** {@code ledger.entries}. */
  ENTRIES(1),
  /** {@code ledger.cosigned}. */
  COSIGNED(2),
  /** {@code ledger.landmarks}. */
  LANDMARKS(3),
  /** {@code ledger.decisions}. */
  DECISIONS(4),
  /** {@code ledger.status}: the sequenced lifecycle events. */
  STATUS(5),
  /** {@code ledger.policy}: the sequenced policy changes (docs/governance.md). */
  POLICY(6);

  private final int code;

  LedgerTopic(int code) {
    this.code = code;
  }

  /** The journal code. */
  public int code() {
    return code;
  }

  /**
   * The topic of a journal code.
   *
   * @throws IllegalArgumentException if no topic has that code
   */
  public static LedgerTopic ofCode(int code) {
    for (LedgerTopic t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("no ledger topic has journal code " + code);
  }
}
