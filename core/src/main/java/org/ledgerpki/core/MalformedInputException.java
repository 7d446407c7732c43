package org.ledgerpki.core;

/**
 * Input could not be parsed or decoded (a truncated structure, bad base64, a note without a
 * signature block, ...). This is "could not check", as opposed to {@link VerificationException},
 * "checked and rejected". The message names the field and what was wrong with it.
 */
public class MalformedInputException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedInputException(String message) {
    super(message);
  }

  public MalformedInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
