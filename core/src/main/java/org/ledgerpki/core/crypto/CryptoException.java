package org.ledgerpki.core.crypto;

/**
 * A cryptographic operation could not be carried out at all: an unsupported key type or algorithm,
 * a key that the provider refuses, a missing provider. This is "could not check", never "checked
 * and found invalid": a signature that does not verify is reported as {@code false}, not with this
 * exception. Messages never contain key material.
 */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the operation and what was wrong. */
  public CryptoException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the provider exception that caused it. */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
