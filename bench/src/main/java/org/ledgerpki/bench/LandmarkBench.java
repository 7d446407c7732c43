package org.ledgerpki.bench;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.mtc.TrustedSubtree;
import org.ledgerpki.core.testkit.TestPki;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * P1: a relying party verifies a landmark-relative MTC certificate with hashes only: a P-256
 * subject key at index 777,777 of a landmark subtree of 2^20 entries, trusted beforehand. {@link
 * #verifyLandmarkCertificate} is everything the relying party computes (DER slicing, the entry hash
 * in one pass, the SPKI hash, 20 proof steps, the comparison). {@link #bareHashes} is the bare cost
 * of the same SHA-256 inputs with no parsing at all: the physical floor.
 *
 * <p>The sibling hashes are random: a real 2^20 tree's siblings are as random, and the trusted hash
 * is whatever they lead to, exactly as for a landmark subtree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LandmarkBench {
  static final long END = 1L << 20;
  static final long INDEX = 777_777;
  static final String CA_ID = "32473.1";

  private MtcVerifier verifier;
  private byte[] certificate;
  private byte[] leafInput;
  private byte[] spki;
  private List<byte[]> proof;
  private MessageDigest sha256;

  @Setup
  public void setUp() throws Exception {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Vendor A", "amf-1");
    TbsCertificateLogEntry entry = TbsCertificateLogEntry.fromSubmittedCertificate(v.der(), CA_ID);
    byte[] entryBytes = entry.toMtcLogEntry(List.of()).encode();
    SecureRandom random = new SecureRandom();
    proof = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] h = new byte[32];
      random.nextBytes(h);
      proof.add(h);
    }
    byte[] trusted = Subtrees.evaluateInclusion(INDEX, Rfc9162.leafHash(entryBytes), proof, 0, END);
    MtcProof mtcProof = new MtcProof(List.of(), 0, END, proof, List.of());
    spki = v.certificate().getPublicKey().getEncoded();
    certificate = MtcCertificate.assemble(entry, List.of(), spki, 1, INDEX, mtcProof);
    verifier = MtcVerifier.builder(CA_ID).trust(new TrustedSubtree(1, 0, END, trusted)).build();
    leafInput = new byte[entryBytes.length + 1];
    System.arraycopy(entryBytes, 0, leafInput, 1, entryBytes.length);
    sha256 = MessageDigest.getInstance("SHA-256");
    verifyLandmarkCertificate();
    if (MtcLogEntry.decode(entryBytes).type() != MtcLogEntry.Type.TBS_CERT_ENTRY) {
      throw new IllegalStateException("not a tbs_cert_entry");
    }
  }

  @Benchmark
  public MtcVerifier.Verified verifyLandmarkCertificate() throws Exception {
    return verifier.verify(certificate);
  }

  /** The SHA-256 work alone: the SPKI hash, the entry hash and the 20 node hashes. */
  @Benchmark
  public byte[] bareHashes() {
    sha256.update(spki);
    byte[] h = sha256.digest();
    sha256.update(leafInput);
    h = sha256.digest();
    for (byte[] sibling : proof) {
      sha256.update((byte) 1);
      sha256.update(sibling);
      sha256.update(h);
      h = sha256.digest();
    }
    return h;
  }
}
