package org.ledgerpki.core.mtc;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Subtree;

/**
 * An issuance log of CA {@value #CA_ID}, log {@value #LOG}, for the MTC tests: index 0 is the null
 * entry, every other entry the TBSCertificateLogEntry of a self-signed vendor certificate (P-256
 * and Ed25519 keys, one subject per entry), with a landmark sequence over it.
 */
final class TestMtcLog {
  static final String CA_ID = "32473.1";
  static final int LOG = 1;

  final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
  final List<MtcLogEntry> entries = new ArrayList<>();
  final List<TbsCertificateLogEntry> tbsEntries = new ArrayList<>();
  final List<byte[]> submitted = new ArrayList<>();
  final List<byte[]> spkis = new ArrayList<>();
  final LandmarkSequence landmarks = new LandmarkSequence();

  private TestMtcLog() {}

  /** A log of {@code size} entries with landmarks at {@code landmarkSizes} (increasing). */
  static TestMtcLog build(int size, long... landmarkSizes) {
    TestMtcLog log = new TestMtcLog();
    KeyPair[] keys = new KeyPair[8];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 2 == 0 ? TestCerts.p256() : TestCerts.ed25519();
    }
    byte[] validity =
        TestCerts.validity(
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    log.add(MtcLogEntry.nullEntry(), null, null, null);
    for (int i = 1; i < size; i++) {
      KeyPair k = keys[i % keys.length];
      byte[] cert =
          TestCerts.selfSigned(
              k, TestCerts.name("nf-" + i + ".5gc.example"), validity, BigInteger.valueOf(i));
      TbsCertificateLogEntry tbs;
      try {
        tbs = TbsCertificateLogEntry.fromSubmittedCertificate(cert, CA_ID);
      } catch (MalformedInputException e) {
        throw new IllegalStateException(e);
      }
      log.add(tbs.toMtcLogEntry(List.of()), tbs, cert, k.getPublic().getEncoded());
    }
    for (long s : landmarkSizes) {
      log.landmarks.allocate(s);
    }
    return log;
  }

  private void add(MtcLogEntry e, TbsCertificateLogEntry tbs, byte[] cert, byte[] spki) {
    entries.add(e);
    tbsEntries.add(tbs);
    submitted.add(cert);
    spkis.add(spki);
    tree.append(e.entryHash());
  }

  /** The trusted subtrees of the active landmarks, with their hashes from the tree. */
  List<TrustedSubtree> trustedSubtrees(int maxActive) {
    List<TrustedSubtree> out = new ArrayList<>();
    for (LandmarkSubtree ls : landmarks.activeSubtrees(maxActive)) {
      Subtree s = ls.subtree();
      out.add(TrustedSubtree.of(LOG, s, tree.subtreeHash(s.start(), s.end())));
    }
    return out;
  }

  MtcVerifier verifier(int maxActive) {
    return MtcVerifier.builder(CA_ID).trust(trustedSubtrees(maxActive)).build();
  }

  /** The proof of entry {@code index} in {@code subtree}, without signatures. */
  MtcProof proof(long index, Subtree subtree) {
    return MtcProof.landmark(
        List.of(), subtree, tree.subtreeInclusionProof(index, subtree.start(), subtree.end()));
  }

  /** The landmark-relative certificate of entry {@code index}. */
  byte[] landmarkCertificate(long index, int maxActive) {
    Subtree s =
        landmarks
            .coveringLandmark(index, maxActive)
            .orElseThrow(() -> new IllegalArgumentException("no active landmark covers " + index))
            .subtree();
    return certificate(index, proof(index, s));
  }

  /** The MTC certificate of entry {@code index} with {@code proof}. */
  byte[] certificate(long index, MtcProof proof) {
    int i = (int) index;
    return MtcCertificate.assemble(tbsEntries.get(i), List.of(), spkis.get(i), LOG, index, proof);
  }
}
