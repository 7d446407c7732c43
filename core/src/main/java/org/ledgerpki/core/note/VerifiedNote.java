package org.ledgerpki.core.note;

import java.util.List;

/**
 * A signed note whose signatures have been checked by {@link Notes#open}.
 *
 * @param note the parsed note, with all its signature lines (including those of unknown keys, which
 *     were not checked)
 * @param verifiedBy the known verifiers whose signatures verified, each once, in the order of their
 *     first signature line; never empty
 */
public record VerifiedNote(Note note, List<NoteVerifier> verifiedBy) {
  /** Creates a verified note; copies the list. */
  public VerifiedNote {
    verifiedBy = List.copyOf(verifiedBy);
  }

  /** Returns the verified note text. */
  public String text() {
    return note.text();
  }

  /** Returns the key names of {@link #verifiedBy()}. */
  public List<String> verifiedNames() {
    return verifiedBy.stream().map(NoteVerifier::name).toList();
  }
}
