package org.ledgerpki.core.mtc;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;

/**
 * A Merkle Tree Certificate (draft-ietf-plants-merkle-tree-certs, "Certificate Format"): an X.509
 * certificate whose TBSCertificate restates a {@link TbsCertificateLogEntry} with the subject's
 * public key, whose serial number is {@code (log_number << 48) | index}, whose signature algorithm
 * is {@code id-alg-mtcProof} ({@value #ID_ALG_MTC_PROOF}, experimental, parameters absent) and
 * whose {@code signatureValue} is an {@link MtcProof}.
 *
 * <p>{@link #assemble} builds one (the CA side); {@link #parse} reads one and exposes its parts.
 * Checking the proof is {@link MtcVerifier}'s job. Immutable.
 */
public final class MtcCertificate {
  /** The experimental OID standing in for {@code id-alg-mtcProof}. */
  public static final String ID_ALG_MTC_PROOF = "1.3.6.1.4.1.44363.47.0";

  /** The largest log number. */
  public static final int MAX_LOG_NUMBER = 65535;

  /** The largest entry index, 2^48 - 1. */
  public static final long MAX_INDEX = (1L << 48) - 1;

  /** {@code AlgorithmIdentifier { id-alg-mtcProof }}, parameters absent. */
  static final byte[] MTC_PROOF_ALGORITHM = Der.sequence(Der.oid(ID_ALG_MTC_PROOF));

  private final byte[] der;
  private final X509Slices slices;
  private final long serial;
  private final MtcProof proof;
  private final String caId;

  private MtcCertificate(byte[] der, X509Slices slices, long serial, MtcProof proof, String caId) {
    this.der = der;
    this.slices = slices;
    this.serial = serial;
    this.proof = proof;
    this.caId = caId;
  }

  /**
   * The serial number of entry {@code index} of log {@code logNumber}: {@code (logNumber << 48) |
   * index}, an unsigned 64-bit value (negative as a {@code long} for log numbers of 32768 and up;
   * print it with {@link Long#toUnsignedString(long)}). Requires {@code 1 <= logNumber <= 65535}
   * and {@code 0 <= index < 2^48}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static long serial(int logNumber, long index) {
    if (logNumber < 1 || logNumber > MAX_LOG_NUMBER) {
      throw new IllegalArgumentException("log number must be in 1..65535, got " + logNumber);
    }
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("index must be in 0..2^48-1, got " + index);
    }
    return ((long) logNumber << 48) | index;
  }

  /**
   * Builds the TBSCertificate of an MTC certificate for {@code entry} at {@code index} of log
   * {@code logNumber}: version, issuer, validity, subject, unique IDs and extensions from the
   * entry, {@code subjectPublicKeyInfo} = {@code spkiDer}, serial {@link #serial}, signature {@code
   * id-alg-mtcProof}.
   *
   * @throws IllegalArgumentException if {@code spkiDer} is not a DER SubjectPublicKeyInfo, does not
   *     hash to the entry's {@code subjectPublicKeyInfoHash} or has another algorithm, or if {@code
   *     logNumber} or {@code index} is out of range
   */
  public static byte[] tbsCertificate(
      TbsCertificateLogEntry entry, byte[] spkiDer, int logNumber, long index) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(spkiDer, "spkiDer");
    long serial = serial(logNumber, index);
    checkSubjectPublicKeyInfo(entry, spkiDer);
    return Der.sequence(
        orEmpty(entry.versionDer()),
        Der.unsignedInteger(serial),
        MTC_PROOF_ALGORITHM,
        entry.issuerDer(),
        entry.validityDer(),
        entry.subjectDer(),
        spkiDer,
        orEmpty(entry.issuerUniqueIdDer()),
        orEmpty(entry.subjectUniqueIdDer()),
        orEmpty(entry.extensionsDer()));
  }

  /**
   * Assembles the DER of an MTC certificate (draft, "Certificate Format") for {@code entry}, the
   * log entry at {@code index} of log {@code logNumber} with extensions {@code extensions}, with
   * subject public key {@code spkiDer} and proof {@code proof}. The TBSCertificate is {@link
   * #tbsCertificate}; {@code signatureAlgorithm} is {@code id-alg-mtcProof}; {@code signatureValue}
   * is a BIT STRING (0 unused bits) holding {@code proof.encode()}.
   *
   * <p>Requires {@code proof.extensions()} to equal {@code extensions} (the MTCProof carries the
   * log entry's extensions), and {@code index} inside {@code proof}'s subtree.
   *
   * @throws IllegalArgumentException if a requirement above or of {@link #tbsCertificate} fails
   */
  public static byte[] assemble(
      TbsCertificateLogEntry entry,
      List<MtcLogEntry.Extension> extensions,
      byte[] spkiDer,
      int logNumber,
      long index,
      MtcProof proof) {
    Objects.requireNonNull(proof, "proof");
    if (!proof.extensions().equals(List.copyOf(extensions))) {
      throw new IllegalArgumentException(
          "the MTCProof carries extensions "
              + proof.extensions()
              + " but the log entry has "
              + extensions);
    }
    if (index < proof.start() || index >= proof.end()) {
      throw new IllegalArgumentException(
          "index "
              + index
              + " is not in the proof's subtree ["
              + proof.start()
              + ", "
              + proof.end()
              + ")");
    }
    byte[] tbs = tbsCertificate(entry, spkiDer, logNumber, index);
    return Der.sequence(tbs, MTC_PROOF_ALGORITHM, Der.bitString(proof.encode()));
  }

  /**
   * Parses an MTC certificate.
   *
   * @throws MalformedInputException if {@code der} is not exactly one DER X.509 certificate, or not
   *     an MTC certificate: a signature algorithm other than {@code id-alg-mtcProof} without
   *     parameters (in the TBSCertificate or the Certificate), a signatureValue with unused bits or
   *     that is not exactly one MTCProof, a serial number outside 0..2^64-1 or with log number 0,
   *     or an issuer that is not a CA ID name
   */
  public static MtcCertificate parse(byte[] der) throws MalformedInputException {
    byte[] copy = der.clone();
    X509Slices s = X509Slices.certificate(copy);
    Der.checkWellFormed(copy, s.tbsStart, s.tbsEnd, "certificate");
    Der.checkWellFormed(copy, s.signatureAlgorithmStart, s.signatureAlgorithmEnd, "certificate");
    if (!isMtcProofAlgorithm(copy, s.signatureStart, s.signatureEnd)) {
      throw new MalformedInputException(
          "not an MTC certificate: TBSCertificate signature is "
              + describeAlgorithm(copy, s.signatureStart, s.signatureEnd)
              + ", want id-alg-mtcProof "
              + ID_ALG_MTC_PROOF
              + " without parameters");
    }
    if (!isMtcProofAlgorithm(copy, s.signatureAlgorithmStart, s.signatureAlgorithmEnd)) {
      throw new MalformedInputException(
          "not an MTC certificate: signatureAlgorithm is "
              + describeAlgorithm(copy, s.signatureAlgorithmStart, s.signatureAlgorithmEnd)
              + ", want id-alg-mtcProof "
              + ID_ALG_MTC_PROOF
              + " without parameters");
    }
    int unused = copy[s.signatureValueContentsStart] & 0xff;
    if (unused != 0) {
      throw new MalformedInputException(
          "signatureValue has " + unused + " unused bits; an MTCProof is whole octets");
    }
    MtcProof proof = MtcProof.decode(copy, s.signatureValueContentsStart + 1, s.signatureValueEnd);
    long serial = Der.unsignedLong(copy, s.serialValueStart, s.serialEnd, "serialNumber");
    if (serial >>> 48 == 0) {
      throw new MalformedInputException(
          "serialNumber 0x" + Long.toHexString(serial) + " has log number 0");
    }
    String caId = CaIdName.decode(copy, s.issuerStart, s.issuerEnd);
    return new MtcCertificate(copy, s, serial, proof, caId);
  }

  /** The DER encoding (a copy). */
  public byte[] encoded() {
    return der.clone();
  }

  /** The DER TBSCertificate (a copy). */
  public byte[] tbsCertificate() {
    return Der.slice(der, slices.tbsStart, slices.tbsEnd);
  }

  /** The serial number as an unsigned 64-bit value. */
  public long serial() {
    return serial;
  }

  /** {@code serial >> 48}, 1 to 65535. */
  public int logNumber() {
    return (int) (serial >>> 48);
  }

  /** The least significant 48 bits of the serial number: the entry's index in its log. */
  public long index() {
    return serial & MAX_INDEX;
  }

  /** The CA ID the issuer names. */
  public String caId() {
    return caId;
  }

  /** The log ID, {@code <caId>.0.<logNumber>}. */
  public String logId() {
    return TrustAnchorId.logId(caId, logNumber());
  }

  /** The issuer Name DER. */
  public byte[] issuer() {
    return Der.slice(der, slices.issuerStart, slices.issuerEnd);
  }

  /** The subject Name DER. */
  public byte[] subject() {
    return Der.slice(der, slices.subjectStart, slices.subjectEnd);
  }

  /** The subjectPublicKeyInfo DER. */
  public byte[] subjectPublicKeyInfo() {
    return Der.slice(der, slices.spkiStart, slices.spkiEnd);
  }

  /** The MTCProof from {@code signatureValue}. */
  public MtcProof proof() {
    return proof;
  }

  /** The TBSCertificateLogEntry this certificate asserts (draft, "Verifying ...", step 7). */
  public TbsCertificateLogEntry logEntry() {
    try {
      return TbsCertificateLogEntry.fromTbsCertificate(tbsCertificate());
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a parsed TBSCertificate no longer parses", e);
    }
  }

  /**
   * {@code entry_hash}, the Merkle leaf hash of {@link #mtcLogEntry()}, computed in a single pass
   * over the TBSCertificate as the draft describes (and as {@link MtcVerifier} does).
   */
  public byte[] entryHash() {
    byte[] spkiHash = new byte[Sha256.SIZE];
    byte[] out = new byte[Sha256.SIZE];
    VerifierHashing.singlePassEntryHash(
        Sha256.newDigest(), der, slices, proof.extensionsEncoded(), spkiHash, out);
    return out;
  }

  /** The MTCLogEntry this certificate asserts: {@link #logEntry()} with the proof's extensions. */
  public MtcLogEntry mtcLogEntry() {
    return logEntry().toMtcLogEntry(proof.extensions());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MtcCertificate c && Arrays.equals(c.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "MtcCertificate[" + logId() + " #" + index() + ", " + proof + "]";
  }

  // ---- shared with the verifier ----------------------------------------------------------------

  static boolean isMtcProofAlgorithm(byte[] buf, int from, int to) {
    return Arrays.equals(buf, from, to, MTC_PROOF_ALGORITHM, 0, MTC_PROOF_ALGORITHM.length);
  }

  /** An AlgorithmIdentifier for messages: its OID, and its parameters in hex if present. */
  static String describeAlgorithm(byte[] buf, int from, int to) {
    try {
      Der.Reader r = new Der.Reader(buf, from, to, "AlgorithmIdentifier");
      r.next(Der.SEQUENCE, "AlgorithmIdentifier");
      Der.Reader a = r.enter("AlgorithmIdentifier");
      a.next(Der.OID, "algorithm");
      String oid = Der.oidToString(buf, a.valueStart, a.end);
      if (!a.hasNext()) {
        return oid;
      }
      int at = a.position();
      return oid + " with parameters " + Hex.encode(Der.slice(buf, at, r.end));
    } catch (MalformedInputException e) {
      return "malformed " + Hex.encode(Der.slice(buf, from, to));
    }
  }

  private static void checkSubjectPublicKeyInfo(TbsCertificateLogEntry entry, byte[] spkiDer) {
    Der.Reader top = new Der.Reader(spkiDer, "subjectPublicKeyInfo");
    Der.Reader spki;
    try {
      top.next(Der.SEQUENCE, "SubjectPublicKeyInfo");
      top.expectEnd();
      spki = top.enter("SubjectPublicKeyInfo");
      spki.next(Der.SEQUENCE, "algorithm");
      X509Slices.checkAlgorithmIdentifier(spki.enter("algorithm"));
      int algFrom = spki.start;
      int algTo = spki.end;
      spki.next(Der.BIT_STRING, "subjectPublicKey");
      spki.expectEnd();
      Der.checkWellFormed(spkiDer, 0, spkiDer.length, "subjectPublicKeyInfo");
      byte[] algorithm = entry.algorithmDer();
      if (!Arrays.equals(spkiDer, algFrom, algTo, algorithm, 0, algorithm.length)) {
        throw new IllegalArgumentException(
            "the subject public key's algorithm "
                + describeAlgorithm(spkiDer, algFrom, algTo)
                + " is not the entry's subjectPublicKeyAlgorithm "
                + describeAlgorithm(algorithm, 0, algorithm.length));
      }
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    byte[] hash = Sha256.hash(spkiDer);
    if (!Arrays.equals(hash, entry.spkiHashRaw())) {
      throw new IllegalArgumentException(
          "the subject public key hashes to "
              + Hex.encode(hash)
              + " but the entry's subjectPublicKeyInfoHash is "
              + Hex.encode(entry.spkiHashRaw()));
    }
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }
}
