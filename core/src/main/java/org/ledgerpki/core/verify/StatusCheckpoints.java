package org.ledgerpki.core.verify;

import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.note.Note;

/**
 * How a status answer names and carries its checkpoint (ADR 0009).
 *
 * <ul>
 *   <li>Its name is the SHA-256 of the note's text: the checkpoint body with its extension lines
 *       (the status commitment among them), without signature lines. Every signed form of one
 *       checkpoint (the full note of {@code /v1/checkpoint}, the Ed25519 lines alone, a re-cosigned
 *       one on a heartbeat) has the same name; the proofs in an answer hold against all of them.
 *   <li>Its status form keeps the signature lines a status check uses: the log's Ed25519 signature
 *       and the cosigners' Ed25519 {@code cosignature/v1} signatures, the only ones that cover the
 *       status line and carry signed time. The ML-DSA-44 lines (the log's, and the cosigners'
 *       {@code subtree/v1}, which cover {@code [0, size)} and the root only) stay in the full note,
 *       which a relying party fetches once per checkpoint.
 * </ul>
 */
public final class StatusCheckpoints {
  /** An Ed25519 note signature after its key ID: 64 bytes. */
  private static final int ED25519 = 64;

  /** A {@code cosignature/v1} signature after its key ID: an 8-byte timestamp and 64 bytes. */
  private static final int COSIGNATURE_V1 = 8 + 64;

  private StatusCheckpoints() {}

  /** The checkpoint's name: lowercase hex SHA-256 of the note's text (UTF-8). */
  public static String sha256(Note note) {
    return Hex.encode(Sha256.hash(note.textBytes()));
  }

  /**
   * The name of the checkpoint in {@code signedNote}.
   *
   * @throws MalformedInputException if it is not a signed note
   */
  public static String sha256(String signedNote) throws MalformedInputException {
    return sha256(Note.parse(signedNote));
  }

  /**
   * The note with only its Ed25519 signature lines (64-byte signatures, or 72-byte ones with a
   * {@code cosignature/v1} timestamp), in their order. A relying party checks the result exactly as
   * the full note: it trusts a line only if it verifies against a key of its own trust bundle, and
   * it requires the log's signature and a quorum of fresh {@code cosignature/v1} lines either way.
   *
   * @throws MalformedInputException if it is not a signed note, or keeps no signature line
   */
  public static String statusForm(String signedNote) throws MalformedInputException {
    return Note.parse(signedNote)
        .keeping(
            s -> s.signature().length == ED25519 || s.signature().length == COSIGNATURE_V1,
            "the checkpoint note has no Ed25519 signature line")
        .format();
  }
}
