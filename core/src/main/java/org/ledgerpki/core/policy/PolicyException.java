package org.ledgerpki.core.policy;

/**
 * A trust policy is invalid. The message names the file and the field, e.g. {@code policy.yaml:
 * members[2].endorsementKeys[0]: not a base64 SubjectPublicKeyInfo}. Services fail fast with it at
 * start-up.
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
