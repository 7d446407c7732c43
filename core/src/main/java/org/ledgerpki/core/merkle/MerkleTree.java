package org.ledgerpki.core.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An append-only RFC 9162 Merkle tree over a {@link NodeStore}: the store keeps the hash of every
 * perfect subtree, and a {@link CompactRange} keeps the frontier. Appends cost O(log n) hashes and
 * store writes (amortised O(1)). Roots at any earlier size, subtree hashes and proofs are built
 * from stored perfect nodes, hashing only the partial nodes on a right edge: O(log n) store reads
 * and hashes each, never a rehash of the leaves.
 *
 * <p>Proofs are the ones RFC 9162 (§2.1.3.1 PATH, §2.1.4.1 PROOF) and the MTC draft ("Subtree
 * Inclusion Proofs", SUBTREE_PROOF) define; {@link Proofs} and {@link Subtrees} verify them.
 *
 * <p>Preconditions are stated per method; a violation throws {@link IllegalArgumentException} with
 * the values. A store that lacks a node the tree wrote throws {@link IllegalStateException}. Not
 * thread-safe.
 */
public final class MerkleTree {
  private final NodeStore store;
  private final CompactRange frontier;

  /**
   * Creates an empty tree that writes to {@code store}. Requires a store with no leaf 0; reopen a
   * non-empty store with {@link #open(NodeStore, CompactRange)} or {@link #open(NodeStore, long)}.
   *
   * @throws IllegalArgumentException if the store already has leaf 0
   */
  public MerkleTree(NodeStore store) {
    this.store = Objects.requireNonNull(store, "store");
    if (store.get(0, 0) != null) {
      throw new IllegalArgumentException(
          "the node store already holds leaves; reopen it with MerkleTree.open");
    }
    this.frontier = new CompactRange();
  }

  private MerkleTree(NodeStore store, CompactRange frontier) {
    this.store = store;
    this.frontier = frontier;
  }

  /**
   * Reopens the tree of {@code frontier.size()} leaves held by {@code store}, as persisted after
   * the last append. Checks that each frontier hash is the stored node (O(log n) reads). Nodes the
   * store holds beyond the frontier (a write that was not committed) are overwritten by later
   * appends.
   *
   * @throws IllegalStateException if the store lacks a frontier node or holds a different hash
   */
  public static MerkleTree open(NodeStore store, CompactRange frontier) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(frontier, "frontier");
    for (Node n : frontier.nodes()) {
      byte[] stored = store.get(n.level(), n.index());
      if (stored == null) {
        throw new IllegalStateException(
            "the node store lacks frontier node (level "
                + n.level()
                + ", index "
                + n.index()
                + ") of a tree of size "
                + frontier.size());
      }
      if (!Arrays.equals(stored, n.hash())) {
        throw new IllegalStateException(
            "the node store and the frontier disagree on " + n + " of size " + frontier.size());
      }
    }
    return new MerkleTree(store, frontier.copy());
  }

  /**
   * Reopens the tree of {@code size} leaves held by {@code store}, reading its frontier from the
   * store (O(log n) reads). Requires {@code 0 <= size}.
   *
   * @throws IllegalArgumentException if {@code size < 0}
   * @throws IllegalStateException if the store lacks a node of that frontier
   */
  public static MerkleTree open(NodeStore store, long size) {
    Objects.requireNonNull(store, "store");
    if (size < 0) {
      throw new IllegalArgumentException("size " + Long.toUnsignedString(size) + " is negative");
    }
    List<byte[]> hashes = new ArrayList<>();
    long start = 0;
    for (int level = 62; level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        hashes.add(read(store, level, start >>> level, size));
        start += 1L << level;
      }
    }
    return new MerkleTree(store, CompactRange.of(size, hashes));
  }

  /** The number of leaves. */
  public long size() {
    return frontier.size();
  }

  /** A copy of the frontier, to persist next to the store (see {@link CompactRange#toBytes()}). */
  public CompactRange frontier() {
    return frontier.copy();
  }

  /**
   * Appends a leaf: writes the leaf and every perfect node it completes to the store. Requires a
   * 32-byte {@code leafHash}. If the store throws, discard this object and reopen from the last
   * persisted frontier.
   *
   * @throws IllegalArgumentException if {@code leafHash} is not 32 bytes
   */
  public void append(byte[] leafHash) {
    for (Node n : frontier.append(leafHash)) {
      store.put(n.level(), n.index(), n.hash());
    }
  }

  /** Returns {@code MTH(D[0:size()])}, from the frontier alone (no store reads). */
  public byte[] root() {
    return frontier.root();
  }

  /**
   * Returns {@code MTH(D[0:treeSize])}, the root the tree had at that size. Requires {@code 0 <=
   * treeSize <= size()}.
   */
  public byte[] rootAt(long treeSize) {
    if (treeSize < 0 || treeSize > size()) {
      throw new IllegalArgumentException(
          "rootAt requires 0 <= treeSize <= size(), got treeSize " + treeSize + ", size " + size());
    }
    return treeSize == size() ? root() : hash(0, treeSize);
  }

  /** Returns the hash of leaf {@code index}. Requires {@code 0 <= index < size()}. */
  public byte[] leafHash(long index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException(
          "leafHash requires 0 <= index < size(), got index " + index + ", size " + size());
    }
    return node(0, index);
  }

  /**
   * Returns {@code MTH(D[start:end])} for a subtree, full or partial. Requires {@code [start, end)}
   * to be a valid subtree ({@link Subtrees#isValid}) with {@code 0 <= start <= end <= size()};
   * {@code [x, x)} has the empty root.
   */
  public byte[] subtreeHash(long start, long end) {
    requireSubtree("subtreeHash", start, end, size());
    return hash(start, end);
  }

  /**
   * Returns the RFC 9162 inclusion proof {@code PATH(index, D[0:treeSize])}. Requires {@code 0 <=
   * index < treeSize <= size()}.
   */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    if (index < 0 || index >= treeSize || treeSize > size()) {
      throw new IllegalArgumentException(
          "inclusionProof requires 0 <= index < treeSize <= size(), got index "
              + index
              + ", treeSize "
              + treeSize
              + ", size "
              + size());
    }
    return path(index, 0, treeSize);
  }

  /**
   * Returns the RFC 9162 consistency proof {@code PROOF(size1, D[0:size2])}. Requires {@code 0 <=
   * size1 <= size2 <= size()}. The proof is empty when {@code size1 == size2} and when {@code size1
   * == 0}: RFC 9162 defines no proof from the empty tree, and C2SP tlog-witness expects an empty
   * one (ADR 0002).
   */
  public List<byte[]> consistencyProof(long size1, long size2) {
    if (size1 < 0 || size1 > size2 || size2 > size()) {
      throw new IllegalArgumentException(
          "consistencyProof requires 0 <= size1 <= size2 <= size(), got size1 "
              + size1
              + ", size2 "
              + size2
              + ", size "
              + size());
    }
    // The MTC draft: SUBTREE_PROOF(0, end, D_n) = PROOF(end, D_n).
    return subtreeProof(0, size1, size2);
  }

  /**
   * Returns the subtree inclusion proof of entry {@code index} in subtree {@code [start, end)}: the
   * inclusion proof {@code PATH(index - start, D[start:end])}. Requires {@code [start, end)} valid
   * and {@code 0 <= start <= index < end <= size()}.
   */
  public List<byte[]> subtreeInclusionProof(long index, long start, long end) {
    requireSubtree("subtreeInclusionProof", start, end, size());
    if (index < start || index >= end) {
      throw new IllegalArgumentException(
          "subtreeInclusionProof requires start <= index < end, got index "
              + index
              + ", subtree "
              + new Subtree(start, end));
    }
    return path(index, start, end);
  }

  /**
   * Returns the subtree consistency proof {@code SUBTREE_PROOF(start, end, D_n)} of the MTC draft.
   * Requires {@code [start, end)} valid and {@code 0 <= start <= end <= n <= size()}; the proof of
   * an empty subtree is empty.
   */
  public List<byte[]> subtreeConsistencyProof(long start, long end, long n) {
    if (n < 0 || n > size()) {
      throw new IllegalArgumentException(
          "subtreeConsistencyProof requires n <= size(), got n " + n + ", size " + size());
    }
    requireSubtree("subtreeConsistencyProof", start, end, n);
    return subtreeProof(start, end, n);
  }

  private static void requireSubtree(String method, long start, long end, long limit) {
    if (start < 0 || end < start || end > limit || !Subtrees.isValid(start, end)) {
      throw new IllegalArgumentException(
          method
              + " requires a valid subtree [start, end) with end <= "
              + limit
              + ", got ["
              + start
              + ", "
              + end
              + ")");
    }
  }

  /**
   * {@code MTH(D[lo:hi])} for a valid subtree {@code [lo, hi)}. Its leaves split into one perfect
   * subtree per set bit of {@code hi - lo}, largest first (lo is aligned to the largest), and the
   * MTH of a partial tree is its perfect left part hashed with the MTH of the rest: fold them from
   * the right.
   */
  private byte[] hash(long lo, long hi) {
    if (lo == hi) {
      return Rfc9162.emptyRoot();
    }
    long width = hi - lo;
    long pos = hi;
    byte[] acc = null;
    for (int level = 0; level < 63; level++) {
      if ((width & (1L << level)) != 0) {
        pos -= 1L << level;
        byte[] h = node(level, pos >>> level);
        acc = acc == null ? h : Rfc9162.nodeHash(h, acc);
      }
    }
    return acc;
  }

  /**
   * {@code PATH(index - lo, D[lo:hi])} for a valid subtree {@code [lo, hi)} containing {@code
   * index}: the RFC 9162 recursion unrolled from the root down, reversed at the end because PATH
   * lists the deepest sibling first. Only the first sibling to the right of the path can be
   * partial; all others are perfect nodes, one store read each.
   */
  private List<byte[]> path(long index, long lo, long hi) {
    List<byte[]> topDown = new ArrayList<>();
    while (hi - lo > 1) {
      long mid = lo + largestPowerOfTwoBelow(hi - lo);
      if (index < mid) {
        topDown.add(hash(mid, hi));
        hi = mid;
      } else {
        topDown.add(hash(lo, mid));
        lo = mid;
      }
    }
    Collections.reverse(topDown);
    return topDown;
  }

  /**
   * {@code SUBTREE_PROOF(start, end, D[0:n])} of the MTC draft, its SUBTREE_SUBPROOF recursion
   * unrolled from the root down over the node {@code [lo, hi)} of the tree, and reversed at the
   * end.
   */
  private List<byte[]> subtreeProof(long start, long end, long n) {
    if (start == end) {
      return new ArrayList<>();
    }
    List<byte[]> topDown = new ArrayList<>();
    long lo = 0;
    long hi = n;
    // Whether the subtree root is known to the verifier (b in the draft): true until the subtree
    // straddles a split, after which its root is not a node of the tree.
    boolean rootKnown = true;
    while (start != lo || end != hi) {
      long mid = lo + largestPowerOfTwoBelow(hi - lo);
      if (end <= mid) {
        // The subtree is left of the split: prove it in the left child, include the right one.
        topDown.add(hash(mid, hi));
        hi = mid;
      } else if (mid <= start) {
        // Right of the split: prove it in the right child, include the left one.
        topDown.add(hash(lo, mid));
        lo = mid;
      } else {
        // start < mid < end, so start == lo: the left child is entirely in the subtree; go on
        // with the subtree's right part, whose root the verifier does not know.
        topDown.add(hash(lo, mid));
        lo = mid;
        start = mid;
        rootKnown = false;
      }
    }
    if (!rootKnown) {
      topDown.add(hash(lo, hi));
    }
    Collections.reverse(topDown);
    return topDown;
  }

  /** The largest power of two smaller than {@code n}. Requires {@code n > 1}. */
  private static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private byte[] node(int level, long index) {
    return read(store, level, index, size());
  }

  private static byte[] read(NodeStore store, int level, long index, long treeSize) {
    byte[] h = store.get(level, index);
    if (h == null) {
      throw new IllegalStateException(
          "the node store lacks node (level "
              + level
              + ", index "
              + index
              + ") of a tree of size "
              + treeSize);
    }
    return h;
  }
}
