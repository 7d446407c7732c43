package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inclusion proofs with the right edge cached are exactly {@link MerkleTree#inclusionProof}; the
 * cache follows the size proved against, so a proof under a newer checkpoint is never built from an
 * older checkpoint's edge.
 */
class EdgeCachedProofsTest {

  private final InMemoryNodeStore store = new InMemoryNodeStore();
  private final MerkleTree tree = new MerkleTree(store);
  private final EdgeCachedProofs proofs = new EdgeCachedProofs(tree, store);

  /** Core's tree over the same leaves, in a store of its own. */
  private final MerkleTree reference = new MerkleTree(new InMemoryNodeStore());

  private void fill(int from, int to) {
    for (int i = from; i < to; i++) {
      byte[] leaf = Rfc9162.leafHash(ByteBuffer.allocate(8).putInt(0x5eed).putInt(i).array());
      tree.append(leaf);
      reference.append(leaf);
    }
  }

  private void assertSameProofs(long n) {
    for (long i = 0; i < n; i++) {
      List<byte[]> ours = proofs.inclusionProof(i, n);
      List<byte[]> core = reference.inclusionProof(i, n);
      assertThat(ours)
          .as("inclusion proof of %d in a tree of %d: expected core's %d hashes", i, n, core.size())
          .hasSameSizeAs(core);
      for (int k = 0; k < core.size(); k++) {
        assertThat(ours.get(k))
            .as("hash %d of the proof of %d in %d", k, i, n)
            .isEqualTo(core.get(k));
      }
    }
  }

  @Test
  void proofsEqualCoresForEverySizeAndIndex() {
    fill(0, 70);
    for (long n = 1; n <= 70; n++) {
      assertSameProofs(n);
      assertThat(proofs.cachedRightEdge().size()).isEqualTo(n);
    }
  }

  @Test
  void theCachedEdgeIsReplacedWhenTheTreeGrowsAndANewerSizeIsProvedAgainst() {
    fill(0, 13);
    assertSameProofs(13);
    EdgeCachedProofs.RightEdge at13 = proofs.cachedRightEdge();
    assertThat(at13.size()).isEqualTo(13);

    // Newer entries, and a proof in the larger tree (as after a newer cosigned checkpoint).
    fill(13, 29);
    assertSameProofs(29);
    assertThat(proofs.cachedRightEdge().size()).isEqualTo(29);
    assertThat(proofs.cachedRightEdge()).isNotSameAs(at13);
    // The same size again: the cached edge is reused, not rebuilt.
    EdgeCachedProofs.RightEdge at29 = proofs.cachedRightEdge();
    proofs.inclusionProof(3, 29);
    assertThat(proofs.cachedRightEdge()).isSameAs(at29);
  }

  @Test
  void outOfRangeIsRefusedWithTheBounds() {
    fill(0, 4);
    assertThatThrownBy(() -> proofs.inclusionProof(4, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got index 4, n 4, size 4");
    assertThatThrownBy(() -> proofs.inclusionProof(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n 5, size 4");
  }
}
