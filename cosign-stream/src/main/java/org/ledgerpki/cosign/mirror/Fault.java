package org.ledgerpki.cosign.mirror;

/**
 * Why a cosigner does not vouch for an entry or a status event: a {@code reason} metric tag (of
 * {@code tainted-entries-total} and {@code tainted-status-events-total}) and a sentence for the
 * log.
 */
public record Fault(String tag, String detail) {
  /** The entry or event is malformed or inconsistent with itself or the mirror. */
  public static final String INVALID = "invalid";

  /** Its evidence holds no endorsement quorum for its own submission and submitter. */
  public static final String NO_QUORUM = "no-quorum";

  /** The entry is identical to one already in the log. */
  public static final String ENTRY_ALREADY_IN_LOG = "entry-already-in-log";

  /** The entry's key belongs to an entry revoked for keyCompromise. */
  public static final String KEY_COMPROMISED = "key-compromised";

  /**
   * The entry's key belongs to a revoked entry, and the policy does not let its submitter reuse it.
   */
  public static final String KEY_REUSE_REFUSED = "key-reuse-refused";

  /** A request was already used in an earlier event (replayed or its id reused). */
  public static final String REQUEST_REPLAYED = "request-replayed";

  /** Non-owner requests outside lifecycle.requestWindow. */
  public static final String OUTSIDE_WINDOW = "outside-request-window";

  /** A RESUME by another party class than the one that placed the hold. */
  public static final String HOLD_PLACED_BY_OTHERS = "hold-placed-by-others";

  /**
   * A status event names an entry (leaf hash) or key that is not the one the mirror holds for its
   * certificate, or a certificate the mirror holds no entry of that passed its checks.
   */
  public static final String ENTRY_MISMATCH = "entry-mismatch";

  public static Fault invalid(String detail) {
    return new Fault(INVALID, detail);
  }
}
