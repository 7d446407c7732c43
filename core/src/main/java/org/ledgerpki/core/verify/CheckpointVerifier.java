package org.ledgerpki.core.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.tlog.CosignatureVerifier;
import org.ledgerpki.core.tlog.MlDsaCosignatureVerifier;
import org.ledgerpki.core.tlog.MlDsaStatusCosignatureVerifier;
import org.ledgerpki.core.tlog.NoteVerifiers;

/**
 * Checks a cosigned checkpoint against a {@link TrustBundle}: a C2SP checkpoint note signed by a
 * trusted log for its origin, with valid cosignatures from at least {@code cosignerQuorum} distinct
 * trusted cosigners. For each cosigner with an ML-DSA-44 key it also knows that key's status
 * cosignature (type 0xff, ADR 0010), which counts for the quorum like any cosignature and whose
 * timestamps it reports apart. Unknown signatures are ignored; a known signature that fails rejects
 * the note (C2SP signed-note). Thread-safe.
 */
public final class CheckpointVerifier {
  private final TrustBundle bundle;
  private final List<NoteVerifier> logs = new ArrayList<>();
  private final List<NoteVerifier> cosigners = new ArrayList<>();
  private final Set<KeyRef> statusKeys = new HashSet<>();

  public CheckpointVerifier(TrustBundle bundle) throws MalformedInputException {
    this.bundle = bundle;
    for (TrustBundle.Log l : bundle.logs()) {
      logs.add(NoteVerifiers.fromVkey(l.vkey()));
    }
    for (TrustBundle.Cosigner c : bundle.cosigners()) {
      NoteVerifier v = NoteVerifiers.fromVkey(c.vkey());
      cosigners.add(v);
      if (v instanceof MlDsaCosignatureVerifier ml) {
        // The same key signs the whole body under another key ID (ADR 0010).
        MlDsaStatusCosignatureVerifier status = ml.statusVerifier();
        cosigners.add(status);
        statusKeys.add(new KeyRef(status.name(), status.keyId()));
      }
    }
  }

  private record KeyRef(String name, int keyId) {}

  /**
   * The note as a JSON status answer carries it (ADR 0010): {@code signedNote} without the
   * ML-DSA-44 status cosignature lines of this bundle's cosigners, which only {@code
   * /v1/checkpoint} serves. Other lines stay, in their order; the checkpoint's name ({@link
   * StatusCheckpoints#sha256}) is unchanged.
   *
   * @throws MalformedInputException if it is not a signed note, or only status cosignature lines
   *     sign it
   */
  public String answerForm(String signedNote) throws MalformedInputException {
    Note note = Note.parse(signedNote);
    Note kept =
        note.keeping(
            s -> !statusKeys.contains(new KeyRef(s.keyName(), s.keyId())),
            "the checkpoint note has only status cosignature lines");
    return kept == note ? signedNote : kept.format();
  }

  public TrustBundle bundle() {
    return bundle;
  }

  /**
   * Verifies {@code signedNote}.
   *
   * @throws MalformedInputException if it is not a signed checkpoint note
   * @throws VerificationException if no trusted log signed it, a known signature fails, or fewer
   *     than the quorum of cosigners signed it; the message says how many of whom
   */
  public VerifiedCheckpoint verify(String signedNote)
      throws MalformedInputException, VerificationException {
    Note note = Note.parse(signedNote);
    Checkpoint cp = Checkpoint.fromNote(note);
    List<NoteVerifier> known = new ArrayList<>();
    boolean originTrusted = false;
    for (NoteVerifier v : logs) {
      if (v.name().equals(cp.origin())) {
        known.add(v);
        originTrusted = true;
      }
    }
    if (!originTrusted) {
      throw new VerificationException(
          "checkpoint origin '" + cp.origin() + "' is not a log in the trust bundle");
    }
    known.addAll(cosigners);
    VerifiedNote verified = Notes.verify(note, known);
    boolean logSigned = false;
    Set<String> cosignerNames = new TreeSet<>();
    Set<String> bodyNames = new TreeSet<>();
    Set<NoteVerifier> cosignerSet = new HashSet<>(cosigners);
    for (NoteVerifier v : verified.verifiedBy()) {
      if (cosignerSet.contains(v)) {
        cosignerNames.add(v.name());
        if (v instanceof CosignatureVerifier cv && cv.type() == NoteKeys.TYPE_COSIGNATURE_V1) {
          bodyNames.add(v.name());
        }
      } else {
        logSigned = true;
      }
    }
    if (!logSigned) {
      throw new VerificationException(
          "checkpoint of "
              + cp.origin()
              + " at size "
              + cp.size()
              + " carries no valid signature of the log");
    }
    if (cosignerNames.size() < bundle.cosignerQuorum()) {
      throw new VerificationException(
          "checkpoint of "
              + cp.origin()
              + " at size "
              + cp.size()
              + " has valid cosignatures from "
              + cosignerNames.size()
              + " cosigner(s) "
              + cosignerNames
              + "; the trust bundle requires "
              + bundle.cosignerQuorum());
    }
    long latest = 0;
    java.util.TreeMap<String, Long> bodyTimes = new java.util.TreeMap<>();
    java.util.TreeMap<String, Long> statusTimes = new java.util.TreeMap<>();
    for (NoteSignature s : note.signatures()) {
      for (NoteVerifier v : verified.verifiedBy()) {
        if (v instanceof CosignatureVerifier cv
            && cosignerSet.contains(v)
            && v.name().equals(s.keyName())
            && v.keyId() == s.keyId()) {
          long t = cv.timestampOf(s.signature());
          latest = Math.max(latest, t);
          if (cv.type() == NoteKeys.TYPE_COSIGNATURE_V1) {
            bodyTimes.merge(v.name(), t, Math::max);
          } else if (cv.type() == NoteKeys.TYPE_EXTENDED) {
            statusTimes.merge(v.name(), t, Math::max);
          }
        }
      }
    }
    return new VerifiedCheckpoint(
        cp,
        signedNote,
        List.copyOf(cosignerNames),
        List.copyOf(bodyNames),
        latest,
        java.util.Collections.unmodifiableSortedMap(bodyTimes),
        java.util.Collections.unmodifiableSortedMap(statusTimes));
  }
}
