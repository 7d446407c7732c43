package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property tests: the generators of {@link MerkleTree} agree with the literal spec recursions of
 * {@link NaiveMerkle}, every generated proof verifies with {@link Proofs} / {@link Subtrees}, and
 * every tampered proof (one bit flipped in one element, an element dropped or added) is rejected.
 * Exhaustive for trees up to 70 leaves, sampled for larger ones.
 */
class CrossCheckTest {
  private static final int SMALL = 70;
  private static final byte[] EXTRA = Rfc9162.leafHash("extra".getBytes());

  private static MerkleTree small;
  private static NaiveMerkle smallNaive;

  @BeforeAll
  static void build() {
    List<byte[]> leaves = NaiveMerkle.byteLeaves(SMALL);
    small = tree(leaves);
    smallNaive = new NaiveMerkle(leaves);
  }

  static MerkleTree tree(List<byte[]> leaves) {
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    leaves.forEach(t::append);
    return t;
  }

  /** A verification that must pass for the original proof and fail for every tampered one. */
  interface Check {
    void verify(List<byte[]> proof) throws ProofException;
  }

  /** The proof with one bit of one element flipped, for each element and a few bit positions. */
  static List<List<byte[]>> tampered(List<byte[]> proof) {
    List<List<byte[]>> out = new ArrayList<>();
    for (int i = 0; i < proof.size(); i++) {
      for (int bit : new int[] {0, 77, 255}) {
        List<byte[]> p = copy(proof);
        byte[] e = p.get(i).clone();
        e[bit / 8] ^= (byte) (1 << (bit % 8));
        p.set(i, e);
        out.add(p);
      }
    }
    if (!proof.isEmpty()) {
      out.add(copy(proof).subList(0, proof.size() - 1)); // last dropped
      out.add(copy(proof).subList(1, proof.size())); // first dropped
    }
    List<byte[]> appended = copy(proof);
    appended.add(EXTRA);
    out.add(appended);
    List<byte[]> prepended = copy(proof);
    prepended.add(0, EXTRA);
    out.add(prepended);
    return out;
  }

  private static List<byte[]> copy(List<byte[]> proof) {
    return new ArrayList<>(proof);
  }

  static void accepts(String what, List<byte[]> proof, Check check) {
    try {
      check.verify(proof);
    } catch (ProofException e) {
      fail(what + ": a generated proof was rejected: " + e.getMessage(), e);
    }
  }

  static void acceptsOnlyUntampered(String what, List<byte[]> proof, Check check) {
    accepts(what, proof, check);
    for (List<byte[]> bad : tampered(proof)) {
      assertThatThrownBy(() -> check.verify(bad))
          .as("%s: tampered proof of %d elements", what, bad.size())
          .isInstanceOf(ProofException.class);
    }
  }

  // ---- roots --------------------------------------------------------------------------------

  @Test
  void appendsMatchTheRecursiveMthAtEverySize() {
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    CompactRange range = new CompactRange();
    List<byte[]> leaves = NaiveMerkle.intLeaves(300);
    NaiveMerkle naive = new NaiveMerkle(leaves);
    for (int n = 0; n <= leaves.size(); n++) {
      assertThat(t.root()).as("root at %d", n).isEqualTo(naive.mth(0, n));
      assertThat(range.root()).as("frontier root at %d", n).isEqualTo(naive.mth(0, n));
      if (n < leaves.size()) {
        t.append(leaves.get(n));
        range.append(leaves.get(n));
      }
    }
    for (int n = 0; n <= leaves.size(); n++) {
      assertThat(t.rootAt(n)).as("rootAt(%d)", n).isEqualTo(naive.mth(0, n));
    }
  }

  @Test
  void subtreeHashesMatchTheRecursiveMth() {
    for (int end = 0; end <= SMALL; end++) {
      for (int start = 0; start <= end; start++) {
        if (Subtrees.isValid(start, end)) {
          assertThat(small.subtreeHash(start, end))
              .as("[%d, %d)", start, end)
              .isEqualTo(smallNaive.mth(start, end));
        }
      }
    }
  }

  // ---- exhaustive up to 70 leaves -----------------------------------------------------------

  @Test
  void inclusionProofsForEveryIndexAndSize() {
    for (int size = 1; size <= SMALL; size++) {
      byte[] root = small.rootAt(size);
      for (int index = 0; index < size; index++) {
        List<byte[]> proof = small.inclusionProof(index, size);
        assertThat(proof)
            .as("PATH(%d, D[0:%d])", index, size)
            .containsExactlyElementsOf(smallNaive.path(index, 0, size));
        long i = index;
        long s = size;
        byte[] leaf = small.leafHash(index);
        acceptsOnlyUntampered(
            "inclusion " + index + " in " + size,
            proof,
            p -> Proofs.verifyInclusion(i, s, leaf, p, root));
      }
    }
  }

  @Test
  void consistencyProofsForEverySizePair() {
    for (int size2 = 1; size2 <= SMALL; size2++) {
      byte[] root2 = small.rootAt(size2);
      for (int size1 = 1; size1 <= size2; size1++) {
        List<byte[]> proof = small.consistencyProof(size1, size2);
        assertThat(proof)
            .as("PROOF(%d, D[0:%d])", size1, size2)
            .containsExactlyElementsOf(smallNaive.proof(size1, size2));
        long s1 = size1;
        long s2 = size2;
        byte[] root1 = small.rootAt(size1);
        acceptsOnlyUntampered(
            "consistency " + size1 + " -> " + size2,
            proof,
            p -> Proofs.verifyConsistency(s1, s2, p, root1, root2));
        accepts(
            "witness consistency " + size1 + " -> " + size2,
            proof,
            p -> Proofs.verifyConsistencyFromAnySize(s1, s2, p, root1, root2));
        // PROOF(m, D_n) is SUBTREE_PROOF(0, m, D_n), and verifies as one.
        accepts(
            "subtree consistency [0, " + size1 + ") in " + size2,
            proof,
            p -> Subtrees.verifyConsistency(0, s1, s2, p, root1, root2));
      }
    }
  }

  @Test
  void subtreeInclusionProofsForEveryValidSubtree() {
    for (int end = 1; end <= SMALL; end++) {
      for (int start = 0; start < end; start++) {
        if (!Subtrees.isValid(start, end)) {
          continue;
        }
        byte[] subtreeHash = small.subtreeHash(start, end);
        for (int index = start; index < end; index++) {
          List<byte[]> proof = small.subtreeInclusionProof(index, start, end);
          assertThat(proof)
              .as("PATH(%d, D[%d:%d])", index, start, end)
              .containsExactlyElementsOf(smallNaive.path(index, start, end));
          long i = index;
          long s = start;
          long e = end;
          byte[] leaf = small.leafHash(index);
          assertThat(proof).hasSize(Proofs.inclusionProofSize(index - start, end - start));
          acceptsOnlyUntampered(
              "subtree inclusion " + index + " in [" + start + ", " + end + ")",
              proof,
              p -> Subtrees.verifyInclusion(i, leaf, p, s, e, subtreeHash));
        }
      }
    }
  }

  @Test
  void subtreeConsistencyProofsForEveryValidSubtreeAndSize() {
    for (int n = 0; n <= SMALL; n++) {
      byte[] root = small.rootAt(n);
      for (int end = 0; end <= n; end++) {
        for (int start = 0; start <= end; start++) {
          if (!Subtrees.isValid(start, end)) {
            continue;
          }
          List<byte[]> proof = small.subtreeConsistencyProof(start, end, n);
          assertThat(proof)
              .as("SUBTREE_PROOF(%d, %d, D[0:%d])", start, end, n)
              .containsExactlyElementsOf(smallNaive.subtreeProof(start, end, n));
          if (start < end) {
            assertThat(proof).hasSize(Subtrees.consistencyProofSize(start, end, n));
          }
          long s = start;
          long e = end;
          long size = n;
          byte[] node = small.subtreeHash(start, end);
          acceptsOnlyUntampered(
              "subtree consistency [" + start + ", " + end + ") in " + n,
              proof,
              p -> Subtrees.verifyConsistency(s, e, size, p, node, root));
        }
      }
    }
  }

  @Test
  void coveringSubtreesAreValidAdjacentAndTight() {
    for (long end = 0; end <= 600; end++) {
      for (long start = 0; start <= end; start++) {
        SubtreePair pair = Subtrees.findSubtrees(start, end);
        Subtree left = pair.left();
        Subtree right = pair.right();
        assertThat(left.isValid()).as("left of [%d, %d)", start, end).isTrue();
        assertThat(right.isValid()).as("right of [%d, %d)", start, end).isTrue();
        assertThat(left.start()).isLessThanOrEqualTo(start);
        assertThat(right.end()).isEqualTo(end);
        if (start < end) {
          assertThat(start - left.start()).isLessThan(left.end() - start);
        }
      }
    }
  }

  // ---- sampled, larger trees ----------------------------------------------------------------

  @ParameterizedTest(name = "tree of {0} leaves")
  @ValueSource(ints = {1023, 1024, 1025, 2049, 3333, 4096 + 777})
  void sampledProofsOnLargerTrees(int size) {
    List<byte[]> leaves = NaiveMerkle.intLeaves(size);
    MerkleTree t = tree(leaves);
    NaiveMerkle naive = new NaiveMerkle(leaves);
    assertThat(t.root()).isEqualTo(naive.mth(0, size));
    Random random = new Random(size);
    for (int round = 0; round < 150; round++) {
      long size2 = 1 + random.nextInt(size);
      long size1 = 1 + random.nextInt((int) size2);
      long index = random.nextInt((int) size2);
      byte[] root1 = t.rootAt(size1);
      byte[] root2 = t.rootAt(size2);
      assertThat(root2).isEqualTo(naive.mth(0, (int) size2));
      List<byte[]> incl = t.inclusionProof(index, size2);
      assertThat(incl).containsExactlyElementsOf(naive.path((int) index, 0, (int) size2));
      byte[] leaf = t.leafHash(index);
      acceptsOnlyUntampered(
          "inclusion", incl, p -> Proofs.verifyInclusion(index, size2, leaf, p, root2));
      List<byte[]> cons = t.consistencyProof(size1, size2);
      assertThat(cons).containsExactlyElementsOf(naive.proof((int) size1, (int) size2));
      acceptsOnlyUntampered(
          "consistency", cons, p -> Proofs.verifyConsistency(size1, size2, p, root1, root2));

      // A subtree around the sampled index: the covering pair of a random interval.
      long from = random.nextInt((int) size2);
      long to = from + 1 + random.nextInt((int) (size2 - from));
      for (Subtree st :
          List.of(
              Subtrees.findSubtrees(from, to).left(), Subtrees.findSubtrees(from, to).right())) {
        byte[] node = t.subtreeHash(st.start(), st.end());
        assertThat(node).isEqualTo(naive.mth((int) st.start(), (int) st.end()));
        List<byte[]> sc = t.subtreeConsistencyProof(st.start(), st.end(), size2);
        assertThat(sc)
            .containsExactlyElementsOf(
                naive.subtreeProof((int) st.start(), (int) st.end(), (int) size2));
        acceptsOnlyUntampered(
            "subtree consistency " + st,
            sc,
            p -> Subtrees.verifyConsistency(st.start(), st.end(), size2, p, node, root2));
        if (st.size() > 0) {
          long i = st.start() + random.nextInt((int) st.size());
          byte[] leafI = t.leafHash(i);
          List<byte[]> si = t.subtreeInclusionProof(i, st.start(), st.end());
          acceptsOnlyUntampered(
              "subtree inclusion " + i + " in " + st,
              si,
              p -> Subtrees.verifyInclusion(i, leafI, p, st.start(), st.end(), node));
        }
      }
    }
  }

  /** 10^5 leaves: appends stay cheap, and proofs at the far end verify against the root. */
  @Test
  void aHundredThousandLeaves() {
    int size = 100_003;
    List<byte[]> leaves = NaiveMerkle.intLeaves(size);
    MerkleTree t = tree(leaves);
    assertThat(t.root()).isEqualTo(new NaiveMerkle(leaves).mth(0, size));
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      long index = random.nextInt(size);
      accepts(
          "inclusion " + index,
          t.inclusionProof(index, size),
          p -> Proofs.verifyInclusion(index, size, t.leafHash(index), p, t.root()));
      long old = 1 + random.nextInt(size);
      accepts(
          "consistency " + old,
          t.consistencyProof(old, size),
          p -> Proofs.verifyConsistency(old, size, p, t.rootAt(old), t.root()));
    }
  }
}
