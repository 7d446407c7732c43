package org.ledgerpki.core.tlog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.note.NoteKeys;

/**
 * The ML-DSA-44 {@code subtree/v1} cosignature (C2SP tlog-cosignature type 0x06, and the MTC
 * draft's CosignedMessage). The signed message is
 *
 * <pre>
 * "subtree/v1\n\0" (12 bytes) || u8 len || cosigner_name || u64 timestamp
 *     || u8 len || log_origin || u64 start || u64 end || hash[32]
 * </pre>
 *
 * with big-endian integers. A checkpoint is signed as the subtree [0, size) with a timestamp; an
 * arbitrary subtree (for MTC certificates and landmarks) with timestamp 0. Extension lines of a
 * checkpoint are not signed. The key ID is SHA-256(name || 0x0A || 0x06 || 1312-byte public
 * key)[:4]; a signature line carries the key ID, the u64 timestamp and the 2420-byte signature.
 * ML-DSA is used in its pure form with an empty context.
 */
public final class SubtreeCosignature {
  /** The 12-byte label: {@code "subtree/v1"}, a newline and a zero byte. */
  private static final byte[] LABEL = "subtree/v1\n\0".getBytes(StandardCharsets.US_ASCII);

  /** Size of an ML-DSA-44 signature. */
  public static final int ML_DSA_44_SIGNATURE_SIZE = 2420;

  /** Size of the signature after the key ID: 8-byte timestamp and 2420-byte signature. */
  public static final int SIGNATURE_SIZE = 8 + ML_DSA_44_SIGNATURE_SIZE;

  private SubtreeCosignature() {}

  /** Returns the 12-byte label {@code "subtree/v1\n\0"}. */
  public static byte[] label() {
    return LABEL.clone();
  }

  /**
   * Returns the CosignedMessage for the given fields.
   *
   * @param cosignerName requires 1 to 255 bytes of UTF-8
   * @param timestamp POSIX seconds, or 0 for no statement about time; requires {@code timestamp >=
   *     0}, and {@code timestamp == 0} if {@code start != 0}
   * @param logOrigin the log's origin (its checkpoint origin line); requires 1 to 255 bytes
   * @param start requires {@code 0 <= start <= end}, and [start, end) a valid subtree: {@code
   *     start} a multiple of BIT_CEIL(end - start)
   * @param hash the subtree hash; requires 32 bytes
   * @throws IllegalArgumentException if a requirement does not hold; the message says which
   */
  public static byte[] cosignedMessage(
      String cosignerName, long timestamp, String logOrigin, long start, long end, byte[] hash) {
    byte[] name = lengthChecked(cosignerName, "cosigner name");
    byte[] origin = lengthChecked(logOrigin, "log origin");
    Cosignatures.requireTimestamp(timestamp);
    if (start < 0 || !Subtrees.isValid(start, end)) {
      throw new IllegalArgumentException("[" + start + ", " + end + ") is not a valid subtree");
    }
    if (start != 0 && timestamp != 0) {
      throw new IllegalArgumentException(
          "a subtree with start " + start + " != 0 must have timestamp 0, not " + timestamp);
    }
    if (hash.length != Sha256.SIZE) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(LABEL.length + 2 + name.length + origin.length + 24 + 32);
    out.writeBytes(LABEL);
    out.write(name.length);
    out.writeBytes(name);
    out.writeBytes(u64(timestamp));
    out.write(origin.length);
    out.writeBytes(origin);
    out.writeBytes(u64(start));
    out.writeBytes(u64(end));
    out.writeBytes(hash);
    return out.toByteArray();
  }

  /**
   * Returns whether {@code signature} (the bare 2420-byte ML-DSA-44 signature, without timestamp)
   * is a valid subtree signature by {@code publicKey} over the CosignedMessage of the other
   * arguments. This is the check for MTC certificates and landmarks.
   *
   * @return false if the signature does not verify, or if the arguments cannot form a
   *     CosignedMessage (a name or origin of 0 or more than 255 bytes, an invalid subtree, a
   *     non-zero timestamp with a non-zero start, a hash that is not 32 bytes)
   * @throws IllegalArgumentException if {@code publicKey} is not an ML-DSA-44 key
   */
  public static boolean verifySubtree(
      PublicKey publicKey,
      String cosignerName,
      long timestamp,
      String logOrigin,
      long start,
      long end,
      byte[] hash,
      byte[] signature) {
    requireMlDsa44(publicKey);
    byte[] message;
    try {
      message = cosignedMessage(cosignerName, timestamp, logOrigin, start, end, hash);
    } catch (IllegalArgumentException e) {
      return false; // no valid cosigner could have signed such a message
    }
    return signature.length == ML_DSA_44_SIGNATURE_SIZE
        && Signatures.defaults().verify(publicKey, message, signature);
  }

  /**
   * Returns the type 0x06 key ID of {@code cosignerName} with ML-DSA-44 key {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code publicKey} is not an ML-DSA-44 key
   */
  public static int keyId(String cosignerName, PublicKey publicKey) {
    requireMlDsa44(publicKey);
    return NoteKeys.keyId(cosignerName, NoteKeys.TYPE_SUBTREE_V1, Keys.mlDsaRaw(publicKey));
  }

  static void requireMlDsa44(PublicKey key) {
    requireMlDsa44(SignatureAlgorithm.of(key));
  }

  static void requireMlDsa44(PrivateKey key) {
    requireMlDsa44(SignatureAlgorithm.of(key));
  }

  private static void requireMlDsa44(SignatureAlgorithm alg) {
    if (alg != SignatureAlgorithm.ML_DSA_44) {
      throw new IllegalArgumentException(
          "subtree/v1 cosignatures need an ML-DSA-44 key, not " + alg.configName());
    }
  }

  private static byte[] lengthChecked(String s, String what) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 1 || b.length > 255) {
      throw new IllegalArgumentException(what + " must be 1 to 255 bytes, got " + b.length);
    }
    return b;
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
