package org.ledgerpki.core.tlog;

import java.security.PublicKey;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Vkey;

/**
 * A verifier of timestamped checkpoint cosignatures (C2SP tlog-cosignature): Ed25519 {@code
 * cosignature/v1} (type 0x04), ML-DSA-44 {@code subtree/v1} (type 0x06), or this system's ML-DSA-44
 * status cosignature (type 0xff, {@link StatusCosignature}). The signature bytes after the key ID
 * are a {@code timestamped_signature}: a big-endian uint64 timestamp, then the signature.
 */
public interface CosignatureVerifier extends NoteVerifier {
  /** Returns the signature type byte: 0x04, 0x06 or 0xff. */
  byte type();

  /** Returns the cosigner's public key. */
  PublicKey publicKey();

  /** Returns the vkey of this cosigner. */
  Vkey vkey();

  /**
   * Returns the timestamp (POSIX seconds) that a cosignature carries. It is only meaningful once
   * {@link #verify(byte[], byte[])} has returned true for the same bytes.
   *
   * @throws IllegalArgumentException if {@code signature} is shorter than 8 bytes, or the timestamp
   *     exceeds 2^63-1
   */
  default long timestampOf(byte[] signature) {
    return Cosignatures.timestampOf(signature);
  }
}
