package org.ledgerpki.core.smt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ledgerpki.core.Sha256;

/**
 * A sparse Merkle tree of depth 256: a verifiable map from 32-byte keys (certificate hashes) to
 * values, where every absent key maps to "empty". It proves both what a key maps to and that a key
 * maps to nothing. The exact construction is in docs/status.md:
 *
 * <ul>
 *   <li>empty(0) = 32 zero bytes; empty(h) = SHA-256(0x01 ‖ empty(h−1) ‖ empty(h−1));
 *   <li>leaf(k, v) = SHA-256(0x00 ‖ k ‖ SHA-256(v));
 *   <li>node(l, r) = SHA-256(0x01 ‖ l ‖ r);
 *   <li>the path to key k goes left at depth d if bit d of k is 0 (bit 0 is the most significant
 *       bit of k[0]); the root is the node at height 256.
 * </ul>
 *
 * <p>Not thread-safe. Nodes are kept only for non-empty subtrees: memory grows as (number of keys)
 * × 256 in the worst case; state stores may persist the key→value map and rebuild.
 */
public final class SparseMerkleTree {
  /** Depth of the tree: one level per key bit. */
  public static final int DEPTH = 256;

  private static final byte[][] EMPTY = new byte[DEPTH + 1][];

  static {
    EMPTY[0] = new byte[32];
    for (int h = 1; h <= DEPTH; h++) {
      EMPTY[h] = node(EMPTY[h - 1], EMPTY[h - 1]);
    }
  }

  /** Non-empty nodes by (height, key prefix of DEPTH − height bits). */
  private final Map<NodeId, byte[]> nodes = new HashMap<>();

  private final Map<Key, byte[]> values = new HashMap<>();

  private record NodeId(int height, Key prefix) {}

  /** A 32-byte key with value equality. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** The hash of an empty subtree of height {@code h} (0 ≤ h ≤ 256). */
  public static byte[] empty(int h) {
    return EMPTY[h].clone();
  }

  static byte[] node(byte[] left, byte[] right) {
    return Sha256.hash(new byte[] {1}, left, right);
  }

  /** leaf(k, v) = SHA-256(0x00 ‖ k ‖ SHA-256(v)). */
  public static byte[] leaf(byte[] key, byte[] value) {
    return Sha256.hash(new byte[] {0}, key, Sha256.hash(value));
  }

  /** Bit {@code d} of {@code key}, most significant first. */
  static int bit(byte[] key, int d) {
    return (key[d >>> 3] >>> (7 - (d & 7))) & 1;
  }

  /** {@code key} with all bits from {@code keep} on cleared: the prefix identifying a subtree. */
  private static Key prefix(byte[] key, int keep) {
    byte[] p = new byte[32];
    int full = keep >>> 3;
    System.arraycopy(key, 0, p, 0, full);
    if ((keep & 7) != 0) {
      p[full] = (byte) (key[full] & (0xff << (8 - (keep & 7))));
    }
    return new Key(p);
  }

  private byte[] hashAt(int height, byte[] key) {
    byte[] h = nodes.get(new NodeId(height, prefix(key, DEPTH - height)));
    return h != null ? h : EMPTY[height];
  }

  private static void requireKey(byte[] key) {
    if (Objects.requireNonNull(key, "key").length != 32) {
      throw new IllegalArgumentException("keys are 32 bytes, got " + key.length);
    }
  }

  /**
   * Maps {@code key} to {@code value}; a null value removes the key (maps it to empty again). Costs
   * 256 hashes.
   */
  public void put(byte[] key, byte[] value) {
    requireKey(key);
    byte[] k = key.clone();
    byte[] cur;
    if (value == null) {
      values.remove(new Key(k));
      cur = EMPTY[0];
    } else {
      values.put(new Key(k), value.clone());
      cur = leaf(k, value);
    }
    setNode(0, k, cur);
    for (int h = 0; h < DEPTH; h++) {
      int d = DEPTH - 1 - h;
      byte[] sibling = siblingAt(h, k, d);
      cur = bit(k, d) == 0 ? node(cur, sibling) : node(sibling, cur);
      setNode(h + 1, k, cur);
    }
  }

  private byte[] siblingAt(int height, byte[] key, int depthOfChild) {
    byte[] s = key.clone();
    s[depthOfChild >>> 3] ^= (byte) (1 << (7 - (depthOfChild & 7)));
    return hashAt(height, s);
  }

  private void setNode(int height, byte[] key, byte[] hash) {
    NodeId id = new NodeId(height, prefix(key, DEPTH - height));
    if (Arrays.equals(hash, EMPTY[height])) {
      nodes.remove(id);
    } else {
      nodes.put(id, hash);
    }
  }

  /** The value of {@code key}, or null. */
  public byte[] get(byte[] key) {
    requireKey(key);
    byte[] v = values.get(new Key(key));
    return v == null ? null : v.clone();
  }

  /** The number of keys with a value. */
  public int size() {
    return values.size();
  }

  /** The root hash. */
  public byte[] root() {
    return hashAt(DEPTH, new byte[32]).clone();
  }

  /**
   * A proof of what {@code key} maps to (its value or empty) under the current root.
   *
   * <p>It walks down from the root and stops at the first empty subtree on the key's path: below an
   * empty node every sibling is empty too, so a tree of n keys costs about log2(n) node look-ups
   * per proof instead of 256 (an inquiry node proves a status with every answer).
   */
  public SmtProof prove(byte[] key) {
    requireKey(key);
    byte[] bitmap = new byte[32];
    List<byte[]> topDown = new ArrayList<>();
    // Whether the key's node at height h + 1 is known to be non-empty: it is when its parent is
    // and its sibling is empty, so only a non-empty sibling calls for a look-up of the path.
    boolean pathNonEmpty = false;
    for (int h = DEPTH - 1; h >= 0; h--) {
      if (!pathNonEmpty && hashAt(h + 1, key) == EMPTY[h + 1]) {
        break;
      }
      byte[] s = siblingAt(h, key, DEPTH - 1 - h);
      if (s == EMPTY[h]) {
        pathNonEmpty = true;
      } else {
        bitmap[h >>> 3] |= (byte) (1 << (h & 7));
        topDown.add(s.clone());
        pathNonEmpty = false;
      }
    }
    return new SmtProof(bitmap, topDown.reversed());
  }

  /** {@link #prove} by looking at all 256 siblings: the reference the tests compare it with. */
  SmtProof proveAllLevels(byte[] key) {
    requireKey(key);
    byte[] bitmap = new byte[32];
    List<byte[]> siblings = new ArrayList<>();
    for (int h = 0; h < DEPTH; h++) {
      byte[] s = siblingAt(h, key, DEPTH - 1 - h);
      if (!Arrays.equals(s, EMPTY[h])) {
        bitmap[h >>> 3] |= (byte) (1 << (h & 7));
        siblings.add(s.clone());
      }
    }
    return new SmtProof(bitmap, siblings);
  }
}
