package org.ledgerpki.core.tlog;

import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.Ed25519NoteVerifier;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Vkey;

/**
 * Turns vkeys into verifiers for every signature type this system supports. It lives in {@code
 * tlog}, not {@code note}, because the cosignature types depend on checkpoints, and {@code note}
 * must not depend on {@code tlog}.
 */
public final class NoteVerifiers {
  private NoteVerifiers() {}

  /**
   * Returns the verifier for a vkey string, by its signature type: 0x01 Ed25519 note signatures,
   * 0x04 Ed25519 {@code cosignature/v1}, 0x06 ML-DSA-44 {@code subtree/v1}.
   *
   * @throws MalformedInputException if the vkey does not parse, its key ID does not match its key,
   *     its key has the wrong size, or its type is not one of the three
   */
  public static NoteVerifier fromVkey(String vkey) throws MalformedInputException {
    return fromVkey(Vkey.parse(vkey));
  }

  /** As {@link #fromVkey(String)} for a parsed vkey. */
  public static NoteVerifier fromVkey(Vkey vkey) throws MalformedInputException {
    return switch (vkey.type()) {
      case NoteKeys.TYPE_ED25519 -> Ed25519NoteVerifier.fromVkey(vkey);
      case NoteKeys.TYPE_COSIGNATURE_V1 -> Ed25519CosignatureVerifier.fromVkey(vkey);
      case NoteKeys.TYPE_SUBTREE_V1 -> MlDsaCosignatureVerifier.fromVkey(vkey);
      default ->
          throw new MalformedInputException(
              "vkey: unsupported signature type 0x"
                  + String.format("%02x", vkey.type())
                  + " (supported: 0x01, 0x04, 0x06)");
    };
  }
}
