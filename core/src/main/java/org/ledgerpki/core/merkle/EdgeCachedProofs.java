package org.ledgerpki.core.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 inclusion proofs for a reader that proves many entries against one tree size (an inquiry
 * node answering under its latest checkpoint): the same proofs as {@link
 * MerkleTree#inclusionProof}, with the right edge of the tree of that size cached.
 *
 * <p>In the tree of {@code n} leaves, every sibling of an inclusion proof is a perfect subtree (one
 * node read from the store) except those on the tree's right edge, {@code MTH(D[mid:n])} for each
 * split point on the path to the last leaf; only these take hashing, and they depend on {@code n}
 * alone. They are computed once per size and replaced when a proof against another size is asked
 * for. Thread-safe for readers of a tree that only grows; the cache is one volatile reference.
 */
public final class EdgeCachedProofs {

  /** The hashes {@code MTH(D[mid:size])} along the tree's right edge, root first. */
  public record RightEdge(long size, byte[][] hashes) {}

  private final MerkleTree tree;
  private final NodeStore store;
  private volatile RightEdge edge;

  /** Proofs over {@code tree}, whose nodes {@code store} holds. */
  public EdgeCachedProofs(MerkleTree tree, NodeStore store) {
    this.tree = tree;
    this.store = store;
  }

  /**
   * {@code PATH(index, D[0:n])}, equal to {@link MerkleTree#inclusionProof}{@code (index, n)}.
   * Requires {@code 0 <= index < n <= tree.size()}.
   */
  public List<byte[]> inclusionProof(long index, long n) {
    if (index < 0 || index >= n || n > tree.size()) {
      throw new IllegalArgumentException(
          "inclusionProof requires 0 <= index < n <= size(), got index "
              + index
              + ", n "
              + n
              + ", size "
              + tree.size());
    }
    RightEdge e = rightEdge(n);
    byte[][] topDown = new byte[64][];
    int depth = 0;
    int onEdge = 0;
    long lo = 0;
    long hi = n;
    while (hi - lo > 1) {
      long mid = lo + Long.highestOneBit(hi - lo - 1);
      boolean edgeStep = hi == n;
      if (index < mid) {
        topDown[depth++] = edgeStep ? e.hashes()[onEdge] : perfect(mid, hi);
        hi = mid;
      } else {
        topDown[depth++] = perfect(lo, mid);
        lo = mid;
      }
      if (edgeStep) {
        onEdge++;
      }
    }
    List<byte[]> proof = new ArrayList<>(depth);
    for (int i = depth - 1; i >= 0; i--) {
      proof.add(topDown[i]);
    }
    return proof;
  }

  /** The right edge the last proof used, or null before the first: for tests and metrics. */
  public RightEdge cachedRightEdge() {
    return edge;
  }

  private RightEdge rightEdge(long size) {
    RightEdge e = edge;
    if (e != null && e.size() == size) {
      return e;
    }
    List<byte[]> hashes = new ArrayList<>();
    long lo = 0;
    while (size - lo > 1) {
      long mid = lo + Long.highestOneBit(size - lo - 1);
      hashes.add(tree.subtreeHash(mid, size));
      lo = mid;
    }
    e = new RightEdge(size, hashes.toArray(new byte[0][]));
    edge = e;
    return e;
  }

  /** The hash of the perfect subtree {@code [lo, hi)} ({@code hi - lo} a power of two). */
  private byte[] perfect(long lo, long hi) {
    int level = Long.numberOfTrailingZeros(hi - lo);
    byte[] h = store.get(level, lo >>> level);
    if (h == null) {
      throw new IllegalStateException(
          "the tree lacks node [" + lo + ", " + hi + ") of size " + tree.size());
    }
    return h;
  }
}
