package org.ledgerpki.core;

/**
 * A check failed: a proof, signature, note or certificate was examined and rejected. Messages state
 * what was expected and what was found (hashes in hex). Subclasses in each package narrow the kind
 * of failure. Input that cannot be examined at all is reported with {@link MalformedInputException}
 * instead.
 */
public class VerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
