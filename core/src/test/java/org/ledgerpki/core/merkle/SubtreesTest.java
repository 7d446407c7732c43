package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract of {@link Subtrees}, {@link Subtree} and {@link SubtreePair}. */
class SubtreesTest {
  private static final long TWO_63 = Long.MIN_VALUE; // 2^63 as unsigned
  private static final byte[] EMPTY = Rfc9162.emptyRoot();
  private static final MerkleTree TREE = tree(20);

  private static MerkleTree tree(int n) {
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    NaiveMerkle.byteLeaves(n).forEach(t::append);
    return t;
  }

  @Test
  void validityFollowsTheDefinition() {
    assertThat(Subtrees.isValid(0, 0)).isTrue();
    assertThat(Subtrees.isValid(5, 5)).isTrue();
    assertThat(Subtrees.isValid(0, 13)).isTrue();
    assertThat(Subtrees.isValid(4, 8)).isTrue();
    assertThat(Subtrees.isValid(8, 13)).isTrue();
    assertThat(Subtrees.isValid(8, 17)).isFalse(); // BIT_CEIL(9) = 16 does not divide 8
    assertThat(Subtrees.isValid(1, 3)).isFalse();
    assertThat(Subtrees.isValid(2, 5)).isFalse();
    assertThat(Subtrees.isValid(3, 5)).isFalse();
    assertThat(Subtrees.isValid(3, 4)).isTrue();
    assertThat(Subtrees.isValid(2, 1)).isFalse();
  }

  @Test
  void validityMatchesBruteForce() {
    for (long end = 0; end <= 300; end++) {
      for (long start = 0; start <= end; start++) {
        long ceil = 1;
        while (ceil < end - start) {
          ceil <<= 1;
        }
        assertThat(Subtrees.isValid(start, end))
            .as("[%d, %d)", start, end)
            .isEqualTo(start % ceil == 0);
      }
    }
  }

  @Test
  void validityIsOverflowSafeForUnsignedValues() {
    // The draft's example: [0, 2^63 + 1) has BIT_CEIL 2^64, which overflows; [0, x) is valid.
    assertThat(Subtrees.isValid(0, TWO_63 + 1)).isTrue();
    assertThat(Subtrees.isValid(0, -1)).isTrue(); // [0, 2^64 - 1)
    assertThat(Subtrees.isValid(1, TWO_63 + 2)).isFalse(); // the vector's invalid-large-subtree
    assertThat(Subtrees.isValid(TWO_63, -1)).isTrue(); // [2^63, 2^64 - 1), size 2^63 - 1
    assertThat(Subtrees.isValid(TWO_63, 0)).isFalse(); // start > end as unsigned
    assertThat(Subtrees.isValid(-1, -1)).isTrue(); // [x, x)
    assertThat(Subtrees.isValid(Long.MAX_VALUE, TWO_63)).isTrue(); // one leaf
    assertThat(Subtrees.isValid(Long.MAX_VALUE - 1, TWO_63)).isTrue(); // two leaves, aligned
    assertThat(Subtrees.isValid(Long.MAX_VALUE - 2, TWO_63)).isFalse(); // three, unaligned
  }

  @Test
  void findSubtreesRejectsBadIntervals() {
    assertThatThrownBy(() -> Subtrees.findSubtrees(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("findSubtrees needs 0 <= start <= end, got start 3, end 2");
    assertThatThrownBy(() -> Subtrees.findSubtrees(-1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findSubtreesAtTheTopOfTheRange() {
    SubtreePair pair = Subtrees.findSubtrees(1, Long.MAX_VALUE);
    assertThat(pair.left()).isEqualTo(new Subtree(0, 1L << 62));
    assertThat(pair.right()).isEqualTo(new Subtree(1L << 62, Long.MAX_VALUE));
    assertThat(pair.left().isValid()).isTrue();
    assertThat(pair.right().isValid()).isTrue();
  }

  @Test
  void subtreeRecords() {
    Subtree s = new Subtree(8, 13);
    assertThat(s).hasToString("[8, 13)");
    assertThat(s.size()).isEqualTo(5);
    assertThat(s.contains(8)).isTrue();
    assertThat(s.contains(13)).isFalse();
    assertThatThrownBy(() -> new Subtree(2, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SubtreePair(new Subtree(0, 4), new Subtree(5, 6)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Subtrees.findSubtrees(5, 13)).hasToString("([4, 8), [8, 13))");
  }

  // ---- inclusion ----------------------------------------------------------------------------

  @Test
  void inclusionFailuresSayWhy() {
    byte[] leaf = TREE.leafHash(10);
    List<byte[]> proof = TREE.subtreeInclusionProof(10, 8, 13);
    byte[] node = TREE.subtreeHash(8, 13);
    assertThatCode(() -> Subtrees.verifyInclusion(10, leaf, proof, 8, 13, node))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Subtrees.verifyInclusion(10, leaf, proof.subList(0, 2), 8, 13, node))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessage("wrong proof size 2, want 3 (index 10, subtree [8, 13))");
    List<byte[]> longer = new java.util.ArrayList<>(proof);
    longer.add(node);
    assertThatThrownBy(() -> Subtrees.verifyInclusion(10, leaf, longer, 8, 13, node))
        .hasMessage("wrong proof size 4, want 3 (index 10, subtree [8, 13))");
    assertThatThrownBy(() -> Subtrees.verifyInclusion(13, leaf, proof, 8, 13, node))
        .hasMessage("index 13 is not in subtree [8, 13)");
    assertThatThrownBy(() -> Subtrees.verifyInclusion(10, leaf, proof, 9, 13, node))
        .hasMessage("[9, 13) is not a valid subtree");
    assertThatThrownBy(() -> Subtrees.verifyInclusion(10, leaf, proof, 8, 13, EMPTY))
        .isInstanceOf(RootMismatchException.class)
        .hasMessageEndingWith("(inclusion of index 10 in subtree [8, 13))");
    assertThatThrownBy(
            () -> Subtrees.verifyInclusion(1, leaf, List.of(), 1, Long.MIN_VALUE + 2, node))
        .isInstanceOf(ProofException.class)
        .hasMessage("end 9223372036854775810 is too large: sizes and indices must be below 2^63");
  }

  @Test
  void evaluateInclusionReturnsTheSubtreeHash() throws ProofException {
    for (long index = 16; index < 20; index++) {
      assertThat(
              Subtrees.evaluateInclusion(
                  index, TREE.leafHash(index), TREE.subtreeInclusionProof(index, 16, 20), 16, 20))
          .isEqualTo(TREE.subtreeHash(16, 20));
    }
  }

  // ---- consistency --------------------------------------------------------------------------

  @Test
  void emptySubtreesAreConsistentWithAnyTree() {
    byte[] root = TREE.root();
    assertThatCode(() -> Subtrees.verifyConsistency(0, 0, 20, List.of(), EMPTY, root))
        .doesNotThrowAnyException();
    assertThatCode(() -> Subtrees.verifyConsistency(16, 16, 20, List.of(), EMPTY, root))
        .doesNotThrowAnyException();
    assertThatCode(() -> Subtrees.verifyConsistency(0, 0, 0, List.of(), EMPTY, EMPTY))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Subtrees.verifyConsistency(0, 0, 20, List.of(root), EMPTY, root))
        .hasMessage("wrong proof size 1, want 0 (empty subtree [0, 0), size 20)");
    assertThatThrownBy(() -> Subtrees.verifyConsistency(0, 0, 20, List.of(), root, root))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessageStartingWith("node hash of the empty subtree [0, 0) ")
        .hasMessageContaining(" is not the empty root ");
    // [x, x) must still be a subtree of the tree.
    assertThatThrownBy(() -> Subtrees.verifyConsistency(21, 21, 20, List.of(), EMPTY, root))
        .hasMessage("subtree [21, 21) ends beyond tree size 20");
  }

  @Test
  void consistencyFailuresSayWhy() {
    List<byte[]> proof = TREE.subtreeConsistencyProof(8, 13, 14);
    byte[] node = TREE.subtreeHash(8, 13);
    byte[] root = TREE.rootAt(14);
    assertThatCode(() -> Subtrees.verifyConsistency(8, 13, 14, proof, node, root))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 14, List.of(), node, root))
        .hasMessage("wrong proof size 0, want 4 (subtree [8, 13), size 14)");
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 14, proof.subList(0, 3), node, root))
        .hasMessage("wrong proof size 3, want 4 (subtree [8, 13), size 14)");
    List<byte[]> longer = new java.util.ArrayList<>(proof);
    longer.add(root);
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 14, longer, node, root))
        .hasMessage("wrong proof size 5, want 4 (subtree [8, 13), size 14)");
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 12, proof, node, root))
        .hasMessage("subtree [8, 13) ends beyond tree size 12");
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 14, proof, root, root))
        .isInstanceOf(RootMismatchException.class)
        .hasMessageEndingWith("(subtree [8, 13))");
    assertThatThrownBy(() -> Subtrees.verifyConsistency(8, 13, 14, proof, node, node))
        .isInstanceOf(RootMismatchException.class)
        .hasMessageEndingWith("(tree of size 14)");
  }
}
