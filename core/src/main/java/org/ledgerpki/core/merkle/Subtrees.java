package org.ledgerpki.core.merkle;

import java.util.List;
import java.util.Objects;

/**
 * MTC subtrees (draft-ietf-plants-merkle-tree-certs, "Subtrees"): the validity rule, the choice of
 * two covering subtrees, and the verifiers of subtree inclusion and subtree consistency proofs,
 * each following the draft's numbered procedure. Pure functions: no state, no I/O, thread-safe.
 *
 * <p>Before the draft's steps, the verifiers reject what the steps assume away: a size or index of
 * 2^63 or more (it does not fit in a {@code long}), and an entry hash or proof element that is not
 * 32 bytes. The expected hashes ({@code subtreeHash}, {@code nodeHash}, {@code rootHash}) are only
 * compared, byte by byte. Every failure is a {@link ProofException}.
 */
public final class Subtrees {
  private static final long TWO_TO_63 = Long.MIN_VALUE; // 2^63 read as unsigned

  private Subtrees() {}

  /**
   * Whether {@code [start, end)} is a valid subtree: {@code start <= end} and {@code start} is a
   * multiple of {@code BIT_CEIL(end - start)} (draft, "Definition of a Subtree"). The bound {@code
   * end <= n} depends on the tree and is checked by the callers.
   *
   * <p>Both values are read as unsigned 64-bit integers, as in the draft's C++ example, so this is
   * correct for every value the wire can carry; {@code BIT_CEIL} would overflow for sizes above
   * 2^63, and such a subtree is valid only when it starts at 0. For example {@code [0, x)} and
   * {@code [x, x)} are valid for every {@code x}, {@code [1, 2^63 + 2)} is not.
   */
  public static boolean isValid(long start, long end) {
    if (Long.compareUnsigned(start, end) > 0) {
      return false;
    }
    long size = end - start;
    if (Long.compareUnsigned(size, TWO_TO_63) > 0) {
      return start == 0;
    }
    return (start & (bitCeil(size) - 1)) == 0;
  }

  /**
   * Returns the two subtrees that efficiently cover {@code [start, end)} (draft, "Selecting Two
   * Subtrees"): {@code left.start <= start}, {@code left.end == right.start}, {@code right.end ==
   * end}, and, when the interval is not empty, fewer extra leaves before {@code start} than half of
   * {@code left}. Both are valid subtrees.
   *
   * <p>Requires {@code 0 <= start <= end}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static SubtreePair findSubtrees(long start, long end) {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "findSubtrees needs 0 <= start <= end, got start " + start + ", end " + end);
    }
    // Step 1.
    if (end - start <= 1) {
      return new SubtreePair(new Subtree(start, end), new Subtree(end, end));
    }
    // Step 2.1: the last index in the interval.
    long last = end - 1;
    // Step 2.2: the height at which the paths to start and last diverge.
    int split = Checks.bitWidth(start ^ last) - 1;
    long lowBits = (1L << split) - 1;
    // Step 2.3: the leftmost leaf of that divergence point's right branch.
    long mid = last & ~lowBits;
    // Step 2.4: the height of the lowest common ancestor of [start, mid): one above the highest
    // zero bit among start's low `split` bits, or 0 if they are all ones.
    int leftSplit = Checks.bitWidth(~start & lowBits);
    // Step 2.5: that ancestor's leftmost leaf.
    long leftStart = start & ~((1L << leftSplit) - 1);
    // Step 2.6.
    return new SubtreePair(new Subtree(leftStart, mid), new Subtree(mid, end));
  }

  /**
   * Evaluates a subtree inclusion proof (draft, "Evaluating a Subtree Inclusion Proof"): returns
   * the hash of subtree {@code [start, end)} that {@code proof} leads to from entry {@code index}
   * with hash {@code entryHash}. The caller compares it with a subtree hash it trusts; {@link
   * #verifyInclusion} does that. {@code index} is absolute, not relative to {@code start}.
   *
   * <p>Requires non-null arguments. The proof is rejected unless {@code [start, end)} is a valid
   * subtree, {@code start <= index < end < 2^63}, {@code entryHash} and every proof element are 32
   * bytes, and the proof has the length the draft's steps consume.
   *
   * @throws ProofException if proof evaluation fails
   */
  public static byte[] evaluateInclusion(
      long index, byte[] entryHash, List<byte[]> proof, long start, long end)
      throws ProofException {
    Checks.fits("index", index);
    Checks.fits("start", start);
    Checks.fits("end", end);
    Checks.hash("entry hash", entryHash);
    Checks.proofElements(proof);
    // Step 1.
    if (!isValid(start, end)) {
      throw new ProofException(interval(start, end) + " is not a valid subtree");
    }
    if (index < start || index >= end) {
      throw new ProofException("index " + index + " is not in subtree " + interval(start, end));
    }
    // Step 2.
    long fn = index - start;
    long sn = end - start - 1;
    // Step 3.
    byte[] r = entryHash;
    // Step 4.
    for (byte[] p : proof) {
      // Step 4.1: the proof goes on above the subtree root.
      if (sn == 0) {
        throw wrongInclusionProofSize(proof.size(), index, start, end);
      }
      // Step 4.2: fn is a right child, or on the subtree's right border where a missing right
      // sibling means the level is skipped.
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc9162.nodeHash(p, r);
        // fn != 0 always holds here (fn == sn == 0 stopped at step 4.1); RFC 9162 §2.1.3.2 keeps
        // the guard, and so do we.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Rfc9162.nodeHash(r, p);
      }
      // Step 4.3.
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 5: the proof ended below the subtree root.
    if (sn != 0) {
      throw wrongInclusionProofSize(proof.size(), index, start, end);
    }
    // Step 6.
    return r;
  }

  /**
   * Verifies a subtree inclusion proof (draft, "Verifying a Subtree Inclusion Proof"): entry {@code
   * index} with hash {@code entryHash} is in subtree {@code [start, end)} whose hash is {@code
   * subtreeHash}.
   *
   * <p>Requires the same as {@link #evaluateInclusion}, and {@code subtreeHash != null}.
   *
   * @throws RootMismatchException if the proof leads to a different subtree hash
   * @throws ProofException if proof evaluation fails
   */
  public static void verifyInclusion(
      long index, byte[] entryHash, List<byte[]> proof, long start, long end, byte[] subtreeHash)
      throws ProofException {
    Objects.requireNonNull(subtreeHash, "subtreeHash");
    byte[] calculated = evaluateInclusion(index, entryHash, proof, start, end);
    Checks.match(
        subtreeHash,
        calculated,
        "inclusion of index " + index + " in subtree " + interval(start, end));
  }

  /**
   * Verifies a subtree consistency proof (draft, "Verifying a Subtree Consistency Proof"): subtree
   * {@code [start, end)} with hash {@code nodeHash} is part of the tree of {@code n} leaves with
   * root {@code rootHash}.
   *
   * <p>As the draft specifies, the empty subtree {@code [start, start)} is consistent with every
   * tree: it is accepted iff the proof is empty and {@code nodeHash} is {@code SHA-256("")}, and
   * {@code rootHash} is not examined. So {@code [0, 0)} is accepted against any tree, unlike {@link
   * Proofs#verifyConsistency} from size 0 (ADR 0002). For {@code start == 0} and {@code 0 < end}
   * this is exactly an RFC 9162 consistency proof from {@code end} to {@code n}.
   *
   * <p>Requires non-null arguments. The proof is rejected unless {@code [start, end)} is a valid
   * subtree, {@code end <= n < 2^63}, every proof element is 32 bytes and the proof has the length
   * the draft's steps consume.
   *
   * @throws RootMismatchException if the proof leads to a different subtree hash or root
   * @throws ProofException if proof verification fails otherwise
   */
  public static void verifyConsistency(
      long start, long end, long n, List<byte[]> proof, byte[] nodeHash, byte[] rootHash)
      throws ProofException {
    Objects.requireNonNull(nodeHash, "nodeHash");
    Objects.requireNonNull(rootHash, "rootHash");
    Checks.fits("start", start);
    Checks.fits("end", end);
    Checks.fits("n", n);
    Checks.proofElements(proof);
    // Step 1.
    if (!isValid(start, end)) {
      throw new ProofException(interval(start, end) + " is not a valid subtree");
    }
    if (end > n) {
      throw new ProofException("subtree " + interval(start, end) + " ends beyond tree size " + n);
    }
    // Step 2.
    if (start == end) {
      if (!proof.isEmpty()) {
        throw new ProofException(
            "wrong proof size "
                + proof.size()
                + ", want 0 (empty subtree "
                + interval(start, end)
                + ", size "
                + n
                + ")");
      }
      Checks.emptyRoot("node hash of the empty subtree " + interval(start, end), nodeHash);
      return;
    }
    // Step 3: follow the paths to start, end - 1 and n - 1.
    long fn = start;
    long sn = end - 1;
    long tn = n - 1;
    if (sn == tn) {
      // Step 4: the subtree ends where the tree ends, so its root is a node of the tree.
      while (fn != sn) {
        fn >>>= 1;
        sn >>>= 1;
        tn >>>= 1;
      }
    } else {
      // Step 5: climb the subtree's right border while it is a right child (a full node shared
      // with the tree), up to the subtree root at most.
      while (fn != sn && (sn & 1) == 1) {
        fn >>>= 1;
        sn >>>= 1;
        tn >>>= 1;
      }
    }
    byte[] fr;
    byte[] sr;
    int next = 0;
    if (fn == sn) {
      // Step 6: the starting node is the subtree root, which the verifier already knows.
      fr = nodeHash;
      sr = nodeHash;
    } else {
      // Step 7: the starting node is inside the subtree and comes first in the proof.
      if (proof.isEmpty()) {
        throw wrongConsistencyProofSize(0, start, end, n);
      }
      fr = proof.get(next);
      sr = proof.get(next);
      next++;
    }
    // Step 8.
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      // Step 8.1: the proof goes on above the tree root.
      if (tn == 0) {
        throw wrongConsistencyProofSize(proof.size(), start, end, n);
      }
      // Step 8.2.
      if ((sn & 1) == 1 || sn == tn) {
        // Step 8.2.1: a left sibling; it is inside the subtree until fn and sn meet.
        if (fn < sn) {
          fr = Rfc9162.nodeHash(c, fr);
        }
        // Step 8.2.2.
        sr = Rfc9162.nodeHash(c, sr);
        // Step 8.2.3: sn != 0 here (sn == tn == 0 stopped at step 8.1, and a set LSB is not 0).
        while ((sn & 1) == 0 && sn != 0) {
          fn >>>= 1;
          sn >>>= 1;
          tn >>>= 1;
        }
      } else {
        // Otherwise: a right sibling, beyond end - 1, so only in the tree root.
        sr = Rfc9162.nodeHash(sr, c);
      }
      // Step 8.3.
      fn >>>= 1;
      sn >>>= 1;
      tn >>>= 1;
    }
    // Step 9.
    if (tn != 0) {
      throw wrongConsistencyProofSize(proof.size(), start, end, n);
    }
    Checks.match(nodeHash, fr, "subtree " + interval(start, end));
    Checks.match(rootHash, sr, "tree of size " + n);
  }

  /**
   * The smallest power of two {@code >= x}, for unsigned {@code x <= 2^63}; 1 for {@code x = 0}.
   */
  private static long bitCeil(long x) {
    return Long.compareUnsigned(x, 1) <= 0 ? 1 : Long.highestOneBit(x - 1) << 1;
  }

  /** {@code "[start, end)"} for any two values, even {@code start > end}. */
  private static String interval(long start, long end) {
    return "[" + start + ", " + end + ")";
  }

  private static ProofException wrongInclusionProofSize(int got, long index, long start, long end) {
    int want = Proofs.inclusionProofSize(index - start, end - start);
    return new ProofException(
        "wrong proof size "
            + got
            + ", want "
            + want
            + " (index "
            + index
            + ", subtree "
            + interval(start, end)
            + ")");
  }

  private static ProofException wrongConsistencyProofSize(int got, long start, long end, long n) {
    return new ProofException(
        "wrong proof size "
            + got
            + ", want "
            + consistencyProofSize(start, end, n)
            + " (subtree "
            + interval(start, end)
            + ", size "
            + n
            + ")");
  }

  /**
   * The length of the consistency proof for the valid, non-empty subtree {@code [start, end)} and a
   * tree of {@code n >= end} leaves: steps 3 to 7 of the verifier without hashing.
   */
  static int consistencyProofSize(long start, long end, long n) {
    long fn = start;
    long sn = end - 1;
    long tn = n - 1;
    if (sn == tn) {
      while (fn != sn) {
        fn >>>= 1;
        sn >>>= 1;
        tn >>>= 1;
      }
    } else {
      while (fn != sn && (sn & 1) == 1) {
        fn >>>= 1;
        sn >>>= 1;
        tn >>>= 1;
      }
    }
    int seed = fn == sn ? 0 : 1;
    return seed + Proofs.inclusionProofSize(sn, tn + 1);
  }
}
