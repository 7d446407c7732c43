package org.ledgerpki.core.note;

/**
 * A key that signs note texts. Implementations never reveal their private key (not in {@code
 * toString} either).
 */
public interface NoteSigner {
  /** The key name, as it appears in signature lines; a valid key name. */
  String name();

  /** The 32-bit key ID, as it appears in the first four bytes of each signature. */
  int keyId();

  /**
   * Signs a note text (UTF-8, ending in a newline) and returns the signature bytes that follow the
   * key ID on the signature line.
   *
   * @throws IllegalArgumentException if this signer cannot sign this text (for example, a cosigner
   *     given a text that is not a checkpoint)
   */
  byte[] sign(byte[] text);
}
