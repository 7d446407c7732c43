package org.ledgerpki.bench.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.smt.SparseMerkleTree;

/**
 * The status map's root and proofs computed from its sorted leaves, without keeping the tree's
 * nodes: the same tree as {@link SparseMerkleTree} (docs/status.md), which keeps 256 nodes per key
 * in memory (several GiB at 10^5 keys). Used to size answers at ledger sizes the in-memory map
 * cannot hold; {@code SparseProofsTest} checks it against {@link SparseMerkleTree}.
 */
public final class SparseProofs {
  private static final int DEPTH = SparseMerkleTree.DEPTH;
  private static final byte[][] EMPTY = new byte[DEPTH + 1][];

  static {
    for (int h = 0; h <= DEPTH; h++) {
      EMPTY[h] = SparseMerkleTree.empty(h);
    }
  }

  private final byte[][] keys;
  private final byte[][] leaves;

  /**
   * @param keys distinct 32-byte keys
   * @param values their values (encoded status events), in the same order
   */
  public SparseProofs(List<byte[]> keys, List<byte[]> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException("as many values as keys");
    }
    Integer[] order = new Integer[keys.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys.get(a), keys.get(b)));
    this.keys = new byte[order.length][];
    this.leaves = new byte[order.length][];
    for (int i = 0; i < order.length; i++) {
      this.keys[i] = keys.get(order[i]);
      this.leaves[i] = SparseMerkleTree.leaf(keys.get(order[i]), values.get(order[i]));
      if (i > 0 && Arrays.equals(this.keys[i - 1], this.keys[i])) {
        throw new IllegalArgumentException("duplicate key");
      }
    }
  }

  static int bit(byte[] key, int d) {
    return (key[d >>> 3] >>> (7 - (d & 7))) & 1;
  }

  private static byte[] node(byte[] left, byte[] right) {
    return Sha256.hash(new byte[] {1}, left, right);
  }

  /** First index in [lo, hi) whose key has bit {@code d} set (keys there share bits 0..d-1). */
  private int split(int lo, int hi, int d) {
    int a = lo;
    int b = hi;
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (bit(keys[mid], d) == 0) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    return a;
  }

  /** The hash of the subtree of height {@code h} holding exactly the keys [lo, hi). */
  private byte[] hash(int lo, int hi, int h) {
    if (lo == hi) {
      return EMPTY[h];
    }
    if (hi - lo == 1) {
      byte[] k = keys[lo];
      byte[] cur = leaves[lo];
      for (int x = 0; x < h; x++) {
        int d = DEPTH - 1 - x;
        cur = bit(k, d) == 0 ? node(cur, EMPTY[x]) : node(EMPTY[x], cur);
      }
      return cur;
    }
    int d = DEPTH - h;
    int mid = split(lo, hi, d);
    return node(hash(lo, mid, h - 1), hash(mid, hi, h - 1));
  }

  /** The root hash. */
  public byte[] root() {
    return hash(0, keys.length, DEPTH).clone();
  }

  /** The compressed proof for {@code key} (present or absent), as {@link SparseMerkleTree}. */
  public SmtProof prove(byte[] key) {
    byte[][] sibling = new byte[DEPTH][];
    int lo = 0;
    int hi = keys.length;
    for (int d = 0; d < DEPTH; d++) {
      int h = DEPTH - 1 - d; // height of the children at depth d
      int mid = split(lo, hi, d);
      if (bit(key, d) == 0) {
        sibling[h] = hash(mid, hi, h);
        hi = mid;
      } else {
        sibling[h] = hash(lo, mid, h);
        lo = mid;
      }
    }
    byte[] bitmap = new byte[32];
    List<byte[]> out = new ArrayList<>();
    for (int h = 0; h < DEPTH; h++) {
      if (!Arrays.equals(sibling[h], EMPTY[h])) {
        bitmap[h >>> 3] |= (byte) (1 << (h & 7));
        out.add(sibling[h].clone());
      }
    }
    return new SmtProof(bitmap, out);
  }

  /**
   * How many siblings (non-empty) the proof for {@code key} has, without hashing: a sibling is
   * non-empty exactly when some key lies in it.
   */
  public int siblingCount(byte[] key) {
    int n = 0;
    int lo = 0;
    int hi = keys.length;
    for (int d = 0; d < DEPTH && lo < hi; d++) {
      int mid = split(lo, hi, d);
      if (bit(key, d) == 0) {
        n += mid < hi ? 1 : 0;
        hi = mid;
      } else {
        n += lo < mid ? 1 : 0;
        lo = mid;
      }
    }
    return n;
  }

  public int size() {
    return keys.length;
  }
}
