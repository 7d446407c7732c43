package org.ledgerpki.core.tlog;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Vkey;

/**
 * Makes Ed25519 {@code cosignature/v1} checkpoint cosignatures (type 0x04; see {@link
 * CosignatureV1}). The caller is responsible for the cosigner's duty: sign only checkpoints it has
 * checked to be consistent with everything it signed before.
 */
public final class Ed25519Cosigner implements NoteSigner {
  private final String name;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final int keyId;
  private final Clock clock;

  /**
   * Creates a cosigner whose timestamps come from {@code clock}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid key name or {@code privateKey}
   *     is not an Ed25519 key
   */
  public Ed25519Cosigner(String name, PrivateKey privateKey, Clock clock) {
    if (!NoteKeys.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    if (SignatureAlgorithm.of(privateKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("cosignature/v1 needs an Ed25519 private key");
    }
    this.name = name;
    this.privateKey = Signatures.defaults().adopt(privateKey);
    this.publicKey = Keys.publicKeyOf(privateKey);
    this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey));
    this.clock = Objects.requireNonNull(clock);
  }

  /** Creates a cosigner that timestamps with the system clock. */
  public Ed25519Cosigner(String name, PrivateKey privateKey) {
    this(name, privateKey, Clock.systemUTC());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  /** Returns the cosigner's public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Returns the cosigner's vkey (type 0x04). */
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_COSIGNATURE_V1, Keys.ed25519Raw(publicKey));
  }

  /** Returns a verifier for this cosigner. */
  public Ed25519CosignatureVerifier verifier() {
    return new Ed25519CosignatureVerifier(name, publicKey);
  }

  /**
   * Cosigns {@code checkpoint} at {@code timestamp} and returns the signature line to append to the
   * checkpoint note.
   *
   * @param timestamp POSIX seconds; requires {@code timestamp >= 0}
   */
  public NoteSignature cosign(Checkpoint checkpoint, long timestamp) {
    return new NoteSignature(name, keyId, signBody(checkpoint.body(), timestamp));
  }

  /**
   * Cosigns the checkpoint whose note text is {@code checkpointBody} at {@code timestamp}.
   *
   * @param timestamp POSIX seconds; requires {@code timestamp >= 0}
   * @throws IllegalArgumentException if {@code checkpointBody} is not a checkpoint in canonical
   *     form (see {@link Checkpoint#parse(String)})
   */
  public NoteSignature cosign(String checkpointBody, long timestamp) {
    try {
      return cosign(Checkpoint.parse(checkpointBody), timestamp);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("cosigners sign checkpoints only: " + e.getMessage(), e);
    }
  }

  /** Cosigns {@code checkpoint} with the current time of this cosigner's clock. */
  public NoteSignature cosign(Checkpoint checkpoint) {
    return cosign(checkpoint, clock.instant().getEpochSecond());
  }

  /**
   * Cosigns a checkpoint note text with the current time and returns the timestamped signature.
   *
   * @throws IllegalArgumentException if {@code text} is not a checkpoint
   */
  @Override
  public byte[] sign(byte[] text) {
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(new String(text, StandardCharsets.UTF_8));
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("cosigners sign checkpoints only: " + e.getMessage(), e);
    }
    return signBody(cp.body(), clock.instant().getEpochSecond());
  }

  private byte[] signBody(String body, long timestamp) {
    byte[] sig = Signatures.defaults().sign(privateKey, CosignatureV1.message(body, timestamp));
    return Cosignatures.timestamped(timestamp, sig);
  }

  @Override
  public String toString() {
    return "Ed25519Cosigner[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
