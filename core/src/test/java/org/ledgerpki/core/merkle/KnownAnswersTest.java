package org.ledgerpki.core.merkle;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;

/**
 * The known answers V1 to V6 of {@code vectors/mtc-and-note-vectors.txt}, copied here verbatim
 * (hex). V5 is reproduced by this package's generators over a tree of 130 leaves.
 */
class KnownAnswersTest {

  private static byte[] h(String hex) {
    return Hex.decode(hex);
  }

  private static List<byte[]> hs(String... hex) {
    List<byte[]> out = new ArrayList<>();
    for (String x : hex) {
      out.add(h(x));
    }
    return out;
  }

  // ---- V1: RFC 6962/9162 hasher primitives ------------------------------------------------

  @Test
  void v1HasherPrimitives() {
    assertThat(Hex.encode(Rfc9162.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Hex.encode(Rfc9162.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(Hex.encode(Rfc9162.leafHash("L123456".getBytes(US_ASCII))))
        .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    assertThat(Hex.encode(Rfc9162.nodeHash("N123".getBytes(US_ASCII), "N456".getBytes(US_ASCII))))
        .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  }

  // ---- V2: roots of the classic 8 leaves ---------------------------------------------------

  static final String[] CLASSIC_INPUTS = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  static final String[] CLASSIC_ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };

  static MerkleTree classicTree() {
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    for (String in : CLASSIC_INPUTS) {
      tree.append(Rfc9162.leafHash(Hex.decode(in)));
    }
    return tree;
  }

  @Test
  void v2ClassicRoots() {
    MerkleTree tree = classicTree();
    CompactRange range = new CompactRange();
    assertThat(Hex.encode(range.root())).isEqualTo(CLASSIC_ROOTS[0]);
    for (int n = 0; n <= 8; n++) {
      assertThat(Hex.encode(tree.rootAt(n))).as("MTH(first %d)", n).isEqualTo(CLASSIC_ROOTS[n]);
      if (n > 0) {
        range.append(Rfc9162.leafHash(Hex.decode(CLASSIC_INPUTS[n - 1])));
        assertThat(Hex.encode(range.root())).as("frontier root %d", n).isEqualTo(CLASSIC_ROOTS[n]);
      }
    }
    assertThat(Hex.encode(tree.root())).isEqualTo(CLASSIC_ROOTS[8]);
  }

  // ---- V3: inclusion proof, leaf 1 of 5 -----------------------------------------------------

  @Test
  void v3InclusionProof() {
    byte[] leafHash = h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
    List<byte[]> proof =
        hs(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    byte[] root = h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4");

    assertThat(root).isEqualTo(h(CLASSIC_ROOTS[5]));
    assertThatCode(() -> Proofs.verifyInclusion(1, 5, leafHash, proof, root))
        .doesNotThrowAnyException();
    MerkleTree tree = classicTree();
    assertThat(tree.leafHash(1)).isEqualTo(leafHash);
    assertThat(tree.inclusionProof(1, 5)).containsExactlyElementsOf(proof);
  }

  // ---- V4: consistency proof 6 -> 7 ---------------------------------------------------------

  @Test
  void v4ConsistencyProof() {
    byte[] root1 = h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef");
    byte[] root2 = h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c");
    List<byte[]> proof =
        hs(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");

    assertThatCode(() -> Proofs.verifyConsistency(6, 7, proof, root1, root2))
        .doesNotThrowAnyException();
    assertThatCode(() -> Proofs.verifyConsistencyFromAnySize(6, 7, proof, root1, root2))
        .doesNotThrowAnyException();
    MerkleTree tree = classicTree();
    assertThat(tree.rootAt(6)).isEqualTo(root1);
    assertThat(tree.rootAt(7)).isEqualTo(root2);
    assertThat(tree.consistencyProof(6, 7)).containsExactlyElementsOf(proof);
  }

  // ---- V5: the draft's accumulated subtree vectors ------------------------------------------

  private static final int V5_SIZE = 130;
  private static MerkleTree v5Tree;

  @BeforeAll
  static void buildV5Tree() {
    v5Tree = new MerkleTree(new InMemoryNodeStore());
    for (byte[] leaf : NaiveMerkle.byteLeaves(V5_SIZE)) {
      v5Tree.append(leaf);
    }
  }

  private static String accumulate(List<String> lines) {
    MessageDigest md = Sha256.newDigest();
    for (String line : lines) {
      md.update(line.getBytes(US_ASCII));
    }
    return Hex.encode(md.digest());
  }

  private static String joinHashes(String prefix, List<byte[]> hashes) {
    StringBuilder line = new StringBuilder(prefix);
    for (byte[] p : hashes) {
      line.append(' ').append(Hex.encode(p));
    }
    return line.append('\n').toString();
  }

  @Test
  void v5SubtreeHashes() {
    List<String> lines = new ArrayList<>();
    for (long end = 0; end <= V5_SIZE; end++) {
      for (long start = 0; start <= end; start++) {
        if (Subtrees.isValid(start, end)) {
          lines.add(
              "[" + start + ", " + end + ") " + Hex.encode(v5Tree.subtreeHash(start, end)) + "\n");
        }
      }
    }
    assertThat(accumulate(lines))
        .isEqualTo("b82806ad4265bb151c1119c0f4db437bb4d1a1f887b3a7fba1cd4ebf552e3e81");
  }

  @Test
  void v5SubtreeInclusionProofs() {
    List<String> lines = new ArrayList<>();
    for (long end = 0; end <= V5_SIZE; end++) {
      for (long start = 0; start <= end; start++) {
        if (Subtrees.isValid(start, end)) {
          for (long index = start; index < end; index++) {
            lines.add(
                joinHashes(
                    index + " [" + start + ", " + end + ")",
                    v5Tree.subtreeInclusionProof(index, start, end)));
          }
        }
      }
    }
    assertThat(accumulate(lines))
        .isEqualTo("ac2a8f989e44d99e399db448050ff5f19757df53cfb716aa81015d3955d8163f");
  }

  @Test
  void v5SubtreeConsistencyProofs() {
    List<String> lines = new ArrayList<>();
    for (long n = 0; n <= V5_SIZE; n++) {
      for (long end = 0; end <= n; end++) {
        for (long start = 0; start <= end; start++) {
          if (Subtrees.isValid(start, end)) {
            lines.add(
                joinHashes(
                    "[" + start + ", " + end + ") " + n,
                    v5Tree.subtreeConsistencyProof(start, end, n)));
          }
        }
      }
    }
    assertThat(accumulate(lines))
        .isEqualTo("10fa99b37bf9bf9ffa26b412fbd98bd75363256d0b75d61bc4538b9c9c5a0a74");
  }

  @Test
  void v5CoveringSubtrees() {
    List<String> lines = new ArrayList<>();
    for (long end = 0; end <= V5_SIZE; end++) {
      for (long start = 0; start <= end; start++) {
        SubtreePair pair = Subtrees.findSubtrees(start, end);
        lines.add(
            "["
                + pair.left().start()
                + ", "
                + pair.left().end()
                + ") ["
                + pair.right().start()
                + ", "
                + pair.right().end()
                + ")\n");
      }
    }
    assertThat(accumulate(lines))
        .isEqualTo("7fd9c8b926e9d2b5cf831560e8ce295a5ef97ad5c5ede4ea0dea28a8c8fc8bb0");
  }

  // ---- V6: individual subtree examples (d[i] = byte i) --------------------------------------

  @Test
  void v6SubtreeHashes() {
    assertThat(Hex.encode(v5Tree.subtreeHash(8, 13)))
        .isEqualTo("cc7376d91fe7b67209b305915b21ab4a0f0070b40582c74ec402e8074912a51d");
    assertThat(Hex.encode(v5Tree.subtreeHash(0, 13)))
        .isEqualTo("df5ee130e5a247600d190c31074458de3c0dc58f0b0d8a6a2b3dd4fd7e569501");
    assertThat(Hex.encode(v5Tree.rootAt(13)))
        .isEqualTo("df5ee130e5a247600d190c31074458de3c0dc58f0b0d8a6a2b3dd4fd7e569501");
    assertThat(Hex.encode(v5Tree.subtreeHash(0, 14)))
        .isEqualTo("a634b1bfbcedff2e39ffe69201b948646210f4e942bef01b3cfe1e5165c953d6");
    assertThat(Hex.encode(v5Tree.subtreeHash(4, 8)))
        .isEqualTo("c1fe42b33ebb8e8a7e4a90abc481c7434e2be02cff2f6a18d7ffab4f1e25891b");
    assertThat(Hex.encode(v5Tree.leafHash(10)))
        .isEqualTo("67ebbd370daa02ba9aadd05d8e091e862d0d8bcadafdf2a22360240a42fe922e");
  }

  @Test
  void v6SubtreeInclusionProofEntry10In8To13() {
    List<byte[]> want =
        hs(
            "f09a7a12954169ae595d12d870e69a4c0092003157d72523d626d2a3990241e2",
            "f7e08e9a9e87822bd79a0bf24d14c7a431be807336bd3c50ccb2d249b2a91404",
            "fe251e4dd034dcf589c84794120c85d6015d65ca7d9a2c2ec73c9ecb5e33d83b");
    // The draft: MTH({d[11]}), MTH(D[8:10]), MTH({d[12]}).
    assertThat(want.get(0)).isEqualTo(v5Tree.leafHash(11));
    assertThat(want.get(1)).isEqualTo(v5Tree.subtreeHash(8, 10));
    assertThat(want.get(2)).isEqualTo(v5Tree.leafHash(12));
    assertThat(v5Tree.subtreeInclusionProof(10, 8, 13)).containsExactlyElementsOf(want);
    byte[] leaf = h("67ebbd370daa02ba9aadd05d8e091e862d0d8bcadafdf2a22360240a42fe922e");
    byte[] subtree = h("cc7376d91fe7b67209b305915b21ab4a0f0070b40582c74ec402e8074912a51d");
    assertThatCode(() -> Subtrees.verifyInclusion(10, leaf, want, 8, 13, subtree))
        .doesNotThrowAnyException();
  }

  @Test
  void v6SubtreeConsistencyProof8To13InSize14() {
    List<byte[]> want =
        hs(
            "fe251e4dd034dcf589c84794120c85d6015d65ca7d9a2c2ec73c9ecb5e33d83b",
            "a1f386a0ecb061b3c46a038616212779858ba7258b2eccb818a64986c97282da",
            "4e2757c82865d7d2cc00fed50a28e94713285335d78cd6f31d3fe84f11ae0e66",
            "ef7f49b620f6c7ea9b963a214da34b5021c6ded8ed57734380a311ab726aa907");
    // The draft: MTH({d[12]}), MTH({d[13]}), MTH(D[8:12]), MTH(D[0:8]).
    assertThat(want.get(0)).isEqualTo(v5Tree.leafHash(12));
    assertThat(want.get(1)).isEqualTo(v5Tree.leafHash(13));
    assertThat(want.get(2)).isEqualTo(v5Tree.subtreeHash(8, 12));
    assertThat(want.get(3)).isEqualTo(v5Tree.subtreeHash(0, 8));
    assertThat(v5Tree.subtreeConsistencyProof(8, 13, 14)).containsExactlyElementsOf(want);
    byte[] node = h("cc7376d91fe7b67209b305915b21ab4a0f0070b40582c74ec402e8074912a51d");
    byte[] root = h("a634b1bfbcedff2e39ffe69201b948646210f4e942bef01b3cfe1e5165c953d6");
    assertThatCode(() -> Subtrees.verifyConsistency(8, 13, 14, want, node, root))
        .doesNotThrowAnyException();
  }

  @Test
  void v6SubtreeConsistencyProof4To8InSize14() {
    List<byte[]> want =
        hs(
            "9bcd51240af4005168f033121ba85be5a6ed4f0e6a5fac262066729b8fbfdecb",
            "bf8d06505ddfc8038844b541d508c47281a83b54695fef1700d079dbf0f4ee43");
    // The draft: MTH(D[0:4]), MTH(D[8:14]).
    assertThat(want.get(0)).isEqualTo(v5Tree.subtreeHash(0, 4));
    assertThat(want.get(1)).isEqualTo(v5Tree.subtreeHash(8, 14));
    assertThat(v5Tree.subtreeConsistencyProof(4, 8, 14)).containsExactlyElementsOf(want);
    byte[] node = h("c1fe42b33ebb8e8a7e4a90abc481c7434e2be02cff2f6a18d7ffab4f1e25891b");
    byte[] root = h("a634b1bfbcedff2e39ffe69201b948646210f4e942bef01b3cfe1e5165c953d6");
    assertThatCode(() -> Subtrees.verifyConsistency(4, 8, 14, want, node, root))
        .doesNotThrowAnyException();
  }

  @Test
  void v6FindSubtrees() {
    assertThat(Subtrees.findSubtrees(5, 13))
        .isEqualTo(new SubtreePair(new Subtree(4, 8), new Subtree(8, 13)));
    assertThat(Subtrees.findSubtrees(7, 9))
        .isEqualTo(new SubtreePair(new Subtree(7, 8), new Subtree(8, 9)));
    assertThat(Subtrees.findSubtrees(0, 0))
        .isEqualTo(new SubtreePair(new Subtree(0, 0), new Subtree(0, 0)));
    assertThat(Subtrees.findSubtrees(3, 4))
        .isEqualTo(new SubtreePair(new Subtree(3, 4), new Subtree(4, 4)));
    assertThat(Subtrees.findSubtrees(100, 130))
        .isEqualTo(new SubtreePair(new Subtree(96, 128), new Subtree(128, 130)));
  }
}
