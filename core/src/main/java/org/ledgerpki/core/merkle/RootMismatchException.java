package org.ledgerpki.core.merkle;

import org.ledgerpki.core.Hex;

/**
 * A proof was well-formed, but the root (or subtree hash) it leads to is not the expected one.
 * Message: {@code "calculated root <hex> does not match expected root <hex>"}, with full hex, then
 * the context in parentheses when there is one.
 */
public class RootMismatchException extends ProofException {
  private static final long serialVersionUID = 1L;

  private final byte[] expected;
  private final byte[] calculated;

  /**
   * Creates the exception. Requires {@code expected} and {@code calculated} non-null; {@code
   * context} may be null or empty.
   */
  public RootMismatchException(byte[] expected, byte[] calculated, String context) {
    super(
        "calculated root "
            + Hex.encode(calculated)
            + " does not match expected root "
            + Hex.encode(expected)
            + (context == null || context.isEmpty() ? "" : " (" + context + ")"));
    this.expected = expected.clone();
    this.calculated = calculated.clone();
  }

  /** The root the caller expected (a copy). */
  public byte[] expected() {
    return expected.clone();
  }

  /** The root the proof led to (a copy). */
  public byte[] calculated() {
    return calculated.clone();
  }
}
