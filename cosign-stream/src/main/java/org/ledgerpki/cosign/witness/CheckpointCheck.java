package org.ledgerpki.cosign.witness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.note.NoteVerificationException;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.schemas.Evidence;

/**
 * Opens a {@code Checkpoint} record: its origin is the policy's log, its note opens under the log's
 * vkeys with the log's Ed25519 signature (type 0x01) among those that verify (an ML-DSA-44 log
 * line, if the policy has that key, must verify as well, as any known signature must), the note is
 * a checkpoint, and the record's origin, size and root are the note's. Immutable and thread-safe.
 */
public final class CheckpointCheck {
  /** A checkpoint that failed, with the refusal reason and the detail. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final Refusal reason;

    public Rejected(Refusal reason, String detail) {
      super(detail);
      this.reason = reason;
    }

    public Refusal reason() {
      return reason;
    }
  }

  private final String origin;
  private final List<NoteVerifier> verifiers;
  private final NoteVerifier ed25519;

  public CheckpointCheck(TrustPolicy policy) {
    this.origin = policy.log().origin();
    List<NoteVerifier> v = new ArrayList<>();
    try {
      ed25519 = NoteVerifiers.fromVkey(policy.log().vkey());
      v.add(ed25519);
      if (policy.log().mldsaVkey() != null) {
        v.add(NoteVerifiers.fromVkey(policy.log().mldsaVkey()));
      }
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("the policy's log vkeys: " + e.getMessage(), e);
    }
    this.verifiers = List.copyOf(v);
  }

  /** The origin of the policy's log. */
  public String origin() {
    return origin;
  }

  /**
   * SHA-256 of the body (the note text) of {@code body}: what a CHECKPOINT cosignature names in
   * {@code bodySha256}, and part of the aggregator's key of a checkpoint.
   */
  public static byte[] bodySha256(Checkpoint body) {
    return Sha256.hash(body.body().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Opens {@code c}.
   *
   * @return the checkpoint body of its signed note
   * @throws Rejected if a check fails
   */
  public Checkpoint open(org.ledgerpki.schemas.avro.Checkpoint c) throws Rejected {
    if (!c.getOrigin().equals(origin)) {
      throw new Rejected(Refusal.UNKNOWN_LOG, "the origin is not the trust policy's log " + origin);
    }
    Checkpoint body;
    try {
      VerifiedNote note = Notes.open(c.getNote(), verifiers);
      if (!note.verifiedBy().contains(ed25519)) {
        throw new Rejected(
            Refusal.BAD_LOG_SIGNATURE, "the note has no Ed25519 signature of the log");
      }
      body = Checkpoint.fromNote(note.note());
    } catch (NoteVerificationException e) {
      throw new Rejected(Refusal.BAD_LOG_SIGNATURE, e.getMessage());
    } catch (MalformedInputException e) {
      throw new Rejected(Refusal.MALFORMED, e.getMessage());
    }
    byte[] root = Evidence.bytes(c.getRootHash());
    if (!body.origin().equals(c.getOrigin())
        || body.size() != c.getSize()
        || !Arrays.equals(body.rootHash(), root)) {
      throw new Rejected(
          Refusal.RECORD_MISMATCH,
          "the record says size "
              + c.getSize()
              + ", root "
              + Hex.encode(root)
              + ", the signed note says "
              + body);
    }
    return body;
  }
}
