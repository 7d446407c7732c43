package org.ledgerpki.core.policy;

/**
 * A policy change that does not hold: {@link #reason()} says which rule it broke, the message says
 * what was expected and what was found.
 */
public final class GovernanceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The rule a refused policy change broke. */
  public enum Reason {
    /** The proposed document does not parse or fails a TrustPolicy check. */
    INVALID_POLICY,
    /** The proposed serial is not the current serial + 1. */
    WRONG_SERIAL,
    /** The previous-policy hash is not the hash of the current policy. */
    WRONG_PREVIOUS,
    /** The claimed policy hash is not SHA-256 of the document. */
    HASH_MISMATCH,
    /** The consortium name changed. */
    CONSORTIUM_CHANGED,
    /** The log's identity (CA ID, number, origin, keys) changed. */
    LOG_CHANGED,
    /** Too few distinct members of the current policy approved. */
    NO_QUORUM,
    /** The change applies from a position before its predecessor's. */
    POSITION_REGRESSED;

    /** The reason as written in dead letters and refusals: lowercase, with '-'. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Reason reason;

  public GovernanceException(Reason reason, String message) {
    super(reason.code() + ": " + message);
    this.reason = reason;
  }

  public GovernanceException(Reason reason, String message, Throwable cause) {
    super(reason.code() + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
