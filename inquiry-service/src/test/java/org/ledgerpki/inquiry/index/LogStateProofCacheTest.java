package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * The node's inclusion proofs, with the right edge of the checkpoint's tree cached, are exactly
 * core's {@link MerkleTree#inclusionProof}; the cache follows the size proved against, so a proof
 * under a newer checkpoint is never built from an older checkpoint's edge.
 */
class LogStateProofCacheTest {

  private static byte[] entry(int i) {
    return ByteBuffer.allocate(8).putInt(0x5eed).putInt(i).array();
  }

  /** A log of {@code n} entries (no certificates) and core's tree over the same leaves. */
  private static MerkleTree fill(LogState state, int from, int to, MerkleTree reference) {
    for (int i = from; i < to; i++) {
      assertThat(state.append(i, 1, entry(i), null, new ArrayList<>()))
          .isEqualTo(LogState.EntryOutcome.APPENDED);
      reference.append(Rfc9162.leafHash(entry(i)));
    }
    return reference;
  }

  private static void assertSameProofs(LogState state, MerkleTree reference, long n) {
    for (long i = 0; i < n; i++) {
      List<byte[]> ours = state.inclusionProof(i, n);
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
    LogState state = new LogState("o");
    MerkleTree reference = fill(state, 0, 70, new MerkleTree(new InMemoryNodeStore()));
    for (long n = 1; n <= 70; n++) {
      assertSameProofs(state, reference, n);
      assertThat(state.cachedRightEdge().size()).isEqualTo(n);
    }
  }

  @Test
  void theCachedEdgeIsReplacedWhenTheTreeGrowsAndANewerSizeIsProvedAgainst() {
    LogState state = new LogState("o");
    MerkleTree reference = fill(state, 0, 13, new MerkleTree(new InMemoryNodeStore()));
    assertSameProofs(state, reference, 13);
    LogState.RightEdge at13 = state.cachedRightEdge();
    assertThat(at13.size()).isEqualTo(13);

    // Newer entries, and a proof in the larger tree (as after a newer cosigned checkpoint).
    fill(state, 13, 29, reference);
    assertSameProofs(state, reference, 29);
    assertThat(state.cachedRightEdge().size()).isEqualTo(29);
    assertThat(state.cachedRightEdge()).isNotSameAs(at13);
    // The same size again: the cached edge is reused, not rebuilt.
    LogState.RightEdge at29 = state.cachedRightEdge();
    state.inclusionProof(3, 29);
    assertThat(state.cachedRightEdge()).isSameAs(at29);
  }

  @Test
  void outOfRangeIsRefusedWithTheBounds() {
    LogState state = new LogState("o");
    fill(state, 0, 4, new MerkleTree(new InMemoryNodeStore()));
    assertThatThrownBy(() -> state.inclusionProof(4, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got index 4, n 4, size 4");
    assertThatThrownBy(() -> state.inclusionProof(0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n 5, size 4");
  }
}
