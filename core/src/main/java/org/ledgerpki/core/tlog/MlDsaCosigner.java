package org.ledgerpki.core.tlog;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Vkey;

/**
 * Makes ML-DSA-44 {@code subtree/v1} cosignatures (type 0x06; see {@link SubtreeCosignature}):
 * timestamped checkpoint cosignatures for notes, and untimestamped subtree signatures for MTC
 * certificates and landmarks; and, with the same key, the status cosignatures over the whole
 * checkpoint body ({@link StatusCosignature}, ADR 0010). The caller is responsible for the
 * cosigner's duty: sign only what is consistent with its view of the log.
 */
public final class MlDsaCosigner implements NoteSigner {
  private final String name;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final int keyId;
  private final int statusKeyId;
  private final Clock clock;

  /**
   * Creates a cosigner whose checkpoint timestamps come from {@code clock}.
   *
   * @param name the cosigner name, a valid key name of 1 to 255 bytes (for MTC: {@code oid/} and
   *     the cosigner's trust anchor ID as a dotted OID)
   * @throws IllegalArgumentException if the name is invalid or {@code privateKey} is not ML-DSA-44
   */
  public MlDsaCosigner(String name, PrivateKey privateKey, Clock clock) {
    if (!NoteKeys.isValidKeyName(name) || name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
    }
    SubtreeCosignature.requireMlDsa44(privateKey);
    this.name = name;
    this.privateKey = Signatures.defaults().adopt(privateKey);
    this.publicKey = Keys.publicKeyOf(privateKey);
    this.keyId = SubtreeCosignature.keyId(name, publicKey);
    this.statusKeyId = StatusCosignature.keyId(name, publicKey);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Creates a cosigner that timestamps with the system clock. */
  public MlDsaCosigner(String name, PrivateKey privateKey) {
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

  /** Returns the cosigner's ML-DSA-44 public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Returns the cosigner's vkey (type 0x06, 1312-byte key). */
  public Vkey vkey() {
    return Vkey.of(name, NoteKeys.TYPE_SUBTREE_V1, Keys.mlDsaRaw(publicKey));
  }

  /** Returns a verifier for this cosigner. */
  public MlDsaCosignatureVerifier verifier() {
    return new MlDsaCosignatureVerifier(name, publicKey);
  }

  /**
   * Cosigns {@code checkpoint} (as the subtree [0, size) with its root hash) at {@code timestamp}
   * and returns the signature line for the checkpoint note.
   *
   * @param timestamp POSIX seconds, or 0 for no statement about time; requires {@code timestamp >=
   *     0}
   * @throws IllegalArgumentException if the origin is longer than 255 bytes
   */
  public NoteSignature cosign(Checkpoint checkpoint, long timestamp) {
    byte[] sig =
        signMessage(
            SubtreeCosignature.cosignedMessage(
                name, timestamp, checkpoint.origin(), 0, checkpoint.size(), checkpoint.rootHash()));
    return new NoteSignature(name, keyId, Cosignatures.timestamped(timestamp, sig));
  }

  /**
   * Makes this cosigner's ML-DSA-44 status cosignature (type 0xff, ADR 0010; see {@link
   * StatusCosignature}) of {@code checkpoint} at {@code timestamp}: a signature over the whole
   * body, the status line included, under the status key ID of the same key.
   *
   * @param timestamp POSIX seconds; requires {@code timestamp >= 0}
   */
  public NoteSignature cosignStatus(Checkpoint checkpoint, long timestamp) {
    byte[] message =
        StatusCosignature.message(
            name, checkpoint.body().getBytes(StandardCharsets.UTF_8), timestamp);
    return new NoteSignature(
        name, statusKeyId, Cosignatures.timestamped(timestamp, signMessage(message)));
  }

  /** Returns the key ID of this cosigner's status cosignatures (type 0xff). */
  public int statusKeyId() {
    return statusKeyId;
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
   * Signs the subtree [start, end) of log {@code logOrigin} with hash {@code hash}, with timestamp
   * 0, and returns the bare 2420-byte ML-DSA-44 signature (as MTC certificates carry it).
   *
   * @throws IllegalArgumentException if the arguments cannot form a CosignedMessage (see {@link
   *     SubtreeCosignature#cosignedMessage})
   */
  public byte[] signSubtree(String logOrigin, long start, long end, byte[] hash) {
    return signMessage(SubtreeCosignature.cosignedMessage(name, 0, logOrigin, start, end, hash));
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
    return cosign(cp).signature();
  }

  private byte[] signMessage(byte[] message) {
    return Signatures.defaults().sign(privateKey, message);
  }

  @Override
  public String toString() {
    return "MlDsaCosigner[" + name + "+" + HexFormat.of().toHexDigits(keyId) + "]";
  }
}
