package org.ledgerpki.core.note;

import org.ledgerpki.core.VerificationException;

/**
 * A well-formed signed note was rejected: a signature by a known key did not verify, or no
 * signature by a known key was present. The message names the keys (name and key ID), never key
 * material.
 */
public class NoteVerificationException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Why the note was rejected. */
  public enum Reason {
    /** A signature whose key name and ID match a known key does not verify. */
    KNOWN_SIGNATURE_INVALID,
    /** No signature matches a known key. */
    NO_KNOWN_SIGNATURE
  }

  private final Reason reason;

  /** Creates an exception for {@code reason} with a message naming the keys involved. */
  public NoteVerificationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the note was rejected. */
  public Reason reason() {
    return reason;
  }
}
