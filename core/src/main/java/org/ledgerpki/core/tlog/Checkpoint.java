package org.ledgerpki.core.tlog;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.note.Note;

/**
 * A transparency log checkpoint (C2SP tlog-checkpoint): the note text that commits to a log's tree
 * head. The body is the origin, the decimal tree size and the base64 root hash, each on its own
 * line, then any extension lines.
 *
 * @param origin the log's origin; non-empty, no newline
 * @param size the tree size; non-negative
 * @param rootHash the 32-byte RFC 6962 root hash; the record keeps its own copy
 * @param extensions extension lines, each non-empty and without newline (usually none)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  /**
   * Creates a checkpoint.
   *
   * @throws IllegalArgumentException if {@code origin} is empty or contains a control character,
   *     {@code size < 0}, the root is not 32 bytes, or an extension line is empty or contains a
   *     control character
   */
  public Checkpoint {
    if (origin.isEmpty() || hasControl(origin)) {
      throw new IllegalArgumentException(
          "checkpoint origin must be non-empty without control characters");
    }
    if (size < 0) {
      throw new IllegalArgumentException("checkpoint size " + size + " is negative");
    }
    if (rootHash.length != Sha256.SIZE) {
      throw new IllegalArgumentException(
          "checkpoint root hash must be 32 bytes, got " + rootHash.length);
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String e : extensions) {
      if (e.isEmpty() || hasControl(e)) {
        throw new IllegalArgumentException(
            "checkpoint extension lines must be non-empty without control characters");
      }
    }
  }

  /** Creates a checkpoint without extension lines. */
  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /** Returns a copy of the root hash. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** Returns the note text: {@code origin\nsize\nbase64(root)\n} followed by extension lines. */
  public String body() {
    StringBuilder b =
        new StringBuilder(origin)
            .append('\n')
            .append(size)
            .append('\n')
            .append(Base64.getEncoder().encodeToString(rootHash))
            .append('\n');
    for (String e : extensions) {
      b.append(e).append('\n');
    }
    return b.toString();
  }

  /**
   * Parses a checkpoint body (a note text).
   *
   * @throws MalformedInputException if there are fewer than three lines, the body does not end in a
   *     newline, the origin is empty, the size is not a decimal without leading zeros (other than
   *     "0") that fits in 63 bits, the root is not canonical base64 of 32 bytes, or an extension
   *     line is empty; the message names the line
   */
  public static Checkpoint parse(String body) throws MalformedInputException {
    if (!body.endsWith("\n")) {
      throw new MalformedInputException("checkpoint: does not end with a newline");
    }
    if (hasControl(body.replace("\n", ""))) {
      throw new MalformedInputException("checkpoint: contains a control character");
    }
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new MalformedInputException(
          "checkpoint: expected at least 3 lines (origin, size, root hash), got " + lines.length);
    }
    String origin = lines[0];
    if (origin.isEmpty()) {
      throw new MalformedInputException("checkpoint: line 1: origin is empty");
    }
    long size = parseSize(lines[1]);
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("checkpoint: line 3: root hash is not base64");
    }
    if (root.length != Sha256.SIZE || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
      throw new MalformedInputException(
          "checkpoint: line 3: root hash must be canonical base64 of 32 bytes, got '"
              + lines[2]
              + "'");
    }
    List<String> extensions = Arrays.asList(lines).subList(3, lines.length);
    for (int i = 0; i < extensions.size(); i++) {
      if (extensions.get(i).isEmpty()) {
        throw new MalformedInputException("checkpoint: line " + (i + 4) + ": empty extension line");
      }
    }
    return new Checkpoint(origin, size, root, extensions);
  }

  /**
   * Returns the checkpoint in the text of a signed note. The note's signatures are not checked
   * here; open the note with {@code Notes.open} first.
   *
   * @throws MalformedInputException if the note text is not a checkpoint
   */
  public static Checkpoint fromNote(Note note) throws MalformedInputException {
    return parse(note.text());
  }

  private static long parseSize(String s) throws MalformedInputException {
    boolean digits = !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || (s.length() > 1 && s.charAt(0) == '0')) {
      throw new MalformedInputException(
          "checkpoint: line 2: size '" + s + "' is not a decimal without leading zeros");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedInputException("checkpoint: line 2: size " + s + " exceeds 2^63-1");
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && origin.equals(c.origin)
        && size == c.size
        && Arrays.equals(rootHash, c.rootHash)
        && extensions.equals(c.extensions);
  }

  @Override
  public int hashCode() {
    return (origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + ", size " + size + ", root " + Hex.encode(rootHash) + "]";
  }
}
