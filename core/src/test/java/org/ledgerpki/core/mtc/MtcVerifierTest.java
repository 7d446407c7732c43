package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.ProofException;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.SubtreePair;
import org.ledgerpki.core.merkle.Subtrees;

/**
 * The relying-party verifier end to end: a log of 3000 real entries with landmarks, landmark-
 * relative certificates for many indices, every tampering rejected with a clear message, and
 * standalone certificates through a fake cosigner policy.
 */
class MtcVerifierTest {
  private static final int SIZE = 3000;
  private static final int MAX_ACTIVE = 3;
  // Landmark 1 = 600 is inactive with MAX_ACTIVE 3; 2, 3, 4 cover [600, 2700).
  private static final long[] LANDMARKS = {600, 1300, 2048, 2700};
  private static final long[] INDICES = {600, 601, 1000, 1023, 1024, 1299, 1300, 2047, 2048, 2699};

  private static TestMtcLog log;
  private static MtcVerifier verifier;

  @BeforeAll
  static void buildLog() {
    log = TestMtcLog.build(SIZE, LANDMARKS);
    verifier = log.verifier(MAX_ACTIVE);
  }

  // ---- happy paths ------------------------------------------------------------------------------

  @Test
  void landmarkCertificatesVerifyWithHashesOnly() throws Exception {
    assertThat(log.trustedSubtrees(MAX_ACTIVE))
        .extracting(TrustedSubtree::subtree)
        .extracting(Subtree::toString)
        .containsExactly(
            "[512, 1024)",
            "[1024, 1300)",
            "[1280, 1536)",
            "[1536, 2048)",
            "[2048, 2560)",
            "[2560, 2700)");
    List<Long> indices = new ArrayList<>();
    for (long i : INDICES) {
      indices.add(i);
    }
    Random r = new Random(1);
    for (int i = 0; i < 40; i++) {
      indices.add(600 + (long) r.nextInt(2100));
    }
    for (long index : indices) {
      byte[] der = log.landmarkCertificate(index, MAX_ACTIVE);
      MtcVerifier.Verified v = verifier.verify(der);
      Subtree expected = log.landmarks.coveringLandmark(index, MAX_ACTIVE).orElseThrow().subtree();
      assertThat(v)
          .isEqualTo(
              new MtcVerifier.Verified(1, index, expected, MtcVerifier.TrustedBy.TRUSTED_SUBTREE));
      assertThat(verifier.verify(MtcCertificateTest.jdkParse(der))).isEqualTo(v);
      // The single-pass entry hash, the reference one and the log's leaf agree.
      MtcCertificate c = MtcCertificate.parse(der);
      assertThat(c.entryHash()).isEqualTo(c.mtcLogEntry().entryHash());
      assertThat(c.entryHash()).isEqualTo(log.tree.leafHash(index));
      assertThat(c.mtcLogEntry()).isEqualTo(log.entries.get((int) index));
    }
  }

  @Test
  void onlyActiveLandmarksCoverEntries() {
    assertThat(log.landmarks.coveringLandmark(599, MAX_ACTIVE)).isEmpty(); // expired
    assertThat(log.landmarks.coveringLandmark(2700, MAX_ACTIVE)).isEmpty(); // wait
    assertThat(log.landmarks.coveringLandmark(599, 4)).isPresent();
    // A certificate on the inactive landmark's subtree is no longer trusted.
    byte[] old = log.certificate(100, log.proof(100, new Subtree(0, 512)));
    assertThatThrownBy(() -> verifier.verify(old))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessageContaining("subtree [0, 512) of log 1 (computed hash ")
        .hasMessageContaining("is not a trusted subtree, and no cosigner policy is configured");
  }

  @Test
  void entriesWithExtensionsAndUniqueIdsVerify() throws Exception {
    KeyPair k = TestCerts.p256();
    byte[] alg = TestCerts.algorithm(TestCerts.ECDSA_SHA256);
    byte[] name = TestCerts.name("amf-1.5gc.example");
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.unsignedInteger(2)),
            Der.unsignedInteger(77),
            alg,
            name,
            TestCerts.validity(TestCerts.JAN_2020, TestCerts.END_2020),
            name,
            k.getPublic().getEncoded(),
            Der.tlv(Der.contextPrimitive(1), new byte[] {0, 1, 2}),
            Der.tlv(Der.contextPrimitive(2), new byte[] {0, 3}),
            TestCerts.extensions(TestCerts.KEY_USAGE_DIGITAL_SIGNATURE));
    byte[] cert = TestCerts.certificate(tbs, alg, TestCerts.sign(k, "SHA256withECDSA", tbs));
    MtcCertificateTest.jdkParse(cert); // well-formed X.509
    TbsCertificateLogEntry e = TbsCertificateLogEntry.fromSubmittedCertificate(cert, "32473.1");
    assertThat(Hex.encode(e.issuerUniqueId().orElseThrow())).isEqualTo("8103000102");
    assertThat(Hex.encode(e.subjectUniqueId().orElseThrow())).isEqualTo("82020003");
    List<MtcLogEntry.Extension> ext =
        List.of(
            new MtcLogEntry.Extension(2, Hex.decode("c0ffee")),
            new MtcLogEntry.Extension(9, new byte[0]));
    // A subtree of two entries: [d0, this entry].
    byte[] leaf0 = MtcLogEntry.nullEntry().entryHash();
    byte[] leaf1 = e.toMtcLogEntry(ext).entryHash();
    byte[] root = Rfc9162.nodeHash(leaf0, leaf1);
    MtcProof proof = new MtcProof(ext, 0, 2, List.of(leaf0), List.of());
    byte[] der = MtcCertificate.assemble(e, ext, k.getPublic().getEncoded(), 7, 1, proof);
    MtcCertificate c = MtcCertificate.parse(der);
    assertThat(c.entryHash()).isEqualTo(leaf1);
    assertThat(c.logEntry()).isEqualTo(e);
    MtcVerifier v = MtcVerifier.builder("32473.1").trust(new TrustedSubtree(7, 0, 2, root)).build();
    assertThat(v.verify(der).trustedBy()).isEqualTo(MtcVerifier.TrustedBy.TRUSTED_SUBTREE);
    // The proof's extensions are part of the entry: other extensions, other hash.
    MtcProof noExt = new MtcProof(List.of(), 0, 2, List.of(leaf0), List.of());
    byte[] stripped =
        MtcCertificate.assemble(e, List.of(), k.getPublic().getEncoded(), 7, 1, noExt);
    assertThatThrownBy(() -> v.verify(stripped))
        .hasMessageContaining("subtree [0, 2) of log 7: computed ")
        .hasMessageContaining("but the trusted hash is " + Hex.encode(root));
  }

  @Test
  void aLandmarkSubtreeOf2To20Entries() throws Exception {
    // The benchmark's shape: a P-256 key, entry 2^20 - 3 of the landmark subtree [0, 2^20); the
    // other 20 hashes of the path are arbitrary, and the trusted hash is what they lead to.
    long index = (1 << 20) - 3;
    TbsCertificateLogEntry e =
        MtcLogEntryTest.catching(
            () ->
                TbsCertificateLogEntry.fromTbsCertificate(Hex.decode(MtcKnownAnswersTest.V7_TBS)));
    Random r = new Random(20);
    List<byte[]> path = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] h = new byte[32];
      r.nextBytes(h);
      path.add(h);
    }
    byte[] root =
        Subtrees.evaluateInclusion(index, e.toMtcLogEntry(List.of()).entryHash(), path, 0, 1 << 20);
    byte[] der =
        MtcCertificate.assemble(
            e,
            List.of(),
            TestCerts.V7_SPKI,
            1,
            index,
            new MtcProof(List.of(), 0, 1 << 20, path, List.of()));
    MtcVerifier v =
        MtcVerifier.builder("32473.1").trust(new TrustedSubtree(1, 0, 1 << 20, root)).build();
    assertThat(v.verify(der).index()).isEqualTo(index);
    assertThat(der.length).isLessThan(1024);
  }

  // ---- tampering --------------------------------------------------------------------------------

  @Test
  void aFlippedBitInAProofHashIsRejected() throws Exception {
    long index = 1000;
    Subtree s = log.landmarks.coveringLandmark(index, MAX_ACTIVE).orElseThrow().subtree();
    List<byte[]> proof = log.tree.subtreeInclusionProof(index, s.start(), s.end());
    proof.get(3)[7] ^= 0x10;
    byte[] der = log.certificate(index, MtcProof.landmark(List.of(), s, proof));
    assertThatThrownBy(() -> verifier.verify(der))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessageContaining("subtree [512, 1024) of log 1: computed ")
        .hasMessageContaining(
            " but the trusted hash is " + Hex.encode(log.tree.subtreeHash(512, 1024)));
    // The same flip in the DER of a good certificate.
    byte[] good = log.landmarkCertificate(index, MAX_ACTIVE);
    byte[] hash = log.tree.subtreeInclusionProof(index, 512, 1024).get(3);
    byte[] bad = good.clone();
    bad[indexOf(good, hash) + 7] ^= 0x10;
    assertThatThrownBy(() -> verifier.verify(bad)).hasMessageContaining("but the trusted hash is");
  }

  @Test
  void aChangedIndexIsRejected() throws Exception {
    // Another index inside the same subtree, with the proof of 1000.
    Subtree s = new Subtree(512, 1024);
    byte[] der = log.certificate(1001, log.proof(1000, s));
    assertThatThrownBy(() -> verifier.verify(der))
        .hasMessageContaining("subtree [512, 1024) of log 1: computed ")
        .hasMessageContaining("(entry 1001, entry_hash ");
    // An index outside the proof's subtree, by editing the serial.
    byte[] good = log.landmarkCertificate(1000, MAX_ACTIVE);
    byte[] moved =
        replaceInTbs(
            good,
            Der.unsignedInteger(MtcCertificate.serial(1, 1000)),
            Der.unsignedInteger(MtcCertificate.serial(1, 1500)));
    assertThatThrownBy(() -> verifier.verify(moved))
        .hasMessageContaining(
            "inclusion proof of entry 1500 in subtree [512, 1024) of log 1 does not evaluate:"
                + " index 1500 is not in subtree [512, 1024)");
    // Another log number.
    byte[] log2 =
        replaceInTbs(
            good,
            Der.unsignedInteger(MtcCertificate.serial(1, 1000)),
            Der.unsignedInteger(MtcCertificate.serial(2, 1000)));
    assertThatThrownBy(() -> verifier.verify(log2))
        .hasMessageContaining("subtree [512, 1024) of log 2 (computed hash ")
        .hasMessageContaining("is not a trusted subtree");
  }

  @Test
  void aChangedSubjectIsRejected() {
    byte[] good = log.landmarkCertificate(1200, MAX_ACTIVE);
    byte[] cn = "nf-1200.5gc.example".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bad = good.clone();
    bad[indexOf(good, cn) + 3] = '7';
    assertThatThrownBy(() -> verifier.verify(bad))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessageContaining("subtree [1024, 1300) of log 1: computed ");
  }

  @Test
  void aSwappedSubjectPublicKeyIsRejected() {
    byte[] good = log.landmarkCertificate(1202, MAX_ACTIVE); // a P-256 entry (1202 % 8 == 2)
    byte[] spki = log.spkis.get(1202);
    byte[] other = TestCerts.p256().getPublic().getEncoded();
    assertThat(other).hasSameSizeAs(spki);
    byte[] bad = good.clone();
    System.arraycopy(other, 0, bad, indexOf(good, spki), other.length);
    assertThatThrownBy(() -> verifier.verify(bad))
        .hasMessageContaining("subtree [1024, 1300) of log 1: computed ");
    // Another entry's key, of the same type.
    byte[] bad2 = good.clone();
    System.arraycopy(log.spkis.get(1204), 0, bad2, indexOf(good, spki), spki.length);
    assertThatThrownBy(() -> verifier.verify(bad2)).hasMessageContaining("but the trusted hash is");
  }

  @Test
  void aWrongTrustedHashIsRejected() throws Exception {
    List<TrustedSubtree> trusted = new ArrayList<>(log.trustedSubtrees(MAX_ACTIVE));
    TrustedSubtree t = trusted.get(2); // [1280, 1536)
    byte[] wrong = t.hash();
    wrong[0] ^= 1;
    trusted.set(2, new TrustedSubtree(1, 1280, 1536, wrong));
    MtcVerifier v = MtcVerifier.builder("32473.1").trust(trusted).build();
    byte[] der = log.landmarkCertificate(1500, MAX_ACTIVE);
    assertThatThrownBy(() -> v.verify(der))
        .hasMessage(
            "subtree [1280, 1536) of log 1: computed "
                + Hex.encode(t.hash())
                + " but the trusted hash is "
                + Hex.encode(wrong)
                + " (entry 1500, entry_hash "
                + Hex.encode(log.tree.leafHash(1500))
                + ")");
    assertThat(verifier.verify(der).index()).isEqualTo(1500);
  }

  @Test
  void revokedIndicesAreRejected() throws Exception {
    MtcVerifier v =
        MtcVerifier.builder("32473.1")
            .trust(log.trustedSubtrees(MAX_ACTIVE))
            .revoke(RevokedRange.entries(1, 1005, 1006))
            .revoke(RevokedRange.entries(1, 2000, 2100))
            .revoke(RevokedRange.entries(1, 2050, 2200)) // overlaps: merged
            .revoke(
                RevokedRange.outside(
                    BigInteger.ONE.shiftLeft(48), new BigInteger("0001ffffffffffff", 16)))
            .build();
    assertThatThrownBy(() -> v.verify(log.landmarkCertificate(1005, MAX_ACTIVE)))
        .hasMessage(
            "serial 0x00010000000003ed is in revoked range [0x00010000000003ed, 0x00010000000003ee)");
    assertThatThrownBy(() -> v.verify(log.landmarkCertificate(2150, MAX_ACTIVE)))
        .hasMessage(
            "serial 0x0001000000000866 is in revoked range [0x00010000000007d0, 0x0001000000000898)");
    assertThat(v.verify(log.landmarkCertificate(1004, MAX_ACTIVE)).index()).isEqualTo(1004);
    assertThat(v.verify(log.landmarkCertificate(1006, MAX_ACTIVE)).index()).isEqualTo(1006);
    assertThat(v.verify(log.landmarkCertificate(2200, MAX_ACTIVE)).index()).isEqualTo(2200);
    // maxSerial: every log above 1 is revoked.
    byte[] log2 =
        replaceInTbs(
            log.landmarkCertificate(1000, MAX_ACTIVE),
            Der.unsignedInteger(MtcCertificate.serial(1, 1000)),
            Der.unsignedInteger(MtcCertificate.serial(2, 1000)));
    assertThatThrownBy(() -> v.verify(log2))
        .hasMessage(
            "serial 0x00020000000003e8 is in revoked range [0x0002000000000000, 0x10000000000000000)");
  }

  @Test
  void parametersInTheAlgorithmIdentifierAreRejected() {
    byte[] good = log.landmarkCertificate(1000, MAX_ACTIVE);
    byte[] withNull = Der.sequence(Der.oid(MtcCertificate.ID_ALG_MTC_PROOF), Der.tlv(Der.NULL));
    byte[] bad = replaceInTbs(good, MtcCertificate.MTC_PROOF_ALGORITHM, withNull);
    assertThatThrownBy(() -> verifier.verify(bad))
        .isInstanceOf(MtcVerificationException.class)
        .hasMessage(
            "TBSCertificate signature is 1.3.6.1.4.1.44363.47.0 with parameters 0500, want"
                + " id-alg-mtcProof 1.3.6.1.4.1.44363.47.0 with parameters omitted");
    byte[] ecdsa = TestCerts.algorithm(TestCerts.ECDSA_SHA256);
    byte[] other = replaceInTbs(good, MtcCertificate.MTC_PROOF_ALGORITHM, ecdsa);
    assertThatThrownBy(() -> verifier.verify(other))
        .hasMessageStartingWith("TBSCertificate signature is 1.2.840.10045.4.3.2, want");
    byte[] outer = rebuild(good, null, withNull, null);
    assertThatThrownBy(() -> verifier.verify(outer))
        .hasMessageStartingWith(
            "signatureAlgorithm is 1.3.6.1.4.1.44363.47.0 with parameters 0500, want");
  }

  @Test
  void trailingBytesAfterTheProofAreRejected() throws Exception {
    byte[] good = log.landmarkCertificate(1000, MAX_ACTIVE);
    byte[] proof = MtcCertificate.parse(good).proof().encode();
    byte[] trailing = rebuild(good, null, null, Der.bitString(Der.concat(proof, new byte[] {0})));
    assertThatThrownBy(() -> verifier.verify(trailing))
        .hasMessageStartingWith("signatureValue is not an MTCProof: MTCProof: 1 trailing octet(s)");
    byte[] unused = rebuild(good, null, null, Der.tlv(Der.BIT_STRING, new byte[] {3}, proof));
    assertThatThrownBy(() -> verifier.verify(unused))
        .hasMessage("signatureValue is not a multiple of 8 bits (3 unused bits)");
    byte[] truncated =
        rebuild(good, null, null, Der.bitString(Arrays.copyOf(proof, proof.length - 1)));
    assertThatThrownBy(() -> verifier.verify(truncated))
        .hasMessageContaining("signatureValue is not an MTCProof: MTCProof: truncated");
  }

  @Test
  void aProofOfTheWrongLengthIsRejected() {
    Subtree s = new Subtree(512, 1024);
    List<byte[]> proof = log.tree.subtreeInclusionProof(1000, 512, 1024);
    List<byte[]> longer = new ArrayList<>(proof);
    longer.add(new byte[32]);
    byte[] der = log.certificate(1000, MtcProof.landmark(List.of(), s, longer));
    assertThatThrownBy(() -> verifier.verify(der))
        .hasMessage(
            "inclusion proof of entry 1000 in subtree [512, 1024) of log 1 does not evaluate:"
                + " wrong proof size 10, want 9 (index 1000, subtree [512, 1024))");
    byte[] shorter = log.certificate(1000, MtcProof.landmark(List.of(), s, proof.subList(0, 8)));
    assertThatThrownBy(() -> verifier.verify(shorter))
        .hasMessageContaining("wrong proof size 8, want 9");
    byte[] invalid =
        log.certificate(1000, MtcProof.landmark(List.of(), new Subtree(600, 1024), proof));
    assertThatThrownBy(() -> verifier.verify(invalid))
        .hasMessageContaining("[600, 1024) is not a valid subtree");
  }

  @Test
  void serialsOutOfRangeAndLogZeroAreRejected() {
    byte[] good = log.landmarkCertificate(1000, MAX_ACTIVE);
    byte[] serial = Der.unsignedInteger(MtcCertificate.serial(1, 1000));
    assertThatThrownBy(() -> verifier.verify(replaceInTbs(good, serial, Der.unsignedInteger(1000))))
        .hasMessage("serial 0x00000000000003e8 has log number 0 (index 1000)");
    assertThatThrownBy(
            () -> verifier.verify(replaceInTbs(good, serial, Der.integer(BigInteger.valueOf(-5)))))
        .hasMessage("serial number is negative (want 0 to 2^64-1)");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    replaceInTbs(good, serial, Der.integer(BigInteger.ONE.shiftLeft(64)))))
        .hasMessageContaining("18446744073709551616 is not below 2^64");
    // A non-minimal INTEGER is not DER: the certificate cannot be examined.
    assertThatThrownBy(
            () -> verifier.verify(replaceInTbs(good, serial, Hex.decode("02080001000000000003e8"))))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("non-minimal INTEGER");
  }

  @Test
  void anotherCasCertificateIsRejected() throws Exception {
    TbsCertificateLogEntry e =
        TbsCertificateLogEntry.fromSubmittedCertificate(log.submitted.get(1000), "32473.2");
    byte[] der =
        MtcCertificate.assemble(
            e, List.of(), log.spkis.get(1000), 1, 1000, log.proof(1000, new Subtree(512, 1024)));
    assertThatThrownBy(() -> verifier.verify(der))
        .hasMessage(
            "issuer CA ID 32473.2 is not CA 32473.1 (want the name "
                + Hex.encode(CaIdName.encode("32473.1"))
                + ")");
  }

  @Test
  void notACertificateAtAll() {
    assertThatThrownBy(() -> verifier.verify(new byte[] {0x30, (byte) 0x80, 0, 0}))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("indefinite length");
    assertThatThrownBy(
            () -> verifier.verify(Der.concat(log.landmarkCertificate(1000, 3), new byte[] {0})))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void conflictingTrustedHashesAreAConfigurationError() {
    assertThatThrownBy(
            () ->
                MtcVerifier.builder("32473.1")
                    .trust(new TrustedSubtree(1, 0, 4, new byte[32]))
                    .trust(new TrustedSubtree(1, 0, 4, Rfc9162.emptyRoot()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two trusted hashes for subtree [0, 4) of log 1");
    assertThatThrownBy(() -> new TrustedSubtree(1, 1, 3, new byte[32]))
        .hasMessageContaining("not a valid non-empty subtree");
    assertThatThrownBy(() -> MtcVerifier.builder("x")).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- standalone certificates through a cosigner policy ---------------------------------------

  /** A test fake: Ed25519 cosigners, the CA's signature plus {@code others} more required. */
  record FakePolicy(String caId, Map<String, PublicKey> keys, int others)
      implements CosignerPolicy {
    @Override
    public void check(CosignedSubtree subtree, List<MtcProof.SubtreeSignature> signatures)
        throws MtcVerificationException {
      boolean ca = false;
      int count = 0;
      for (MtcProof.SubtreeSignature s : signatures) {
        String id;
        try {
          id = s.cosignerIdAscii();
        } catch (MalformedInputException e) {
          continue;
        }
        PublicKey key = keys.get(id);
        if (key == null || !valid(key, subtree.message(id), s.signature())) {
          continue; // unrecognised cosigners and bad signatures are ignored
        }
        if (id.equals(caId)) {
          ca = true;
        } else {
          count++;
        }
      }
      if (!ca || count < others) {
        throw new MtcVerificationException(
            "cosigners of "
                + subtree
                + ": want the CA and "
                + others
                + " other(s), found "
                + (ca ? "the CA and " : "no CA and ")
                + count);
      }
    }

    private static boolean valid(PublicKey key, byte[] message, byte[] sig) {
      try {
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(key);
        v.update(message);
        return v.verify(sig);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }

  @Test
  void standaloneCertificatesGoThroughTheCosignerPolicy() throws Exception {
    Map<String, KeyPair> cosigners = new HashMap<>();
    Map<String, PublicKey> pubs = new HashMap<>();
    for (String id : List.of("32473.1", "32473.3", "32473.4")) {
      KeyPair k = TestCerts.ed25519();
      cosigners.put(id, k);
      pubs.put(id, k.getPublic());
    }
    MtcVerifier v =
        MtcVerifier.builder("32473.1")
            .trust(log.trustedSubtrees(MAX_ACTIVE))
            .cosignerPolicy(new FakePolicy("32473.1", pubs, 1))
            .build();
    // The checkpoint interval [2700, 3000) after the last landmark.
    SubtreePair pair = Subtrees.findSubtrees(2700, 3000);
    long index = 2950;
    Subtree s = pair.left().contains(index) ? pair.left() : pair.right();
    assertThat(pair.toString()).isEqualTo("([2688, 2816), [2816, 3000))");
    assertThat(s.toString()).isEqualTo("[2816, 3000)");
    CosignedSubtree cs =
        new CosignedSubtree(
            "32473.1.0.1", s.start(), s.end(), log.tree.subtreeHash(s.start(), s.end()));
    KeyPair stranger = TestCerts.ed25519();
    List<MtcProof.SubtreeSignature> sigs =
        sorted(
            sig("32473.1", cosigners.get("32473.1"), cs),
            sig("32473.4", cosigners.get("32473.4"), cs),
            sig("32473.99", stranger, cs));
    List<byte[]> path = log.tree.subtreeInclusionProof(index, s.start(), s.end());
    byte[] der = log.certificate(index, new MtcProof(List.of(), s.start(), s.end(), path, sigs));
    assertThat(v.verify(der))
        .isEqualTo(new MtcVerifier.Verified(1, index, s, MtcVerifier.TrustedBy.COSIGNERS));
    assertThat(MtcCertificate.parse(der).proof().signatures()).hasSize(3);

    // Only the CA: not enough.
    byte[] caOnly =
        log.certificate(
            index,
            new MtcProof(
                List.of(),
                s.start(),
                s.end(),
                path,
                List.of(sig("32473.1", cosigners.get("32473.1"), cs))));
    assertThatThrownBy(() -> v.verify(caOnly))
        .hasMessage(
            "cosigners of subtree [2816, 3000) of oid/1.3.6.1.4.1.32473.1.0.1 = "
                + Hex.encode(log.tree.subtreeHash(2816, 3000))
                + ": want the CA and 1 other(s), found the CA and 0");
    // A signature by a key the policy does not know under that ID is ignored.
    List<MtcProof.SubtreeSignature> forged =
        sorted(sig("32473.1", cosigners.get("32473.1"), cs), sig("32473.3", stranger, cs));
    byte[] forgedDer =
        log.certificate(index, new MtcProof(List.of(), s.start(), s.end(), path, forged));
    assertThatThrownBy(() -> v.verify(forgedDer)).hasMessageEndingWith("found the CA and 0");
    // A changed entry changes the subtree hash, so the cosignatures no longer verify.
    byte[] wrongIndex =
        log.certificate(index + 1, new MtcProof(List.of(), s.start(), s.end(), path, sigs));
    assertThatThrownBy(() -> v.verify(wrongIndex)).hasMessageEndingWith("found no CA and 0");
    // A landmark subtree is decided by its trusted hash alone.
    assertThat(v.verify(log.landmarkCertificate(1000, MAX_ACTIVE)).trustedBy())
        .isEqualTo(MtcVerifier.TrustedBy.TRUSTED_SUBTREE);
  }

  private static MtcProof.SubtreeSignature sig(String id, KeyPair k, CosignedSubtree cs) {
    return MtcProof.SubtreeSignature.of(id, TestCerts.sign(k, "Ed25519", cs.message(id)));
  }

  private static List<MtcProof.SubtreeSignature> sorted(MtcProof.SubtreeSignature... s) {
    List<MtcProof.SubtreeSignature> l = new ArrayList<>(List.of(s));
    l.sort((a, b) -> MtcProof.compareIds(a.cosignerId(), b.cosignerId()));
    return l;
  }

  // ---- the fast evaluator against the reference -------------------------------------------------

  @Test
  void theFastEvaluatorAgreesWithTheReference() throws Exception {
    Random r = new Random(7);
    int compared = 0;
    for (long end = 0; end <= 40; end++) {
      for (long start = 0; start <= end; start++) {
        for (long index = Math.max(0, start - 1); index <= end; index++) {
          int want = 0;
          for (long n = end - start - 1; n > 0; n >>>= 1) {
            want++;
          }
          for (int len = Math.max(0, want - 2); len <= want + 2; len++) {
            byte[] entry = new byte[32];
            r.nextBytes(entry);
            byte[] proof = new byte[len * 32];
            r.nextBytes(proof);
            List<byte[]> list = new ArrayList<>();
            for (int i = 0; i < len; i++) {
              list.add(Arrays.copyOfRange(proof, i * 32, i * 32 + 32));
            }
            byte[] reference = null;
            String referenceError = null;
            try {
              reference = Subtrees.evaluateInclusion(index, entry, list, start, end);
            } catch (ProofException e) {
              referenceError = e.getMessage();
            }
            if (reference != null) {
              assertThat(VerifierHashing.evaluate(index, entry, proof, start, end))
                  .as("[%d, %d) index %d length %d", start, end, index, len)
                  .isEqualTo(reference);
            } else {
              long i = index;
              long a = start;
              long b = end;
              assertThatThrownBy(() -> VerifierHashing.evaluate(i, entry, proof, a, b))
                  .isInstanceOf(MtcVerificationException.class)
                  .hasMessageEndingWith(referenceError);
            }
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(10_000);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found: " + Hex.encode(needle));
  }

  /** The certificate with the first {@code from} in its TBSCertificate replaced by {@code to}. */
  static byte[] replaceInTbs(byte[] cert, byte[] from, byte[] to) {
    byte[][] parts = split(cert);
    byte[] contents = contentsOf(parts[0]);
    int at = indexOf(contents, from);
    byte[] replaced =
        Der.concat(
            Arrays.copyOfRange(contents, 0, at),
            to,
            Arrays.copyOfRange(contents, at + from.length, contents.length));
    return rebuild(cert, Der.sequence(replaced), null, null);
  }

  /** The certificate with any of its three parts replaced (null keeps it). */
  static byte[] rebuild(byte[] cert, byte[] tbs, byte[] algorithm, byte[] signatureValue) {
    byte[][] parts = split(cert);
    return Der.sequence(
        tbs != null ? tbs : parts[0],
        algorithm != null ? algorithm : parts[1],
        signatureValue != null ? signatureValue : parts[2]);
  }

  private static byte[][] split(byte[] cert) {
    try {
      Der.Reader top = new Der.Reader(cert, "cert");
      top.next(Der.SEQUENCE, "cert");
      Der.Reader r = top.enter("cert");
      byte[][] out = new byte[3][];
      for (int i = 0; i < 3; i++) {
        r.next("part");
        out[i] = r.element();
      }
      return out;
    } catch (MalformedInputException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] contentsOf(byte[] element) {
    try {
      Der.Reader r = new Der.Reader(element, "element");
      r.next("element");
      return r.value();
    } catch (MalformedInputException e) {
      throw new AssertionError(e);
    }
  }
}
