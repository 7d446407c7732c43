package org.ledgerpki.core.tlog;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.NoteKeys;

/**
 * The ML-DSA-44 status cosignature of this system (ADR 0010): a timestamped cosignature over the
 * whole checkpoint body, extension lines (the status commitment) included, by the cosigner's
 * ML-DSA-44 {@code subtree/v1} key. C2SP defines no post-quantum cosignature of the whole body, so
 * it is a signed-note type 0xff with a longer identifier, as signed-note recommends, and reuses the
 * cosigner key with a different key ID algorithm byte and a different newline-terminated prefix, as
 * tlog-cosignature allows.
 *
 * <p>The signed message is
 *
 * <pre>
 * "ledgerpki.org/status-cosignature/v1\n"
 * "cosigner " cosigner_name "\n"
 * "time " timestamp "\n"
 * the whole checkpoint body, with its final newline and without signature lines
 * </pre>
 *
 * with the timestamp in ASCII decimal without leading zeros. Its first line differs from the first
 * bytes of the other messages a cosigner key signs ({@code "subtree/v1\n\0"}, {@code
 * "cosignature/v1\n"}), so no signature of one kind verifies as another. The key ID is SHA-256(name
 * || 0x0A || 0xff || {@code "ledgerpki.org/status-cosignature/v1\n"} || 1312-byte public key)[:4];
 * a signature line carries the key ID, the u64 big-endian timestamp and the 2420-byte signature (a
 * {@code timestamped_signature}). ML-DSA is used in its pure form with an empty context, as for
 * {@code subtree/v1}.
 */
public final class StatusCosignature {
  /** The header line, without its newline: the identifier that follows the type byte 0xff. */
  public static final String HEADER = "ledgerpki.org/status-cosignature/v1";

  /** Size of the signature after the key ID: 8-byte timestamp and 2420-byte signature. */
  public static final int SIGNATURE_SIZE = SubtreeCosignature.SIGNATURE_SIZE;

  private static final byte[] IDENTIFIER = (HEADER + "\n").getBytes(StandardCharsets.US_ASCII);

  private StatusCosignature() {}

  /**
   * Returns the message that cosigner {@code cosignerName} signs for {@code checkpointBody} at
   * {@code timestamp}.
   *
   * @param cosignerName a valid key name (no whitespace, no plus sign)
   * @param checkpointBody the checkpoint note text, with its final newline
   * @param timestamp POSIX seconds; requires {@code timestamp >= 0}
   * @throws IllegalArgumentException if the name is not a valid key name or the timestamp is
   *     negative
   */
  public static byte[] message(String cosignerName, byte[] checkpointBody, long timestamp) {
    if (!NoteKeys.isValidKeyName(cosignerName)) {
      throw new IllegalArgumentException("invalid cosigner name '" + cosignerName + "'");
    }
    Cosignatures.requireTimestamp(timestamp);
    byte[] head =
        (HEADER + "\ncosigner " + cosignerName + "\ntime " + timestamp + "\n")
            .getBytes(StandardCharsets.UTF_8);
    return Cosignatures.concat(head, checkpointBody);
  }

  /**
   * Returns the key ID of cosigner {@code cosignerName} with the raw ML-DSA-44 public key {@code
   * rawPublicKey}.
   *
   * @throws IllegalArgumentException if the key is not 1312 bytes
   */
  public static int keyId(String cosignerName, byte[] rawPublicKey) {
    int size = SignatureAlgorithm.ML_DSA_44.mlDsaPublicKeySize();
    if (rawPublicKey.length != size) {
      throw new IllegalArgumentException(
          "an ML-DSA-44 public key is " + size + " bytes, not " + rawPublicKey.length);
    }
    return NoteKeys.keyId(
        cosignerName, NoteKeys.TYPE_EXTENDED, Cosignatures.concat(IDENTIFIER, rawPublicKey));
  }

  /**
   * Returns the key ID of cosigner {@code cosignerName} with ML-DSA-44 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code publicKey} is not an ML-DSA-44 key
   */
  public static int keyId(String cosignerName, PublicKey publicKey) {
    SubtreeCosignature.requireMlDsa44(publicKey);
    return keyId(cosignerName, Keys.mlDsaRaw(publicKey));
  }
}
