package org.ledgerpki.core.evidence;

import org.ledgerpki.core.VerificationException;

/** A statement's evidence was checked and rejected; the message says what did not match. */
public final class EvidenceException extends VerificationException {
  private static final long serialVersionUID = 1L;

  public EvidenceException(String message) {
    super(message);
  }

  public EvidenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
