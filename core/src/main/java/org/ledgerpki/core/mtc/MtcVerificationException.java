package org.ledgerpki.core.mtc;

import org.ledgerpki.core.VerificationException;

/**
 * An MTC certificate was examined and rejected by {@link MtcVerifier}: a step of the draft's
 * "Verifying Certificate Signatures" failed. The message names the step's values, expected against
 * found (hashes in full hex, serial numbers in hex).
 */
public class MtcVerificationException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} states what was expected and what was found. */
  public MtcVerificationException(String message) {
    super(message);
  }

  /** Creates the exception with the failure of a lower-level check as its cause. */
  public MtcVerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
