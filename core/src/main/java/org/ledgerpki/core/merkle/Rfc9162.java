package org.ledgerpki.core.merkle;

import java.security.MessageDigest;
import org.ledgerpki.core.Sha256;

/**
 * The RFC 9162 §2.1.1 Merkle tree hasher with SHA-256, as RFC 6962, C2SP tlog-checkpoint and the
 * MTC draft use it: {@code MTH({}) = SHA-256()}, {@code leaf = SHA-256(0x00 || entry)}, {@code node
 * = SHA-256(0x01 || left || right)}.
 *
 * <p>Thread-safe. Each thread reuses its own {@link MessageDigest}, because leaf and node hashing
 * is the hot path of appends and proof checks.
 */
public final class Rfc9162 {
  /** Size of every hash in bytes. */
  public static final int HASH_SIZE = Sha256.SIZE;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final byte[] EMPTY_ROOT = Sha256.hash();
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(Sha256::newDigest);

  private Rfc9162() {}

  /** Returns {@code MTH({})}, SHA-256 of the empty string (a fresh copy). */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** Returns whether {@code hash} is {@code MTH({})}. Requires {@code hash != null}. */
  public static boolean isEmptyRoot(byte[] hash) {
    return MessageDigest.isEqual(EMPTY_ROOT, hash);
  }

  /** Returns {@code SHA-256(0x00 || entry)}, the hash of a leaf. Requires {@code entry != null}. */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest md = DIGEST.get();
    md.update(LEAF_PREFIX);
    md.update(entry);
    return md.digest();
  }

  /**
   * Returns {@code SHA-256(0x01 || left || right)}, the hash of an interior node. Requires both
   * non-null. Their lengths are not checked here (the RFC 6962 known answers hash short ASCII
   * strings); the verifiers check the length of every hash that comes from outside.
   */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = DIGEST.get();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }
}
