package org.ledgerpki.cosign.witness;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerificationException;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.MlDsaCosignatureVerifier;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.core.tlog.SubtreeCosignature;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;

/**
 * Checks {@link Cosignature} records against the trust policy, as the aggregator must before it
 * publishes them: the author is a COSIGNER member, every line is by one of that member's cosigner
 * keys, and every line verifies.
 *
 * <ul>
 *   <li>CHECKPOINT: start 0, end and hash the checkpoint's size and root; the lines are the
 *       member's Ed25519 {@code cosignature/v1} line (required) and optionally its timestamped
 *       ML-DSA-44 {@code subtree/v1} line and its ML-DSA-44 status cosignature (type 0xff, ADR
 *       0010; a record written before it has none), verified over the checkpoint's note text.
 *   <li>SUBTREE: a valid non-empty subtree, timestamp 0, one ML-DSA-44 line whose timestamp is 0
 *       and whose signature verifies with {@code SubtreeCosignature.verifySubtree}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class CosignatureCheck {
  /** A cosignature that does not verify, with the reason. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    public Invalid(String message) {
      super(message);
    }
  }

  /** A cosigner's keys, from the policy. */
  private record Keys(
      TrustPolicy.Member member,
      NoteVerifier ed25519,
      MlDsaCosignatureVerifier mlDsa,
      NoteVerifier mlDsaStatus,
      PublicKey mlDsaKey) {}

  private final Map<String, Keys> cosigners = new HashMap<>();

  public CosignatureCheck(TrustPolicy policy) {
    for (TrustPolicy.Member m : policy.members(Role.COSIGNER)) {
      TrustPolicy.CosignerIdentity c = m.cosigner();
      try {
        MlDsaCosignatureVerifier mlDsa =
            c.mldsa44Vkey() == null
                ? null
                : MlDsaCosignatureVerifier.fromVkey(Vkey.parse(c.mldsa44Vkey()));
        cosigners.put(
            m.id(),
            new Keys(
                m,
                NoteVerifiers.fromVkey(c.ed25519Vkey()),
                mlDsa,
                mlDsa == null ? null : mlDsa.statusVerifier(),
                c.mldsa44()));
      } catch (MalformedInputException e) {
        throw new IllegalArgumentException(
            "the policy's cosigner vkeys of '" + m.id() + "': " + e.getMessage(), e);
      }
    }
  }

  /** The policy member behind a valid cosignature's {@code cosigner} field. */
  public TrustPolicy.Member member(String cosigner) throws Invalid {
    return keys(cosigner).member();
  }

  /**
   * Checks a CHECKPOINT cosignature on the checkpoint with note text {@code checkpointText}, size
   * {@code size} and root {@code root}.
   *
   * @throws Invalid naming the fault
   */
  public void checkCheckpoint(Cosignature c, String checkpointText, long size, byte[] root)
      throws Invalid {
    Keys k = keys(c.getCosigner());
    if (c.getKind() != CosignatureKind.CHECKPOINT) {
      throw new Invalid("not a CHECKPOINT cosignature");
    }
    if (c.getStart() != 0 || c.getEnd() != size) {
      throw new Invalid(
          "covers ["
              + c.getStart()
              + ", "
              + c.getEnd()
              + "), not the checkpoint [0, "
              + size
              + ")");
    }
    if (!java.util.Arrays.equals(Evidence.bytes(c.getHash()), root)) {
      throw new Invalid("names another root than the checkpoint's");
    }
    List<NoteSignature> sigs = parseLines(c.getLines());
    boolean ed25519 = false;
    for (NoteSignature s : sigs) {
      if (matches(s, k.ed25519())) {
        ed25519 = true;
      } else if (!matches(s, k.mlDsa()) && !matches(s, k.mlDsaStatus())) {
        throw new Invalid(
            "line by key "
                + s.keyName()
                + "+"
                + s.keyIdHex()
                + " is not a cosigner key of '"
                + c.getCosigner()
                + "'");
      }
    }
    if (!ed25519) {
      throw new Invalid("no Ed25519 cosignature/v1 line");
    }
    List<NoteVerifier> known = new ArrayList<>();
    known.add(k.ed25519());
    if (k.mlDsa() != null) {
      known.add(k.mlDsa());
      known.add(k.mlDsaStatus());
    }
    try {
      Notes.verify(new Note(checkpointText, sigs), known);
    } catch (NoteVerificationException e) {
      throw new Invalid(e.getMessage());
    }
  }

  /**
   * Checks a SUBTREE cosignature over its own {@code [start, end)} and hash.
   *
   * @return the bare ML-DSA-44 signature (without key ID and timestamp), as certificates carry it
   * @throws Invalid naming the fault
   */
  public byte[] checkSubtree(Cosignature c) throws Invalid {
    Keys k = keys(c.getCosigner());
    if (c.getKind() != CosignatureKind.SUBTREE) {
      throw new Invalid("not a SUBTREE cosignature");
    }
    long start = c.getStart();
    long end = c.getEnd();
    if (start < 0 || end <= start || !Subtrees.isValid(start, end)) {
      throw new Invalid("[" + start + ", " + end + ") is not a non-empty valid subtree");
    }
    if (c.getTimestamp() != 0) {
      throw new Invalid("a subtree signature must have timestamp 0, not " + c.getTimestamp());
    }
    if (k.mlDsa() == null) {
      throw new Invalid("'" + c.getCosigner() + "' has no ML-DSA-44 key in the policy");
    }
    List<NoteSignature> sigs = parseLines(c.getLines());
    if (sigs.size() != 1) {
      throw new Invalid("a subtree cosignature has one line, found " + sigs.size());
    }
    NoteSignature s = sigs.get(0);
    if (!matches(s, k.mlDsa())) {
      throw new Invalid(
          "line by key "
              + s.keyName()
              + "+"
              + s.keyIdHex()
              + " is not the ML-DSA-44 key of '"
              + c.getCosigner()
              + "'");
    }
    byte[] timestamped = s.signature();
    if (SignatureLines.timestampOf(timestamped) != 0) {
      throw new Invalid("the line's timestamp is not 0");
    }
    byte[] signature = SignatureLines.withoutTimestamp(timestamped);
    byte[] hash = Evidence.bytes(c.getHash());
    if (!SubtreeCosignature.verifySubtree(
        k.mlDsaKey(), k.mlDsa().name(), 0, c.getOrigin(), start, end, hash, signature)) {
      throw new Invalid(
          "the ML-DSA-44 signature does not verify over [" + start + ", " + end + ") and its hash");
    }
    return signature;
  }

  private Keys keys(String cosigner) throws Invalid {
    Keys k = cosigners.get(cosigner);
    if (k == null) {
      throw new Invalid("'" + cosigner + "' is not a cosigner of the trust policy");
    }
    return k;
  }

  private static boolean matches(NoteSignature s, NoteVerifier v) {
    return v != null && v.name().equals(s.keyName()) && v.keyId() == s.keyId();
  }

  private static List<NoteSignature> parseLines(List<String> lines) throws Invalid {
    if (lines.isEmpty()) {
      throw new Invalid("no signature lines");
    }
    List<NoteSignature> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      try {
        out.add(SignatureLines.parse(line));
      } catch (MalformedInputException e) {
        throw new Invalid(e.getMessage());
      }
    }
    return out;
  }
}
