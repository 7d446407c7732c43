package org.ledgerpki.core.smt;

import org.ledgerpki.core.VerificationException;

/** A sparse Merkle tree proof did not lead to the expected root. */
public final class SmtProofException extends VerificationException {
  private static final long serialVersionUID = 1L;

  public SmtProofException(String message) {
    super(message);
  }
}
