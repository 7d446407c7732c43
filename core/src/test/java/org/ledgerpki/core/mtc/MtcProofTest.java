package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtrees;

/** MTCProof encoding, the V6 and V11 known answers, and every rejection rule of the parser. */
class MtcProofTest {
  private static final String[] V6_PROOF = {
    "f09a7a12954169ae595d12d870e69a4c0092003157d72523d626d2a3990241e2",
    "f7e08e9a9e87822bd79a0bf24d14c7a431be807336bd3c50ccb2d249b2a91404",
    "fe251e4dd034dcf589c84794120c85d6015d65ca7d9a2c2ec73c9ecb5e33d83b",
  };
  private static final String V6_SUBTREE_8_13 =
      "cc7376d91fe7b67209b305915b21ab4a0f0070b40582c74ec402e8074912a51d";
  private static final String V6_LEAF_10 =
      "67ebbd370daa02ba9aadd05d8e091e862d0d8bcadafdf2a22360240a42fe922e";

  private static List<byte[]> hashes(String... hex) {
    List<byte[]> out = new ArrayList<>();
    for (String h : hex) {
      out.add(Hex.decode(h));
    }
    return out;
  }

  private static byte[] id(String hex) {
    return Hex.decode(hex);
  }

  private static MtcProof.SubtreeSignature sig(String idHex, String sigHex) {
    return new MtcProof.SubtreeSignature(id(idHex), Hex.decode(sigHex));
  }

  @Test
  void v6InclusionExampleThroughAnMtcProof() throws Exception {
    // d[i] = the single byte i, for i < 14.
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    for (int i = 0; i < 14; i++) {
      tree.append(Rfc9162.leafHash(new byte[] {(byte) i}));
    }
    List<byte[]> proof = tree.subtreeInclusionProof(10, 8, 13);
    assertThat(proof).extracting(Hex::encode).containsExactly(V6_PROOF);
    assertThat(Hex.encode(tree.subtreeHash(8, 13))).isEqualTo(V6_SUBTREE_8_13);

    MtcProof p = new MtcProof(List.of(), 8, 13, proof, List.of());
    byte[] encoded = p.encode();
    assertThat(Hex.encode(encoded))
        .isEqualTo(
            "0000" + "000000000008" + "00000000000d" + "0060" + String.join("", V6_PROOF) + "0000");
    MtcProof decoded = MtcProof.decode(encoded);
    assertThat(decoded).isEqualTo(p);
    assertThat(decoded.subtree().toString()).isEqualTo("[8, 13)");
    byte[] leaf = Rfc9162.leafHash(new byte[] {10});
    assertThat(Hex.encode(leaf)).isEqualTo(V6_LEAF_10);
    byte[] evaluated =
        Subtrees.evaluateInclusion(
            10, leaf, decoded.inclusionProof(), decoded.start(), decoded.end());
    assertThat(Hex.encode(evaluated)).isEqualTo(V6_SUBTREE_8_13);
    assertThat(Hex.encode(VerifierHashing.evaluate(10, leaf, decoded.proofHashes(), 8, 13)))
        .isEqualTo(V6_SUBTREE_8_13);
  }

  @Test
  void v11CosignedMessageAndBinaryTrustAnchorId() throws Exception {
    CosignedSubtree s = new CosignedSubtree("32473.1.0.1", 8, 13, Hex.decode(V6_SUBTREE_8_13));
    assertThat(s.logOrigin()).isEqualTo("oid/1.3.6.1.4.1.32473.1.0.1");
    String v11 =
        "737562747265652f76310a00176f69642f312e332e362e312e342e312e33323437332e310000000000000000"
            + "1b6f69642f312e332e362e312e342e312e33323437332e312e302e310000000000000008000000000000"
            + "000dcc7376d91fe7b67209b305915b21ab4a0f0070b40582c74ec402e8074912a51d";
    assertThat(Hex.encode(s.message("32473.1"))).isEqualTo(v11);
    assertThat(s.message("32473.1")).hasSize(120);
    MtcProof.SubtreeSignature sig = MtcProof.SubtreeSignature.of("32473.1", new byte[] {1});
    assertThat(Hex.encode(sig.cosignerId())).isEqualTo("81fd5901");
    assertThat(sig.cosignerIdAscii()).isEqualTo("32473.1");
    assertThat(Hex.encode(s.message(sig.cosignerId()))).isEqualTo(v11);
  }

  @Test
  void roundTripWithExtensionsAndSignatures() throws Exception {
    List<MtcLogEntry.Extension> ext = List.of(new MtcLogEntry.Extension(3, Hex.decode("0102")));
    List<MtcProof.SubtreeSignature> sigs =
        List.of(sig("05", "aa"), sig("ff", ""), sig("0001", "bbcc"), sig("81fd5901", "dd"));
    MtcProof p = new MtcProof(ext, 0, MtcProof.MAX_UINT48, hashes(V6_PROOF[0]), sigs);
    byte[] enc = p.encode();
    assertThat(Hex.encode(enc))
        .isEqualTo(
            "0006"
                + "000300020102"
                + "000000000000"
                + "ffffffffffff"
                + "0020"
                + V6_PROOF[0]
                + "0018"
                + "0105"
                + "0001aa"
                + "01ff"
                + "0000"
                + "020001"
                + "0002bbcc"
                + "0481fd5901"
                + "0001dd");
    MtcProof d = MtcProof.decode(enc);
    assertThat(d).isEqualTo(p);
    assertThat(d.extensions()).isEqualTo(ext);
    assertThat(d.signatures()).isEqualTo(sigs);
    assertThat(d.end()).isEqualTo((1L << 48) - 1);
    assertThat(d.encode()).isEqualTo(enc);
  }

  @Test
  void parserRejectsDuplicateCosignerIds() {
    String sigs = "0105" + "0001aa" + "0105" + "0001bb";
    rejects(withSignatures(sigs), "signatures[1]: cosigner_id 05 is a duplicate");
  }

  @Test
  void parserRejectsMisorderedCosignerIds() {
    rejects(
        withSignatures("0106" + "0000" + "0105" + "0000"),
        "cosigner_id 05 must come after 06 (shorter first, then lexicographic)");
    // Longer before shorter, although lexicographically smaller.
    rejects(
        withSignatures("020001" + "0000" + "01ff" + "0000"), "cosigner_id ff must come after 0001");
    // Unsigned comparison: 0x80 sorts after 0x7f.
    rejects(withSignatures("0180" + "0000" + "017f" + "0000"), "7f must come after 80");
  }

  @Test
  void parserRejectsTrailingDataAndTruncation() {
    String ok = withSignatures("");
    rejects(ok + "00", "MTCProof: 1 trailing octet(s)");
    rejects(ok.substring(0, ok.length() - 2), "truncated signatures length");
    rejects("", "truncated extensions length");
    rejects("0000" + "000000000008", "truncated end");
    rejects(
        "0000" + "000000000008" + "00000000000d" + "0040" + V6_PROOF[0],
        "truncated inclusion_proof");
    rejects(withSignatures("0105"), "truncated signature length");
    rejects(withSignatures("03aabb"), "truncated cosigner_id");
    // A signatures vector whose last element overruns it.
    rejects(withSignatures("0105" + "0002aa"), "truncated signature");
  }

  @Test
  void parserRejectsAProofThatIsNotWholeHashes() {
    rejects(
        "0000" + "000000000008" + "00000000000d" + "0021" + V6_PROOF[0] + "00" + "0000",
        "inclusion_proof has 33 bytes, not a multiple of 32");
  }

  @Test
  void parserRejectsAnEmptyCosignerId() {
    rejects(withSignatures("00" + "0000"), "signatures[0]: empty cosigner_id");
  }

  @Test
  void parserRejectsBadExtensions() {
    rejects(
        "0008" + "00020000" + "00010000" + "000000000008" + "00000000000d" + "0000" + "0000",
        "extension type 1 follows 2");
  }

  @Test
  void constructorEnforcesTheSameRules() {
    List<byte[]> proof = hashes(V6_PROOF);
    assertThatThrownBy(
            () -> new MtcProof(List.of(), 0, 1, proof, List.of(sig("05", ""), sig("05", ""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique and ordered");
    assertThatThrownBy(
            () -> new MtcProof(List.of(), 0, 1, proof, List.of(sig("0505", ""), sig("06", ""))))
        .hasMessageContaining("06 after 0505");
    assertThatThrownBy(() -> new MtcProof(List.of(), -1, 1, proof, List.of()))
        .hasMessageContaining("0..2^48-1");
    assertThatThrownBy(() -> new MtcProof(List.of(), 0, 1L << 48, proof, List.of()))
        .hasMessageContaining("0..2^48-1");
    assertThatThrownBy(() -> new MtcProof(List.of(), 0, 1, List.of(new byte[31]), List.of()))
        .hasMessageContaining("inclusion_proof[0] has 31 bytes, want 32");
    assertThatThrownBy(() -> new MtcProof.SubtreeSignature(new byte[0], new byte[0]))
        .hasMessageContaining("1 to 255 bytes");
    assertThatThrownBy(() -> new MtcProof.SubtreeSignature(new byte[256], new byte[0]))
        .hasMessageContaining("1 to 255 bytes");
    assertThatThrownBy(() -> new MtcProof.SubtreeSignature(new byte[1], new byte[65536]))
        .hasMessageContaining("at most 65535");
    List<byte[]> tooMany = new ArrayList<>();
    for (int i = 0; i < 2048; i++) {
      tooMany.add(new byte[32]);
    }
    assertThatThrownBy(() -> new MtcProof(List.of(), 0, 1, tooMany, List.of()))
        .hasMessageContaining("exceeds 65535 bytes");
    // Many large signatures overflow the signatures vector.
    List<MtcProof.SubtreeSignature> big = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      big.add(new MtcProof.SubtreeSignature(new byte[] {(byte) i}, new byte[30000]));
    }
    assertThatThrownBy(() -> new MtcProof(List.of(), 0, 1, List.of(), big))
        .hasMessageContaining("signatures has 90012 octets");
  }

  /** An MTCProof for [8, 13) with the V6 proof and the given signatures vector contents. */
  private static String withSignatures(String signatures) {
    return "0000"
        + "000000000008"
        + "00000000000d"
        + "0060"
        + String.join("", V6_PROOF)
        + String.format("%04x", signatures.length() / 2)
        + signatures;
  }

  private static void rejects(String hex, String message) {
    assertThatThrownBy(() -> MtcProof.decode(Hex.decode(hex)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(message);
  }
}
