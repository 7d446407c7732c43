package org.ledgerpki.cli;

/**
 * Exit codes of {@code ledgerpki}. {@code status} maps certificate statuses onto them, so scripts
 * (and a SeGW hook) can act on the code alone.
 */
public final class ExitCodes {
  /** Success; for {@code status}: GOOD, verified. */
  public static final int OK = 0;

  /** {@code status}: REVOKED or SUSPENDED. */
  public static final int REVOKED = 1;

  /** Bad command line or input. */
  public static final int USAGE = 2;

  /** {@code status}: PENDING (admitted, not yet covered by a cosigned checkpoint). */
  public static final int PENDING = 3;

  /** {@code status}: REJECTED by the validators. */
  public static final int REJECTED = 4;

  /** {@code status}: UNKNOWN to the inquiry node. */
  public static final int UNKNOWN = 5;

  /** The answer did not verify offline: do not trust it. */
  public static final int NOT_VERIFIED = 6;

  /** The service could not be reached or failed. */
  public static final int UNAVAILABLE = 7;

  /** {@code demo}: the demo finished but something did not go as expected. */
  public static final int DEMO_FAILED = 8;

  /**
   * {@code status --fail-mode soft}: no answer could be had, and the certificate was accepted
   * without one, as asked.
   */
  public static final int SOFT_FAIL = 9;

  private ExitCodes() {}
}
