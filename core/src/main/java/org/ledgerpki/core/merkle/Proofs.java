package org.ledgerpki.core.merkle;

import java.util.List;
import java.util.Objects;

/**
 * Verifiers of RFC 9162 inclusion proofs (§2.1.3.2) and consistency proofs (§2.1.4.2). Pure
 * functions: no state, no I/O, thread-safe.
 *
 * <p>Every failure is a {@link ProofException}, including parameters that come with the proof and
 * cannot be proven (an index outside the tree, sizes of 2^63 or more). A proof element or leaf hash
 * that is not 32 bytes is rejected before any hashing. Expected roots are compared byte by byte, so
 * a root of the wrong length simply never matches a calculated one.
 *
 * <p>There are two consistency verifiers, which differ only for an old size of 0; see {@link
 * #verifyConsistency} and {@link #verifyConsistencyFromAnySize}, and ADR 0002.
 */
public final class Proofs {
  private Proofs() {}

  /**
   * Checks that {@code proof} proves that the leaf with hash {@code leafHash} is at {@code index}
   * in the tree of {@code size} leaves with root {@code root}.
   *
   * <p>Requires non-null arguments. The proof is rejected unless {@code 0 <= index < size < 2^63},
   * {@code leafHash} and every proof element are 32 bytes, and the proof has exactly the length
   * that {@code (index, size)} implies.
   *
   * @throws RootMismatchException if the proof leads to a different root
   * @throws ProofException if the proof or its parameters are rejected before any root is computed
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    Objects.requireNonNull(root, "root");
    byte[] calculated = rootFromInclusionProof(index, size, leafHash, proof);
    Checks.match(root, calculated, "inclusion of index " + index + " in tree size " + size);
  }

  /**
   * Returns the root that an inclusion proof for the leaf {@code leafHash} at {@code index} leads
   * to in a tree of {@code size} leaves (RFC 9162 §2.1.3.2, without the final comparison). The
   * caller must compare the result with a root it trusts; {@link #verifyInclusion} does that.
   *
   * <p>Requires the same as {@link #verifyInclusion}.
   *
   * @throws ProofException if the proof or its parameters are rejected
   */
  public static byte[] rootFromInclusionProof(
      long index, long size, byte[] leafHash, List<byte[]> proof) throws ProofException {
    Checks.fits("index", index);
    Checks.fits("size", size);
    if (index >= size) {
      throw new ProofException("index " + index + " is beyond tree size " + size);
    }
    Checks.hash("leaf hash", leafHash);
    Checks.proofElements(proof);
    int want = inclusionProofSize(index, size);
    if (proof.size() != want) {
      throw new ProofException(
          "wrong proof size "
              + proof.size()
              + ", want "
              + want
              + " (index "
              + index
              + ", size "
              + size
              + ")");
    }
    // RFC 9162 §2.1.3.2 steps 2-4. The length is already exact, so the loop cannot run past the
    // root (sn == 0) or stop below it.
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc9162.nodeHash(p, r);
        // fn is on the right border: skip the levels where the border node has no sibling.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Rfc9162.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return r;
  }

  /**
   * Checks that {@code proof} proves the tree of {@code size2} leaves with root {@code root2}
   * extends the tree of {@code size1} leaves with root {@code root1}: strict RFC 9162 §2.1.4
   * semantics, the same as transparency-dev/merkle {@code proof.VerifyConsistency}.
   *
   * <ul>
   *   <li>{@code size1 == 0} is rejected, even with {@code size2 == 0}: RFC 9162 defines
   *       consistency proofs only for {@code 0 < size1}, and a proof from the empty tree proves
   *       nothing.
   *   <li>{@code size1 == size2} requires an empty proof and {@code root1} equal to {@code root2}.
   *   <li>Otherwise the proof must have exactly the length {@code (size1, size2)} implies.
   * </ul>
   *
   * <p>Use this where both checkpoints are real trees the caller trusts, e.g. a relying party or
   * monitor that holds two checkpoints of one log and checks the later one extends the earlier one.
   * A witness or cosigner that has not yet cosigned anything starts from size 0 and must use {@link
   * #verifyConsistencyFromAnySize} instead (ADR 0002).
   *
   * <p>Requires non-null arguments and {@code 0 < size1 <= size2 < 2^63}; anything else is
   * rejected.
   *
   * @throws RootMismatchException if the proof leads to a different old or new root
   * @throws ProofException if the proof or its parameters are rejected
   */
  public static void verifyConsistency(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws ProofException {
    Objects.requireNonNull(root1, "root1");
    Objects.requireNonNull(root2, "root2");
    Objects.requireNonNull(proof, "proof");
    Checks.fits("size1", size1);
    Checks.fits("size2", size2);
    if (size1 > size2) {
      throw new ProofException(
          "size1 " + size1 + " > size2 " + size2 + ": an append-only tree cannot shrink");
    }
    if (size1 == 0) {
      throw new ProofException(
          "consistency proof from the empty tree is meaningless (size1 0, size2 "
              + size2
              + "); a witness's first checkpoint is checked with verifyConsistencyFromAnySize");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new ProofException(
            "wrong proof size " + proof.size() + ", want 0 (size1 = size2 = " + size1 + ")");
      }
      Checks.match(root2, root1, "equal sizes " + size1 + " need equal roots");
      return;
    }
    Checks.proofElements(proof);
    int want = consistencyProofSize(size1, size2);
    if (proof.size() != want) {
      throw new ProofException(
          "wrong proof size "
              + proof.size()
              + ", want "
              + want
              + " (size1 "
              + size1
              + ", size2 "
              + size2
              + ")");
    }
    // RFC 9162 §2.1.4.2. Step 2: when size1 is a power of two, the old tree is a node of the new
    // one and the proof omits it, so the verifier starts from root1.
    boolean oldTreeIsNode = Long.bitCount(size1) == 1;
    int next = 0;
    byte[] seed = oldTreeIsNode ? root1 : proof.get(next++);
    // Steps 3-4: start at the highest node on the right border of the old tree that is also a
    // node of the new tree.
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    // Steps 5-6: fr rebuilds the old root, sr the new one; only left siblings go into fr.
    byte[] fr = seed;
    byte[] sr = seed;
    for (; next < proof.size(); next++) {
      byte[] c = proof.get(next);
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc9162.nodeHash(c, fr);
        sr = Rfc9162.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = Rfc9162.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 7 (sn == 0 holds because the length was exact).
    Checks.match(root1, fr, "old tree of size " + size1);
    Checks.match(root2, sr, "new tree of size " + size2);
  }

  /**
   * Checks consistency like {@link #verifyConsistency}, but also accepts an old size of 0, with the
   * semantics of C2SP tlog-witness {@code add-checkpoint}: "the empty tree is consistent with any
   * tree, so no proof is necessary".
   *
   * <ul>
   *   <li>{@code size1 == 0}: accepted iff the proof is empty and {@code root1} is the empty root
   *       {@code SHA-256("")} (the only root a tree of size 0 has; a witness with no record for a
   *       log passes {@link Rfc9162#emptyRoot()}). If {@code size2} is also 0, {@code root2} must
   *       be the empty root too (tlog-witness: "a checkpoint of size zero MUST have the root hash
   *       of the empty tree").
   *   <li>{@code size1 > 0}: exactly {@link #verifyConsistency}.
   * </ul>
   *
   * <p>This matches the MTC draft's subtree consistency verifier, which accepts {@code [0, 0)} with
   * an empty proof ({@link Subtrees#verifyConsistency}). Use it in witnesses and cosigners (the
   * cosign stream checking a new checkpoint against the last one it cosigned, which is size 0 at
   * first). Relying-party verifiers that compare two checkpoints use {@link #verifyConsistency}
   * (ADR 0002).
   *
   * <p>Requires non-null arguments and {@code 0 <= size1 <= size2 < 2^63}; anything else is
   * rejected.
   *
   * @throws RootMismatchException if a root does not match
   * @throws ProofException if the proof or its parameters are rejected
   */
  public static void verifyConsistencyFromAnySize(
      long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws ProofException {
    Objects.requireNonNull(root1, "root1");
    Objects.requireNonNull(root2, "root2");
    Objects.requireNonNull(proof, "proof");
    Checks.fits("size1", size1);
    Checks.fits("size2", size2);
    if (size1 != 0) {
      verifyConsistency(size1, size2, proof, root1, root2);
      return;
    }
    if (!proof.isEmpty()) {
      throw new ProofException(
          "wrong proof size " + proof.size() + ", want 0 (size1 0, size2 " + size2 + ")");
    }
    Checks.emptyRoot("root1 of the tree of size 0", root1);
    if (size2 == 0) {
      Checks.emptyRoot("root2 of the tree of size 0", root2);
    }
  }

  /**
   * The length of the inclusion proof for {@code index} in a tree of {@code size} leaves. Requires
   * {@code 0 <= index < size}. The paths to {@code index} and {@code size - 1} part at level {@code
   * l1 = BIT_WIDTH(index XOR (size - 1))}; below it the proof has one sibling per level, above it
   * one left sibling per set bit of {@code index >> l1} (MTC draft, "Inclusion Proof Evaluation").
   */
  static int inclusionProofSize(long index, long size) {
    int l1 = Checks.bitWidth(index ^ (size - 1));
    return l1 + Long.bitCount(index >>> l1);
  }

  /**
   * The length of the consistency proof from {@code size1} to {@code size2}. Requires {@code 0 <
   * size1 < size2}: the inclusion proof of the highest right-border node of the old tree that is in
   * the new tree, plus that node itself unless it is the whole old tree.
   */
  static int consistencyProofSize(long size1, long size2) {
    int level = Long.numberOfTrailingZeros(size1);
    int seed = Long.bitCount(size1) == 1 ? 0 : 1;
    return seed + inclusionProofSize((size1 - 1) >>> level, ((size2 - 1) >>> level) + 1);
  }
}
