package org.ledgerpki.core.note;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.ledgerpki.core.MalformedInputException;

/**
 * A signed note (C2SP signed-note): a text ending in a newline, a blank line, and one or more
 * signature lines. Parsing checks the syntax only; {@link Notes#open} checks the signatures.
 *
 * <p>Limits: a note may be at most {@link #MAX_BYTES} (1 MiB) of UTF-8 and carry at most {@link
 * #MAX_SIGNATURES} (256) signature lines. The spec asks verifiers to accept at least 16 signatures
 * and to bound the size; 1 MiB holds about 150 ML-DSA-87 signatures or thousands of Ed25519 ones,
 * and the line limit caps the number of signature checks a note can demand.
 *
 * @param text the note text, including its final newline
 * @param signatures the signature lines, in order; at least one
 */
public record Note(String text, List<NoteSignature> signatures) {
  /** The largest note accepted, in bytes of UTF-8: 1 MiB. */
  public static final int MAX_BYTES = 1 << 20;

  /** The most signature lines accepted in one note. */
  public static final int MAX_SIGNATURES = 256;

  /**
   * Creates a note.
   *
   * @throws IllegalArgumentException if {@code text} is not a valid note text (see {@link
   *     #checkText(String)}) or there is no signature
   */
  public Note {
    try {
      checkText(text);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signed note needs at least one signature");
    }
    signatures = List.copyOf(signatures);
  }

  /**
   * This note with only the signature lines {@code keep} accepts: the same text, signed by fewer.
   *
   * @param none the message if no line is kept (a signed note needs one)
   * @throws MalformedInputException if {@code keep} accepts no line
   */
  public Note keeping(Predicate<NoteSignature> keep, String none) throws MalformedInputException {
    List<NoteSignature> kept = new ArrayList<>(signatures.size());
    for (NoteSignature s : signatures) {
      if (keep.test(s)) {
        kept.add(s);
      }
    }
    if (kept.isEmpty()) {
      throw new MalformedInputException(none);
    }
    return kept.size() == signatures.size() ? this : new Note(text, kept);
  }

  /** Returns the note text as UTF-8 bytes: what the signatures sign. */
  public byte[] textBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the signed note: text, blank line, and each signature line ending in a newline. */
  public String format() {
    StringBuilder b = new StringBuilder(text).append('\n');
    for (NoteSignature s : signatures) {
      b.append(s.line()).append('\n');
    }
    return b.toString();
  }

  /** Returns a note with the same text and {@code signature} appended to the signatures. */
  public Note withSignature(NoteSignature signature) {
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(signature);
    return new Note(text, all);
  }

  /**
   * Parses a signed note given as bytes, which must be valid UTF-8.
   *
   * @throws MalformedInputException as {@link #parse(String)}, or if the bytes are not UTF-8
   */
  public static Note parse(byte[] utf8) throws MalformedInputException {
    if (utf8.length > MAX_BYTES) {
      throw new MalformedInputException(
          "note: " + utf8.length + " bytes exceeds the limit of " + MAX_BYTES);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars;
    try {
      chars = decoder.decode(ByteBuffer.wrap(utf8));
    } catch (CharacterCodingException e) {
      throw new MalformedInputException("note: not valid UTF-8");
    }
    return parse(chars.toString());
  }

  /**
   * Parses a signed note. The text is everything up to and including the newline before the last
   * empty line; every line after that must be a signature line {@code — <name> <base64>}, where the
   * name is non-empty without spaces or {@code +}, and the base64 (standard, padded, canonical)
   * decodes to at least 5 bytes (a 4-byte key ID and a signature).
   *
   * @throws MalformedInputException if the note exceeds the limits, contains a control character
   *     other than newline or an unpaired surrogate, does not end in a newline, has no blank line,
   *     or has a malformed signature line; the message names the fault and the line
   */
  public static Note parse(String note) throws MalformedInputException {
    checkCharacters(note, "note");
    if (!note.endsWith("\n")) {
      throw new MalformedInputException("note: does not end with a newline");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new MalformedInputException(
          "note: no blank line separating the text from the signatures");
    }
    String text = note.substring(0, split + 1);
    String sigs = note.substring(split + 2);
    if (sigs.isEmpty()) {
      throw new MalformedInputException("note: no signature lines after the blank line");
    }
    String[] lines = sigs.substring(0, sigs.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new MalformedInputException(
          "note: " + lines.length + " signature lines exceeds the limit of " + MAX_SIGNATURES);
    }
    List<NoteSignature> signatures = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      signatures.add(parseLine(lines[i], i + 1));
    }
    return new Note(text, signatures);
  }

  private static NoteSignature parseLine(String line, int n) throws MalformedInputException {
    String where = "note: signature line " + n + ": ";
    if (!line.startsWith(NoteSignature.LINE_PREFIX)) {
      throw new MalformedInputException(
          where + "does not start with an em dash (U+2014) and a space");
    }
    String rest = line.substring(NoteSignature.LINE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw new MalformedInputException(where + "no space between key name and signature");
    }
    String name = rest.substring(0, space);
    String b64 = rest.substring(space + 1);
    if (!NoteKeys.isValidKeyName(name)) {
      throw new MalformedInputException(
          where + "invalid key name '" + name + "' (must be non-empty, without spaces or '+')");
    }
    byte[] bytes = decodeBase64(b64, where + "signature");
    if (bytes.length < 5) {
      throw new MalformedInputException(
          where + "signature is " + bytes.length + " bytes; at least 5 (key ID and signature)");
    }
    int keyId = ByteBuffer.wrap(bytes, 0, 4).getInt();
    byte[] sig = new byte[bytes.length - 4];
    System.arraycopy(bytes, 4, sig, 0, sig.length);
    return new NoteSignature(name, keyId, sig);
  }

  /**
   * Checks that {@code text} can be the text of a signed note: it ends in a newline, is at most
   * {@link #MAX_BYTES} of UTF-8, and has no control characters other than newline and no unpaired
   * surrogates.
   *
   * @throws MalformedInputException naming the fault
   */
  public static void checkText(String text) throws MalformedInputException {
    checkCharacters(text, "note text");
    if (!text.endsWith("\n")) {
      throw new MalformedInputException("note text: does not end with a newline");
    }
  }

  private static void checkCharacters(String s, String what) throws MalformedInputException {
    // Each char is at most 3 bytes of UTF-8 (a surrogate pair, 2 chars, is 4 bytes).
    if ((long) s.length() * 3 > MAX_BYTES
        && s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new MalformedInputException(what + ": exceeds the limit of " + MAX_BYTES + " bytes");
    }
    int line = 1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
      } else if (c < 0x20) {
        throw new MalformedInputException(
            what + ": control character U+" + String.format("%04X", (int) c) + " on line " + line);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new MalformedInputException(what + ": unpaired surrogate on line " + line);
      }
    }
  }

  /**
   * Decodes standard base64 (RFC 4648 section 4) strictly: padding required, no whitespace, no
   * non-zero pad bits.
   */
  static byte[] decodeBase64(String b64, String what) throws MalformedInputException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(what + ": bad base64 (" + e.getMessage() + ")");
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(b64)) {
      throw new MalformedInputException(what + ": base64 is not in canonical padded form");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "Note[" + text.length() + " chars, " + signatures.size() + " signatures]";
  }
}
