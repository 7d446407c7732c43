package org.ledgerpki.core.merkle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The definitions of RFC 9162 §2.1 (MTH, PATH, PROOF) and of the MTC draft (SUBTREE_PROOF),
 * transcribed literally as recursions over a list of leaf hashes. Slow and obviously right: the
 * reference that {@link MerkleTree} is checked against. Intervals are absolute {@code [from, to)}
 * into the leaf list, so {@code D[from:to]} is the list the definitions recurse on.
 */
final class NaiveMerkle {
  private final List<byte[]> leaves;
  private final Map<Long, byte[]> memo = new HashMap<>();

  NaiveMerkle(List<byte[]> leafHashes) {
    this.leaves = List.copyOf(leafHashes);
  }

  /** A tree whose leaf {@code i} is the one-byte entry {@code i}, as in the draft's vectors. */
  static List<byte[]> byteLeaves(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Rfc9162.leafHash(new byte[] {(byte) i}));
    }
    return out;
  }

  /** A tree whose leaf {@code i} is the 4-byte big-endian entry {@code i} (any size). */
  static List<byte[]> intLeaves(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          Rfc9162.leafHash(
              new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}));
    }
    return out;
  }

  /** The largest power of two smaller than {@code n}, for {@code n > 1}. */
  private static int k(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  /** MTH(D[from:to]). */
  byte[] mth(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return Rfc9162.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(from);
    }
    long key = ((long) from << 32) | to;
    byte[] cached = memo.get(key);
    if (cached != null) {
      return cached;
    }
    int k = k(n);
    byte[] h = Rfc9162.nodeHash(mth(from, from + k), mth(from + k, to));
    memo.put(key, h);
    return h;
  }

  /** PATH(m, D[from:to]) with absolute leaf index {@code m}. */
  List<byte[]> path(int m, int from, int to) {
    int n = to - from;
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = k(n);
    if (m - from < k) {
      out.addAll(path(m, from, from + k));
      out.add(mth(from + k, to));
    } else {
      out.addAll(path(m, from + k, to));
      out.add(mth(from, from + k));
    }
    return out;
  }

  /** PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1, for {@code 0 < m <= n}. */
  List<byte[]> proof(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private List<byte[]> subproof(int m, int from, int to, boolean b) {
    int n = to - from;
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(from, to));
      }
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(subproof(m, from, from + k, b));
      out.add(mth(from + k, to));
    } else {
      out.addAll(subproof(m - k, from + k, to, false));
      out.add(mth(from, from + k));
    }
    return out;
  }

  /** SUBTREE_PROOF(start, end, D[0:n]) of the MTC draft. */
  List<byte[]> subtreeProof(int start, int end, int n) {
    if (start == end) {
      return new ArrayList<>();
    }
    return subtreeSubproof(start, end, 0, n, true);
  }

  /** SUBTREE_SUBPROOF with {@code start, end} relative to {@code D[from:to]}. */
  private List<byte[]> subtreeSubproof(int start, int end, int from, int to, boolean b) {
    int n = to - from;
    List<byte[]> out = new ArrayList<>();
    if (start == 0 && end == n) {
      if (!b) {
        out.add(mth(from, to));
      }
      return out;
    }
    int k = k(n);
    if (end <= k) {
      out.addAll(subtreeSubproof(start, end, from, from + k, b));
      out.add(mth(from + k, to));
    } else if (k <= start) {
      out.addAll(subtreeSubproof(start - k, end - k, from + k, to, b));
      out.add(mth(from, from + k));
    } else {
      out.addAll(subtreeSubproof(0, end - k, from + k, to, false));
      out.add(mth(from, from + k));
    }
    return out;
  }
}
