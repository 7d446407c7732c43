package org.ledgerpki.core.evidence;

/**
 * A statement cannot be encoded because a field is out of the range its encoding allows (a string
 * or byte field over 65,535 bytes, a {@code uint16} out of 0..65535). The message names the field,
 * the limit and the value found. Readers of untrusted records check {@link FieldBounds} first, so
 * that this is never thrown on their input; it stays unchecked so that existing callers that build
 * statements from their own bounded values need not change.
 */
public final class StatementEncodingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public StatementEncodingException(String message) {
    super(message);
  }
}
