package org.ledgerpki.core.note;

/** A known key that checks note signatures. Implementations are immutable and thread-safe. */
public interface NoteVerifier {
  /** The key name this verifier answers to. */
  String name();

  /** The 32-bit key ID this verifier answers to. */
  int keyId();

  /**
   * Returns whether {@code signature} (the bytes after the key ID) is a valid signature of {@code
   * text} (the note text, UTF-8, with its final newline) by this key. Returns false, never throws,
   * for a signature of the wrong length or format.
   */
  boolean verify(byte[] text, byte[] signature);
}
