package org.ledgerpki.core.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.note.Note;

/**
 * The cosigned checkpoints a relying party holds, each verified against its trust bundle when it
 * came, by name ({@link StatusCheckpoints#sha256}). An answer that names one of them may leave the
 * note out (ADR 0009): the relying party checks the answer's proofs against the checkpoint it
 * verified itself, and takes freshness from that checkpoint's cosignature timestamps, so the check
 * is the one it makes on a full answer. For each name it keeps the signed form with the newest
 * {@code cosignature/v1} time a quorum vouches for (a checkpoint re-cosigned on a heartbeat has the
 * same name and fresher signatures); under a bundle that requires ML-DSA-44 status cosignatures
 * (ADR 0010), the time a quorum vouches for in both forms, so the status form an answer carries
 * never displaces the full note of {@code /v1/checkpoint}. It keeps the {@value #KEPT} most
 * recently offered names. Thread-safe.
 */
public final class HeldCheckpoints {
  /** How many checkpoints are kept: the newest few of a log, or one each of a few logs. */
  public static final int KEPT = 8;

  private final CheckpointVerifier verifier;
  private final Map<String, VerifiedCheckpoint> byName =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VerifiedCheckpoint> eldest) {
          return size() > KEPT;
        }
      };

  public HeldCheckpoints(TrustBundle bundle) throws MalformedInputException {
    this.verifier = new CheckpointVerifier(bundle);
  }

  /** The trust bundle every held checkpoint verified against. */
  public TrustBundle bundle() {
    return verifier.bundle();
  }

  /**
   * Verifies {@code signedNote} (the full note of {@code /v1/checkpoint}, or the status form an
   * answer carries) and holds it under its name, unless a form with fresher signed time is held.
   *
   * @return the verified checkpoint held under that name afterwards
   * @throws MalformedInputException if it is not a signed checkpoint note
   * @throws VerificationException if it does not verify against the trust bundle; nothing is held
   */
  public VerifiedCheckpoint hold(String signedNote)
      throws MalformedInputException, VerificationException {
    VerifiedCheckpoint v = verifier.verify(signedNote);
    String name = StatusCheckpoints.sha256(Note.parse(signedNote));
    synchronized (byName) {
      VerifiedCheckpoint held = byName.get(name);
      if (held != null && signedTime(held) > signedTime(v)) {
        return held;
      }
      byName.put(name, v);
      return v;
    }
  }

  /** The checkpoint held under {@code sha256}, if any. */
  public Optional<VerifiedCheckpoint> get(String sha256) {
    synchronized (byName) {
      return Optional.ofNullable(byName.get(sha256));
    }
  }

  /**
   * The names to send in {@code X-Checkpoint-Held}: the held checkpoints that a quorum of trusted
   * cosigners signed within the bundle's maximum age at {@code at}, in every form the bundle
   * requires (a stale one is of no use to an answer: it would fail the freshness check).
   *
   * @param at the relying party's clock, plus whatever margin it wants before a checkpoint ages out
   */
  public List<String> freshNames(Instant at) {
    TrustBundle b = verifier.bundle();
    List<String> out = new ArrayList<>();
    synchronized (byName) {
      byName.forEach(
          (name, v) -> {
            if (SignedFreshness.isFresh(v, b, at.getEpochSecond(), Long.MAX_VALUE / 2)) {
              out.add(name);
            }
          });
    }
    return out;
  }

  /** The time a quorum of its cosigners vouch for, in every form the bundle requires. */
  private long signedTime(VerifiedCheckpoint v) {
    return SignedFreshness.signedTime(v, verifier.bundle());
  }
}
