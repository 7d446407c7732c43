package org.ledgerpki.issuance.checkpoint;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.Ed25519NoteSigner;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.MlDsaCosigner;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The issuance log's checkpoint signer: its Ed25519 note key (signature type 0x01, key name = the
 * log origin) and, optionally, its ML-DSA-44 key, which adds a timestamped {@code subtree/v1} line
 * (type 0x06) over {@code [0, size)} for post-quantum assurance. Only the issuance stream holds
 * these keys. Immutable; never prints key material.
 */
public final class LogSigner {
  private final String origin;
  private final KeyPair ed25519;
  private final KeyPair mlDsa44;
  private final Ed25519NoteSigner noteSigner;
  private final PrivateKey recordKey;

  private LogSigner(String origin, KeyPair ed25519, KeyPair mlDsa44) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.ed25519 = Objects.requireNonNull(ed25519, "ed25519");
    this.mlDsa44 = mlDsa44;
    if (SignatureAlgorithm.of(ed25519.getPrivate()) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("the log's checkpoint key must be Ed25519");
    }
    if (mlDsa44 != null
        && SignatureAlgorithm.of(mlDsa44.getPrivate()) != SignatureAlgorithm.ML_DSA_44) {
      throw new IllegalArgumentException("the log's post-quantum key must be ML-DSA-44");
    }
    this.noteSigner = new Ed25519NoteSigner(origin, ed25519.getPrivate());
    this.recordKey = Signatures.defaults().adopt(ed25519.getPrivate());
  }

  /** The signer of the log with these keys (ML-DSA-44 if {@code keys} has one). */
  public static LogSigner of(LogKeys keys) {
    return new LogSigner(keys.origin(), keys.ed25519(), keys.mlDsa44());
  }

  /**
   * The signer of log {@code origin}.
   *
   * @param ed25519 the checkpoint key; Ed25519
   * @param mlDsa44 the ML-DSA-44 key, or null to sign with Ed25519 only
   * @throws IllegalArgumentException if a key has the wrong algorithm or the origin is not a valid
   *     key name
   */
  public static LogSigner of(String origin, KeyPair ed25519, KeyPair mlDsa44) {
    return new LogSigner(origin, ed25519, mlDsa44);
  }

  /** The log origin, which is also the name of both keys. */
  public String origin() {
    return origin;
  }

  /** Whether checkpoints also carry an ML-DSA-44 {@code subtree/v1} line. */
  public boolean hasMlDsa() {
    return mlDsa44 != null;
  }

  /** The vkey of the Ed25519 checkpoint key, as the trust policy lists it. */
  public String vkey() {
    return noteSigner.vkey().format();
  }

  /** The vkey of the ML-DSA-44 key, if any. */
  public Optional<String> mlDsaVkey() {
    return mlDsa44 == null
        ? Optional.empty()
        : Optional.of(new MlDsaCosigner(origin, mlDsa44.getPrivate()).vkey().format());
  }

  /**
   * Checks that these are the keys the trust policy gives the log: same origin, same Ed25519 key,
   * and an ML-DSA-44 key exactly when the policy lists one, the same one.
   *
   * @return an empty list if they match, else one message per mismatch, naming the expected and the
   *     found values
   */
  public List<String> mismatches(TrustPolicy.LogIdentity log) {
    List<String> out = new ArrayList<>();
    if (!origin.equals(log.origin())) {
      out.add(
          "the key is for log origin '" + origin + "', the policy's log is '" + log.origin() + "'");
    }
    if (!MessageDigest.isEqual(
        Keys.ed25519Raw(ed25519.getPublic()), Keys.ed25519Raw(log.ed25519()))) {
      out.add(
          "the Ed25519 key is not the policy's log key: policy has "
              + log.vkey()
              + ", the key's vkey is "
              + vkey());
    }
    if (log.mldsa44() == null && mlDsa44 != null) {
      out.add("an ML-DSA-44 log key is configured, but the policy lists none (log.mldsaKey)");
    } else if (log.mldsa44() != null && mlDsa44 == null) {
      out.add(
          "the policy lists an ML-DSA-44 log key (log.mldsaKey), but none is configured; "
              + "checkpoints would lack the post-quantum signature the consortium expects");
    } else if (log.mldsa44() != null
        && !MessageDigest.isEqual(
            Keys.mlDsaRaw(mlDsa44.getPublic()), Keys.mlDsaRaw(log.mldsa44()))) {
      out.add(
          "the ML-DSA-44 key is not the policy's: policy has "
              + log.mldsaVkey()
              + ", the key's vkey is "
              + mlDsaVkey().orElseThrow());
    }
    return out;
  }

  /**
   * The note signers of a checkpoint: Ed25519, then ML-DSA-44 (if any) whose {@code subtree/v1}
   * timestamps come from {@code clock}.
   */
  List<NoteSigner> noteSigners(Clock clock) {
    List<NoteSigner> out = new ArrayList<>(2);
    out.add(noteSigner);
    if (mlDsa44 != null) {
      out.add(new MlDsaCosigner(origin, mlDsa44.getPrivate(), clock));
    }
    return List.copyOf(out);
  }

  /**
   * Signs a checkpoint body (C2SP tlog-checkpoint note text) and returns the signed note.
   *
   * @throws IllegalArgumentException if {@code checkpointBody} is not a checkpoint of this log
   */
  public String sign(String checkpointBody, Clock clock) {
    if (!checkpointBody.startsWith(origin + "\n")) {
      throw new IllegalArgumentException(
          "log "
              + origin
              + " signs only its own checkpoints, got one starting with '"
              + checkpointBody.lines().findFirst().orElse("")
              + "'");
    }
    return Notes.sign(checkpointBody, noteSigners(clock));
  }

  /**
   * Signs an entry the log publishes on {@code ledger.entries} (its {@code logSignature}, with the
   * Ed25519 key; docs/adr/0012-log-signed-ledger-records.md).
   *
   * @return {@code e}, signed
   */
  public LedgerEntry sign(LedgerEntry e) {
    return LogRecords.sign(e, recordKey);
  }

  /** Signs a status event the log publishes on {@code ledger.status}, as entries are signed. */
  public StatusEntry sign(StatusEntry s) {
    return LogRecords.sign(s, recordKey);
  }

  /** Signs a decision the log publishes on {@code ledger.decisions}, as entries are signed. */
  public Decision sign(Decision d) {
    return LogRecords.sign(d, recordKey);
  }

  @Override
  public String toString() {
    return "LogSigner[" + origin + (mlDsa44 == null ? ", Ed25519" : ", Ed25519 + ML-DSA-44") + "]";
  }
}
