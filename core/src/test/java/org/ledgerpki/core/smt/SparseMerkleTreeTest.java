package org.ledgerpki.core.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;

class SparseMerkleTreeTest {

  /** The definition, written out recursively over the whole map. */
  static byte[] naiveRoot(Map<String, byte[]> map) {
    return naive(map, 0, new byte[32]);
  }

  private static byte[] naive(Map<String, byte[]> map, int depth, byte[] prefixKey) {
    List<byte[]> under = new ArrayList<>();
    for (String k : map.keySet()) {
      byte[] key = Hex.decode(k);
      boolean match = true;
      for (int d = 0; d < depth && match; d++) {
        match = SparseMerkleTree.bit(key, d) == SparseMerkleTree.bit(prefixKey, d);
      }
      if (match) {
        under.add(key);
      }
    }
    int height = SparseMerkleTree.DEPTH - depth;
    if (under.isEmpty()) {
      return SparseMerkleTree.empty(height);
    }
    if (height == 0) {
      return SparseMerkleTree.leaf(under.get(0), map.get(Hex.encode(under.get(0))));
    }
    byte[] left = prefixKey.clone();
    byte[] right = prefixKey.clone();
    right[depth >>> 3] |= (byte) (1 << (7 - (depth & 7)));
    return SparseMerkleTree.node(naive(map, depth + 1, left), naive(map, depth + 1, right));
  }

  static byte[] key(int i) {
    return Sha256.hash(new byte[] {(byte) i, (byte) (i >> 8)});
  }

  @Test
  void theEmptyTreeHasTheEmptyRoot() {
    SparseMerkleTree t = new SparseMerkleTree();
    assertThat(t.root()).isEqualTo(SparseMerkleTree.empty(256));
    assertThat(SparseMerkleTree.empty(0)).isEqualTo(new byte[32]);
    // A known answer for a second implementation (docs/status.md).
    assertThat(Hex.encode(SparseMerkleTree.empty(1)))
        .isEqualTo(Hex.encode(Sha256.hash(new byte[] {1}, new byte[32], new byte[32])));
  }

  @Test
  void rootsMatchTheRecursiveDefinitionAndRemovalRestoresThem() {
    SparseMerkleTree t = new SparseMerkleTree();
    Map<String, byte[]> map = new HashMap<>();
    List<byte[]> roots = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      roots.add(t.root());
      byte[] v = ("event " + i).getBytes();
      t.put(key(i), v);
      map.put(Hex.encode(key(i)), v);
      assertThat(t.root()).as("after " + (i + 1) + " keys").isEqualTo(naiveRoot(map));
    }
    // Keys that share a long prefix.
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    b[31] = 1;
    t.put(a, "a".getBytes());
    t.put(b, "b".getBytes());
    map.put(Hex.encode(a), "a".getBytes());
    map.put(Hex.encode(b), "b".getBytes());
    assertThat(t.root()).isEqualTo(naiveRoot(map));
    t.put(a, null);
    t.put(b, null);
    for (int i = 11; i >= 0; i--) {
      t.put(key(i), null);
      assertThat(t.root()).isEqualTo(roots.get(i));
    }
    assertThat(t.size()).isZero();
  }

  @Test
  void proofsOfPresenceAndAbsenceVerifyAndForgeriesDoNot() throws Exception {
    SparseMerkleTree t = new SparseMerkleTree();
    Random r = new Random(7);
    for (int i = 0; i < 300; i++) {
      t.put(key(i), ("state " + r.nextInt()).getBytes());
    }
    byte[] root = t.root();
    for (int n = 0; n < 300; n += 37) {
      int i = n;
      SmtProof p = t.prove(key(i));
      byte[] v = t.get(key(i));
      assertThatCode(() -> p.verify(root, key(i), v)).doesNotThrowAnyException();
      assertThatThrownBy(() -> p.verify(root, key(i), null)).isInstanceOf(SmtProofException.class);
      assertThatThrownBy(() -> p.verify(root, key(i), "GOOD".getBytes()))
          .isInstanceOf(SmtProofException.class);
      assertThat(p.siblings().size()).isBetween(5, 20);
    }
    byte[] absent = key(5000);
    SmtProof p = t.prove(absent);
    p.verify(root, absent, null);
    assertThatThrownBy(() -> p.verify(root, absent, "REVOKED".getBytes()))
        .isInstanceOf(SmtProofException.class)
        .hasMessageContaining("expected " + Hex.encode(root));
    // A proof for one key is not a proof for another.
    assertThatThrownBy(() -> p.verify(root, key(5001), null)).isInstanceOf(SmtProofException.class);
    // Flipped sibling bit.
    List<byte[]> s = new ArrayList<>(p.siblings());
    s.set(0, s.get(0).clone());
    s.get(0)[0] ^= 1;
    assertThatThrownBy(() -> new SmtProof(p.bitmap(), s).verify(root, absent, null))
        .isInstanceOf(SmtProofException.class);
    // A bitmap that does not match the siblings.
    byte[] bm = p.bitmap();
    bm[31] ^= (byte) 0x80;
    assertThatThrownBy(() -> new SmtProof(bm, p.siblings()).verify(root, absent, null))
        .hasMessageContaining("announces");
  }

  @Test
  void anOldProofFailsAgainstANewRoot() throws Exception {
    SparseMerkleTree t = new SparseMerkleTree();
    t.put(key(1), "x".getBytes());
    SmtProof before = t.prove(key(2));
    byte[] oldRoot = t.root();
    t.put(key(2), "REVOKED".getBytes());
    before.verify(oldRoot, key(2), null);
    assertThatThrownBy(() -> before.verify(t.root(), key(2), null))
        .isInstanceOf(SmtProofException.class);
  }

  @Test
  void provingStopsAtTheFirstEmptySubtreeAndGivesTheSameProofs() throws Exception {
    Random r = new Random(11);
    SparseMerkleTree t = new SparseMerkleTree();
    List<byte[]> absent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      absent.add(key(10_000 + i));
    }
    for (int n = 0; n <= 300; n++) {
      if (n == 0 || n == 1 || n == 7 || n == 64 || n == 300) {
        List<byte[]> probes = new ArrayList<>(absent);
        for (int i = 0; i < n; i += Math.max(1, n / 10)) {
          probes.add(key(i));
        }
        // A key that shares a long prefix with a present one.
        byte[] near = key(0).clone();
        near[31] ^= 1;
        probes.add(near);
        for (byte[] k : probes) {
          SmtProof fast = t.prove(k);
          SmtProof ref = t.proveAllLevels(k);
          assertThat(fast.bitmap()).isEqualTo(ref.bitmap());
          assertThat(fast.siblings()).hasSameSizeAs(ref.siblings());
          for (int i = 0; i < ref.siblings().size(); i++) {
            assertThat(fast.siblings().get(i)).isEqualTo(ref.siblings().get(i));
          }
          assertThat(fast.rootFor(k, t.get(k))).isEqualTo(t.root());
        }
      }
      byte[] v = new byte[1 + r.nextInt(40)];
      r.nextBytes(v);
      t.put(key(n), v);
    }
  }
}
