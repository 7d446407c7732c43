package org.ledgerpki.core.note;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ledgerpki.core.MalformedInputException;

/**
 * Signs and opens C2SP signed notes.
 *
 * <p>{@link #open} applies the spec's rules: signatures whose (key name, key ID) matches no known
 * verifier are ignored, even if the name or the ID alone matches one; every signature that matches
 * a known verifier is verified, and if any fails the whole note is rejected; if no known signature
 * verifies, the note is rejected. Notes up to {@link Note#MAX_BYTES} (1 MiB) with up to {@link
 * Note#MAX_SIGNATURES} signature lines are accepted, well above the spec's minimum of 16
 * signatures.
 */
public final class Notes {
  private Notes() {}

  /**
   * Signs {@code text} with every signer, in order, and returns the signed note.
   *
   * @throws IllegalArgumentException if {@code text} is not a valid note text (it must end in a
   *     newline, hold no control characters other than newline, and fit in {@link Note#MAX_BYTES}),
   *     or {@code signers} is empty
   */
  public static String sign(String text, List<? extends NoteSigner> signers) {
    return signNote(text, signers).format();
  }

  /**
   * Signs {@code text} with every signer and returns the note (see {@link #sign(String, List)}).
   */
  public static Note signNote(String text, List<? extends NoteSigner> signers) {
    try {
      Note.checkText(text);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("no signers");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteSignature> sigs = new ArrayList<>(signers.size());
    for (NoteSigner s : signers) {
      sigs.add(new NoteSignature(s.name(), s.keyId(), s.sign(bytes)));
    }
    return new Note(text, sigs);
  }

  /**
   * Parses {@code signedNote} and checks its signatures against {@code known}.
   *
   * @param known the trusted verifiers; no two may share both name and key ID
   * @return the note and the known verifiers whose signatures verified
   * @throws MalformedInputException if the note does not parse (see {@link Note#parse(String)})
   * @throws NoteVerificationException if a signature by a known key does not verify, or no
   *     signature by a known key is present
   * @throws IllegalArgumentException if two known verifiers share name and key ID
   */
  public static VerifiedNote open(String signedNote, Collection<? extends NoteVerifier> known)
      throws MalformedInputException, NoteVerificationException {
    return verify(Note.parse(signedNote), known);
  }

  /**
   * As {@link #open(String, Collection)}, for a note given as bytes (which must be UTF-8).
   *
   * @throws MalformedInputException if the bytes are not UTF-8 or the note does not parse
   * @throws NoteVerificationException as {@link #open(String, Collection)}
   */
  public static VerifiedNote open(byte[] signedNote, Collection<? extends NoteVerifier> known)
      throws MalformedInputException, NoteVerificationException {
    return verify(Note.parse(signedNote), known);
  }

  /**
   * Checks the signatures of an already parsed note (see {@link #open(String, Collection)}).
   *
   * @throws NoteVerificationException as {@link #open(String, Collection)}
   */
  public static VerifiedNote verify(Note note, Collection<? extends NoteVerifier> known)
      throws NoteVerificationException {
    Map<KeyRef, NoteVerifier> byRef = new HashMap<>();
    for (NoteVerifier v : known) {
      NoteVerifier previous = byRef.put(new KeyRef(v.name(), v.keyId()), v);
      if (previous != null && previous != v) {
        throw new IllegalArgumentException(
            "two known verifiers share key name and ID " + ref(v.name(), v.keyId()));
      }
    }
    byte[] text = note.textBytes();
    Set<NoteVerifier> verified = new LinkedHashSet<>();
    for (NoteSignature sig : note.signatures()) {
      NoteVerifier v = byRef.get(new KeyRef(sig.keyName(), sig.keyId()));
      if (v == null) {
        continue; // unknown key: ignored, as the spec requires
      }
      if (!v.verify(text, sig.signature())) {
        throw new NoteVerificationException(
            NoteVerificationException.Reason.KNOWN_SIGNATURE_INVALID,
            "note: the signature by known key "
                + ref(sig.keyName(), sig.keyId())
                + " does not verify");
      }
      verified.add(v);
    }
    if (verified.isEmpty()) {
      List<String> present =
          note.signatures().stream().map(s -> ref(s.keyName(), s.keyId())).toList();
      List<String> trusted = known.stream().map(v -> ref(v.name(), v.keyId())).toList();
      throw new NoteVerificationException(
          NoteVerificationException.Reason.NO_KNOWN_SIGNATURE,
          "note: no signature by a known key; signed by " + present + ", known " + trusted);
    }
    return new VerifiedNote(note, new ArrayList<>(verified));
  }

  private static String ref(String name, int keyId) {
    return name + "+" + HexFormat.of().toHexDigits(keyId);
  }

  private record KeyRef(String name, int keyId) {}
}
