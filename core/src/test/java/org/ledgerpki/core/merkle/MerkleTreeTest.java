package org.ledgerpki.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;

/**
 * {@link MerkleTree}, {@link CompactRange} and {@link InMemoryNodeStore}: persistence of the
 * frontier, reopening, preconditions and the cost of proofs in store reads.
 */
class MerkleTreeTest {

  private static MerkleTree tree(NodeStore store, int n) {
    MerkleTree t = new MerkleTree(store);
    NaiveMerkle.intLeaves(n).forEach(t::append);
    return t;
  }

  // ---- CompactRange -------------------------------------------------------------------------

  @Test
  void compactRangeRoundTripsThroughBytes() throws MalformedInputException {
    CompactRange range = new CompactRange();
    for (byte[] leaf : NaiveMerkle.intLeaves(1000)) {
      byte[] bytes = range.toBytes();
      assertThat(bytes).hasSize(9 + 32 * Long.bitCount(range.size()));
      CompactRange back = CompactRange.fromBytes(bytes);
      assertThat(back).isEqualTo(range);
      assertThat(back.root()).isEqualTo(range.root());
      assertThat(back.hashCode()).isEqualTo(range.hashCode());
      range.append(leaf);
    }
  }

  @Test
  void compactRangeBytesAreTheDocumentedLayout() {
    CompactRange range = new CompactRange();
    List<byte[]> leaves = NaiveMerkle.intLeaves(6);
    leaves.forEach(range::append);
    byte[] bytes = range.toBytes();
    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(java.util.Arrays.copyOfRange(bytes, 1, 9)).containsExactly(0, 0, 0, 0, 0, 0, 0, 6);
    NaiveMerkle naive = new NaiveMerkle(leaves);
    assertThat(java.util.Arrays.copyOfRange(bytes, 9, 41)).isEqualTo(naive.mth(0, 4));
    assertThat(java.util.Arrays.copyOfRange(bytes, 41, 73)).isEqualTo(naive.mth(4, 6));
  }

  @Test
  void malformedCompactRangesAreRejected() {
    byte[] good = tree(new InMemoryNodeStore(), 5).frontier().toBytes(); // 2 hashes
    assertThatThrownBy(() -> CompactRange.fromBytes(new byte[3]))
        .isInstanceOf(MalformedInputException.class)
        .hasMessage("compact range has 3 bytes, want at least 9");
    byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> CompactRange.fromBytes(version))
        .hasMessage("compact range format byte is 2, want 1");
    assertThatThrownBy(() -> CompactRange.fromBytes(java.util.Arrays.copyOf(good, good.length - 1)))
        .hasMessage("compact range of size 5 has 72 bytes, want 73");
    byte[] huge = good.clone();
    huge[1] = (byte) 0x80;
    assertThatThrownBy(() -> CompactRange.fromBytes(huge))
        .hasMessage("compact range size 9223372036854775813 is 2^63 or more");
  }

  @Test
  void compactRangeAppendReportsTheNewPerfectNodes() {
    CompactRange range = new CompactRange();
    List<byte[]> leaves = NaiveMerkle.intLeaves(8);
    NaiveMerkle naive = new NaiveMerkle(leaves);
    for (int i = 0; i < 7; i++) {
      range.append(leaves.get(i));
    }
    List<Node> created = range.append(leaves.get(7));
    assertThat(created)
        .containsExactly(
            new Node(0, 7, leaves.get(7)),
            new Node(1, 3, naive.mth(6, 8)),
            new Node(2, 1, naive.mth(4, 8)),
            new Node(3, 0, naive.mth(0, 8)));
    assertThat(range.nodes()).containsExactly(new Node(3, 0, naive.mth(0, 8)));
    assertThat(range.append(leaves.get(0))).containsExactly(new Node(0, 8, leaves.get(0)));
  }

  @Test
  void compactRangeOfChecksItsInput() {
    byte[] h = Rfc9162.emptyRoot();
    assertThatThrownBy(() -> CompactRange.of(3, List.of(h)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tree of size 3 has 2 perfect subtrees, got 1 hashes");
    assertThatThrownBy(() -> CompactRange.of(1, List.of(new byte[5])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CompactRange().append(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- reopening ----------------------------------------------------------------------------

  @Test
  void reopeningFromStoreAndFrontierGivesTheSameTree() throws MalformedInputException {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerkleTree original = new MerkleTree(store);
    List<byte[]> leaves = NaiveMerkle.intLeaves(150);
    for (int n = 0; n < leaves.size(); n++) {
      byte[] persisted = original.frontier().toBytes();
      MerkleTree fromFrontier = MerkleTree.open(store, CompactRange.fromBytes(persisted));
      MerkleTree fromSize = MerkleTree.open(store, n);
      for (MerkleTree reopened : List.of(fromFrontier, fromSize)) {
        assertThat(reopened.size()).isEqualTo(n);
        assertThat(reopened.root()).isEqualTo(original.root());
        assertThat(reopened.frontier()).isEqualTo(original.frontier());
        for (int m = 0; m <= n; m++) {
          assertThat(reopened.rootAt(m)).isEqualTo(original.rootAt(m));
        }
        if (n > 0) {
          assertThat(reopened.inclusionProof(n / 2, n))
              .containsExactlyElementsOf(original.inclusionProof(n / 2, n));
          assertThat(reopened.consistencyProof(1 + n / 3, n))
              .containsExactlyElementsOf(original.consistencyProof(1 + n / 3, n));
        }
      }
      original.append(leaves.get(n));
    }
  }

  @Test
  void aReopenedTreeKeepsAppending() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    List<byte[]> leaves = NaiveMerkle.intLeaves(100);
    MerkleTree first = new MerkleTree(store);
    leaves.subList(0, 37).forEach(first::append);
    CompactRange saved = first.frontier();
    // Nodes written after the saved frontier (an uncommitted write) are overwritten.
    first.append(Rfc9162.leafHash(new byte[] {42}));
    MerkleTree second = MerkleTree.open(store, saved);
    leaves.subList(37, 100).forEach(second::append);
    MerkleTree reference = tree(new InMemoryNodeStore(), 100);
    assertThat(second.root()).isEqualTo(reference.root());
    assertThat(second.rootAt(38)).isEqualTo(reference.rootAt(38));
    assertThat(second.subtreeConsistencyProof(32, 38, 100))
        .containsExactlyElementsOf(reference.subtreeConsistencyProof(32, 38, 100));
  }

  @Test
  void reopeningChecksTheStore() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerkleTree t = tree(store, 12);
    assertThatThrownBy(() -> new MerkleTree(store))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reopen it with MerkleTree.open");
    assertThatThrownBy(() -> MerkleTree.open(new InMemoryNodeStore(), t.frontier()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the node store lacks frontier node (level 3, index 0) of a tree of size 12");
    assertThatThrownBy(() -> MerkleTree.open(new InMemoryNodeStore(), 12))
        .isInstanceOf(IllegalStateException.class);
    CompactRange other = tree(new InMemoryNodeStore(), 13).frontier();
    InMemoryNodeStore store13 = new InMemoryNodeStore();
    MerkleTree t13 = new MerkleTree(store13);
    NaiveMerkle.byteLeaves(13).forEach(t13::append);
    assertThatThrownBy(() -> MerkleTree.open(store13, other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the node store and the frontier disagree on Node[level=3");
  }

  // ---- preconditions ------------------------------------------------------------------------

  @Test
  void preconditionViolationsNameTheValues() {
    MerkleTree t = tree(new InMemoryNodeStore(), 10);
    assertThatThrownBy(() -> t.rootAt(11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootAt requires 0 <= treeSize <= size(), got treeSize 11, size 10");
    assertThatThrownBy(() -> t.leafHash(-1))
        .hasMessage("leafHash requires 0 <= index < size(), got index -1, size 10");
    assertThatThrownBy(() -> t.inclusionProof(5, 5))
        .hasMessage(
            "inclusionProof requires 0 <= index < treeSize <= size(), got index 5, treeSize 5,"
                + " size 10");
    assertThatThrownBy(() -> t.consistencyProof(6, 5))
        .hasMessage(
            "consistencyProof requires 0 <= size1 <= size2 <= size(), got size1 6, size2 5,"
                + " size 10");
    assertThatThrownBy(() -> t.subtreeHash(2, 5))
        .hasMessage("subtreeHash requires a valid subtree [start, end) with end <= 10, got [2, 5)");
    assertThatThrownBy(() -> t.subtreeHash(8, 12))
        .hasMessage(
            "subtreeHash requires a valid subtree [start, end) with end <= 10, got [8, 12)");
    assertThatThrownBy(() -> t.subtreeInclusionProof(3, 4, 8))
        .hasMessage(
            "subtreeInclusionProof requires start <= index < end, got index 3, subtree [4, 8)");
    assertThatThrownBy(() -> t.subtreeConsistencyProof(4, 8, 11))
        .hasMessage("subtreeConsistencyProof requires n <= size(), got n 11, size 10");
    assertThatThrownBy(() -> t.subtreeConsistencyProof(4, 8, 7))
        .hasMessage(
            "subtreeConsistencyProof requires a valid subtree [start, end) with end <= 7, got [4,"
                + " 8)");
    assertThatThrownBy(() -> t.append(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.open(new InMemoryNodeStore(), -5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyTree() {
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    assertThat(t.size()).isZero();
    assertThat(t.root()).isEqualTo(Rfc9162.emptyRoot());
    assertThat(t.rootAt(0)).isEqualTo(Rfc9162.emptyRoot());
    assertThat(t.subtreeHash(0, 0)).isEqualTo(Rfc9162.emptyRoot());
    assertThat(t.subtreeConsistencyProof(0, 0, 0)).isEmpty();
    assertThat(t.consistencyProof(0, 0)).isEmpty();
  }

  // ---- cost ---------------------------------------------------------------------------------

  /** Counts reads, to check proofs cost O(log n) store reads rather than a walk of the leaves. */
  static final class CountingStore implements NodeStore {
    final InMemoryNodeStore inner = new InMemoryNodeStore();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public byte[] get(int level, long index) {
      reads.incrementAndGet();
      return inner.get(level, index);
    }

    @Override
    public void put(int level, long index, byte[] hash) {
      inner.put(level, index, hash);
    }
  }

  @Test
  void proofsReadLogarithmicallyManyNodes() {
    CountingStore store = new CountingStore();
    int n = (1 << 16) - 1; // all 16 bits set: the worst case for partial right edges
    MerkleTree t = tree(store, n);
    // Each read is one perfect node; a proof touches at most two per level.
    int bound = 2 * 17;
    List<Runnable> ops = new ArrayList<>();
    ops.add(() -> t.rootAt(n - 1));
    ops.add(() -> t.inclusionProof(0, n));
    ops.add(() -> t.inclusionProof(n - 1, n));
    ops.add(() -> t.inclusionProof(12345, n - 2));
    ops.add(() -> t.consistencyProof(1, n));
    ops.add(() -> t.consistencyProof(n - 2, n));
    ops.add(() -> t.consistencyProof(21845, n - 1));
    ops.add(() -> t.subtreeHash(32768, n));
    ops.add(() -> t.subtreeInclusionProof(40000, 32768, n));
    ops.add(() -> t.subtreeConsistencyProof(32768, n - 1, n));
    ops.add(() -> t.subtreeConsistencyProof(32768, 49152 + 3, n - 1));
    for (int i = 0; i < ops.size(); i++) {
      store.reads.set(0);
      ops.get(i).run();
      assertThat(store.reads.get()).as("reads of operation %d", i).isLessThanOrEqualTo(bound);
    }
    store.reads.set(0);
    t.root();
    assertThat(store.reads.get()).as("root() reads the frontier only").isZero();
  }

  // ---- InMemoryNodeStore --------------------------------------------------------------------

  @Test
  void inMemoryStoreKeepsCopies() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    byte[] h = Rfc9162.leafHash(new byte[] {1});
    assertThat(store.get(0, 0)).isNull();
    assertThat(store.get(40, 12345)).isNull();
    store.put(5, 1_000_000, h);
    byte[] got = store.get(5, 1_000_000);
    assertThat(got).isEqualTo(h);
    got[0] ^= 1;
    h[1] ^= 1;
    assertThat(store.get(5, 1_000_000)).isEqualTo(Rfc9162.leafHash(new byte[] {1}));
    assertThat(store.get(5, 999_999)).isNull();
    assertThat(store.get(4, 1_000_000)).isNull();
    assertThatThrownBy(() -> store.put(63, 0, h)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(0, -1, h)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(0, 0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
