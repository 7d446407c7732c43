package org.ledgerpki.core.merkle;

import org.ledgerpki.core.VerificationException;

/**
 * A Merkle proof was checked and rejected: wrong length, parameters it cannot prove (an index
 * outside the tree, an invalid subtree, sizes that do not fit), or hashes that do not chain up to
 * the expected root ({@link RootMismatchException}). The message names the values involved.
 */
public class ProofException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names the values that were rejected. */
  public ProofException(String message) {
    super(message);
  }
}
