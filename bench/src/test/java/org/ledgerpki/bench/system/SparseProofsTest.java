package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.smt.SparseMerkleTree;

class SparseProofsTest {
  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void rootAndProofsAreThoseOfTheSparseMerkleTree() throws Exception {
    Random r = new Random(42);
    for (int size : new int[] {0, 1, 2, 3, 17, 300}) {
      SparseMerkleTree smt = new SparseMerkleTree();
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        byte[] k = random(r, 32);
        byte[] v = random(r, 73);
        keys.add(k);
        values.add(v);
        smt.put(k, v);
      }
      // Two keys sharing a long prefix, to exercise deep splits.
      if (size > 2) {
        byte[] k = keys.get(0).clone();
        k[31] ^= 1;
        byte[] v = random(r, 73);
        keys.add(k);
        values.add(v);
        smt.put(k, v);
      }
      SparseProofs sp = new SparseProofs(keys, values);
      assertThat(sp.root()).isEqualTo(smt.root());
      List<byte[]> asked = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        asked.add(random(r, 32));
      }
      asked.addAll(keys.subList(0, Math.min(3, keys.size())));
      for (byte[] k : asked) {
        SmtProof mine = sp.prove(k);
        SmtProof theirs = smt.prove(k);
        assertThat(mine.bitmap()).isEqualTo(theirs.bitmap());
        assertThat(mine.siblings()).containsExactlyElementsOf(theirs.siblings());
        assertThat(sp.siblingCount(k)).isEqualTo(theirs.siblings().size());
        mine.verify(smt.root(), k, smt.get(k));
      }
    }
  }
}
