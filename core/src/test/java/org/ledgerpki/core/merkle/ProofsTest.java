package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.VerificationException;

/** The contract of {@link Proofs}: messages, exception types, and the two consistency rules. */
class ProofsTest {
  private static final MerkleTree TREE = KnownAnswersTest.classicTree();
  private static final byte[] EMPTY = Rfc9162.emptyRoot();

  @Test
  void proofExceptionsAreVerificationExceptions() {
    assertThat(VerificationException.class).isAssignableFrom(ProofException.class);
    assertThat(ProofException.class).isAssignableFrom(RootMismatchException.class);
  }

  @Test
  void wrongInclusionProofSizeNamesTheSizes() {
    List<byte[]> proof = TREE.inclusionProof(1, 5);
    List<byte[]> short1 = proof.subList(0, 2);
    assertThatThrownBy(() -> Proofs.verifyInclusion(1, 5, TREE.leafHash(1), short1, TREE.rootAt(5)))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessage("wrong proof size 2, want 3 (index 1, size 5)");
  }

  @Test
  void rootMismatchCarriesBothRootsInFullHex() {
    byte[] wrongRoot = TREE.rootAt(4);
    RootMismatchException e =
        catchThrowableOfType(
            RootMismatchException.class,
            () ->
                Proofs.verifyInclusion(
                    1, 5, TREE.leafHash(1), TREE.inclusionProof(1, 5), wrongRoot));
    assertThat(e.expected()).isEqualTo(wrongRoot);
    assertThat(e.calculated()).isEqualTo(TREE.rootAt(5));
    assertThat(e.getMessage())
        .startsWith(
            "calculated root "
                + Hex.encode(TREE.rootAt(5))
                + " does not match expected root "
                + Hex.encode(wrongRoot));
  }

  @Test
  void rootFromInclusionProofReturnsTheRoot() throws ProofException {
    assertThat(Proofs.rootFromInclusionProof(6, 8, TREE.leafHash(6), TREE.inclusionProof(6, 8)))
        .isEqualTo(TREE.root());
  }

  @Test
  void inclusionRejectsImpossibleParameters() {
    byte[] leaf = TREE.leafHash(0);
    assertThatThrownBy(() -> Proofs.verifyInclusion(5, 5, leaf, List.of(), TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessage("index 5 is beyond tree size 5");
    assertThatThrownBy(() -> Proofs.verifyInclusion(0, 0, leaf, List.of(), EMPTY))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> Proofs.verifyInclusion(0, 1, new byte[31], List.of(), TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessage("leaf hash has 31 bytes, want 32");
    List<byte[]> proof = new ArrayList<>(TREE.inclusionProof(0, 8));
    proof.set(1, new byte[33]);
    assertThatThrownBy(() -> Proofs.verifyInclusion(0, 8, leaf, proof, TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessage("proof[1] has 33 bytes, want 32 bytes");
  }

  @Test
  void sizesOfTwoToThe63OrMoreAreRejectedWithTheirUnsignedValue() {
    long tooBig = Long.parseUnsignedLong("9223372036854775810");
    byte[] leaf = TREE.leafHash(0);
    assertThatThrownBy(() -> Proofs.verifyInclusion(0, tooBig, leaf, List.of(), TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessage("size 9223372036854775810 is too large: sizes and indices must be below 2^63");
    assertThatThrownBy(() -> Proofs.verifyConsistency(1, -1, List.of(), EMPTY, EMPTY))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("size2 18446744073709551615 is too large");
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(-1, 3, List.of(), EMPTY, EMPTY))
        .isInstanceOf(ProofException.class)
        .hasMessageContaining("size1 18446744073709551615 is too large");
  }

  @Test
  void inclusionAtTheLargestSizeDoesNotOverflow() {
    // index 2^63 - 2 in a tree of 2^63 - 1 leaves: 62 left siblings on the right border.
    long size = Long.MAX_VALUE;
    long index = size - 1;
    List<byte[]> proof = new ArrayList<>();
    for (int i = 0; i < 62; i++) {
      proof.add(EMPTY);
    }
    assertThatCode(() -> Proofs.rootFromInclusionProof(index, size, EMPTY, proof))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> Proofs.rootFromInclusionProof(index, size, EMPTY, proof.subList(1, 62)))
        .hasMessage(
            "wrong proof size 61, want 62 (index 9223372036854775806, size 9223372036854775807)");
  }

  // ---- consistency --------------------------------------------------------------------------

  @Test
  void wrongConsistencyProofSizeNamesTheSizes() {
    List<byte[]> proof = TREE.consistencyProof(6, 7);
    assertThatThrownBy(
            () ->
                Proofs.verifyConsistency(6, 7, proof.subList(0, 2), TREE.rootAt(6), TREE.rootAt(7)))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessage("wrong proof size 2, want 3 (size1 6, size2 7)");
  }

  @Test
  void consistencyMismatchNamesTheTree() {
    List<byte[]> proof = TREE.consistencyProof(3, 7);
    assertThatThrownBy(() -> Proofs.verifyConsistency(3, 7, proof, TREE.rootAt(2), TREE.rootAt(7)))
        .isInstanceOf(RootMismatchException.class)
        .hasMessageEndingWith("(old tree of size 3)");
    assertThatThrownBy(() -> Proofs.verifyConsistency(3, 7, proof, TREE.rootAt(3), TREE.rootAt(8)))
        .isInstanceOf(RootMismatchException.class)
        .hasMessageEndingWith("(new tree of size 7)");
  }

  @Test
  void strictConsistencyRejectsSizeZeroAlways() {
    assertThatThrownBy(() -> Proofs.verifyConsistency(0, 0, List.of(), EMPTY, EMPTY))
        .isInstanceOf(ProofException.class)
        .hasMessageStartingWith("consistency proof from the empty tree is meaningless");
    assertThatThrownBy(() -> Proofs.verifyConsistency(0, 8, List.of(), EMPTY, TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessageStartingWith("consistency proof from the empty tree is meaningless");
  }

  @Test
  void strictConsistencyRules() {
    byte[] r5 = TREE.rootAt(5);
    assertThatCode(() -> Proofs.verifyConsistency(5, 5, List.of(), r5, r5))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Proofs.verifyConsistency(5, 5, List.of(r5), r5, r5))
        .hasMessage("wrong proof size 1, want 0 (size1 = size2 = 5)");
    assertThatThrownBy(() -> Proofs.verifyConsistency(5, 5, List.of(), r5, TREE.rootAt(4)))
        .isInstanceOf(RootMismatchException.class);
    assertThatThrownBy(() -> Proofs.verifyConsistency(6, 5, List.of(), r5, r5))
        .hasMessage("size1 6 > size2 5: an append-only tree cannot shrink");
    assertThatThrownBy(() -> Proofs.verifyConsistency(4, 5, List.of(), TREE.rootAt(4), r5))
        .hasMessage("wrong proof size 0, want 1 (size1 4, size2 5)");
  }

  @Test
  void witnessConsistencyAcceptsAnEmptyProofFromSizeZero() {
    assertThatCode(() -> Proofs.verifyConsistencyFromAnySize(0, 8, List.of(), EMPTY, TREE.root()))
        .doesNotThrowAnyException();
    assertThatCode(() -> Proofs.verifyConsistencyFromAnySize(0, 0, List.of(), EMPTY, EMPTY))
        .doesNotThrowAnyException();
  }

  @Test
  void witnessConsistencyFromSizeZeroStillChecksWhatItCan() {
    byte[] root = TREE.root();
    assertThatThrownBy(
            () -> Proofs.verifyConsistencyFromAnySize(0, 8, List.of(root), EMPTY, TREE.root()))
        .isInstanceOf(ProofException.class)
        .hasMessage("wrong proof size 1, want 0 (size1 0, size2 8)");
    // Both sizes 0: the new checkpoint must carry the empty root (tlog-witness).
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(0, 0, List.of(), EMPTY, root))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessage(
            "root2 of the tree of size 0 "
                + Hex.encode(root)
                + " is not the empty root "
                + Hex.encode(EMPTY));
    // The old tree of size 0 has the empty root and no other.
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(0, 8, List.of(), root, root))
        .isExactlyInstanceOf(ProofException.class)
        .hasMessageStartingWith("root1 of the tree of size 0 " + Hex.encode(root));
  }

  @Test
  void witnessConsistencyIsStrictAboveZero() {
    byte[] r6 = TREE.rootAt(6);
    byte[] r7 = TREE.rootAt(7);
    List<byte[]> proof = TREE.consistencyProof(6, 7);
    assertThatCode(() -> Proofs.verifyConsistencyFromAnySize(6, 7, proof, r6, r7))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(6, 7, proof, r7, r7))
        .isInstanceOf(RootMismatchException.class);
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(7, 6, List.of(), r7, r6))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> Proofs.verifyConsistencyFromAnySize(7, 7, List.of(), r7, r6))
        .isInstanceOf(RootMismatchException.class);
  }

  @Test
  void generatorsGiveTheEmptyProofTheWitnessExpects() {
    assertThat(TREE.consistencyProof(0, 8)).isEmpty();
    assertThat(TREE.consistencyProof(0, 0)).isEmpty();
    assertThat(TREE.consistencyProof(8, 8)).isEmpty();
  }
}
