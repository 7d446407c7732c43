package org.ledgerpki.cosign.witness;

import java.nio.ByteBuffer;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteSignature;

/**
 * C2SP signed-note signature lines as {@code Cosignature.lines} carries them: {@code — <name>
 * base64(keyId || timestamp || signature)}. A subtree signature for MTC certificates and landmarks
 * is carried the same way, with timestamp 0 (the ML-DSA-44 {@code subtree/v1} line of C2SP
 * tlog-cosignature).
 */
public final class SignatureLines {
  /** Size of the timestamp that opens a cosignature's bytes. */
  public static final int TIMESTAMP_SIZE = 8;

  private SignatureLines() {}

  /** The line of a bare subtree signature with timestamp 0. */
  public static String subtreeLine(String name, int keyId, byte[] signature) {
    byte[] timestamped =
        ByteBuffer.allocate(TIMESTAMP_SIZE + signature.length).putLong(0).put(signature).array();
    return new NoteSignature(name, keyId, timestamped).line();
  }

  /**
   * Parses one signature line (without newline), with the signed-note parser's rules.
   *
   * @throws MalformedInputException if it is not exactly one well-formed signature line
   */
  public static NoteSignature parse(String line) throws MalformedInputException {
    if (line.indexOf('\n') >= 0) {
      throw new MalformedInputException("a signature line must not contain a newline");
    }
    // The signed-note parser reads lines only after a note text; give it a placeholder text.
    List<NoteSignature> sigs = Note.parse("line\n\n" + line + "\n").signatures();
    return sigs.get(0);
  }

  /** The timestamp a cosignature's bytes start with; -1 if they are too short. */
  public static long timestampOf(byte[] signature) {
    return signature.length < TIMESTAMP_SIZE ? -1 : ByteBuffer.wrap(signature).getLong();
  }

  /** The bytes after the timestamp. Requires at least {@link #TIMESTAMP_SIZE} bytes. */
  public static byte[] withoutTimestamp(byte[] signature) {
    byte[] s = new byte[signature.length - TIMESTAMP_SIZE];
    System.arraycopy(signature, TIMESTAMP_SIZE, s, 0, s.length);
    return s;
  }
}
