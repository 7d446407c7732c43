package org.ledgerpki.core.mtc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;

/**
 * TBSCertificateLogEntry (draft-ietf-plants-merkle-tree-certs, "Log Entries"): what an MTC CA
 * certifies about a certificate, with the subject public key replaced by its hash.
 *
 * <pre>
 * TBSCertificateLogEntry ::= SEQUENCE {
 *     version               [0] EXPLICIT Version DEFAULT v1,
 *     issuer                    Name,
 *     validity                  Validity,
 *     subject                   Name,
 *     subjectPublicKeyAlgorithm AlgorithmIdentifier,
 *     subjectPublicKeyInfoHash  OCTET STRING,
 *     issuerUniqueID        [1] IMPLICIT UniqueIdentifier OPTIONAL,
 *     subjectUniqueID       [2] IMPLICIT UniqueIdentifier OPTIONAL,
 *     extensions            [3] EXPLICIT Extensions OPTIONAL }
 * </pre>
 *
 * <p>Every field is kept as its exact DER encoding, as copied from a certificate: the CA certifies
 * bytes, and a relying party rebuilds the same bytes from an MTC certificate. {@code
 * subjectPublicKeyInfoHash} is SHA-256 of the SubjectPublicKeyInfo DER (32 bytes). Immutable;
 * accessors return copies; equality is equality of {@link #contentsOctets()}.
 */
public final class TbsCertificateLogEntry {
  private final byte[] version; // whole [0] element, or null
  private final byte[] issuer;
  private final byte[] validity;
  private final byte[] subject;
  private final byte[] subjectPublicKeyAlgorithm;
  private final byte[] subjectPublicKeyInfoHash; // 32 raw bytes
  private final byte[] issuerUniqueId; // whole [1] element, or null
  private final byte[] subjectUniqueId; // whole [2] element, or null
  private final byte[] extensions; // whole [3] element, or null
  private final byte[] contents;

  private TbsCertificateLogEntry(
      byte[] version,
      byte[] issuer,
      byte[] validity,
      byte[] subject,
      byte[] subjectPublicKeyAlgorithm,
      byte[] subjectPublicKeyInfoHash,
      byte[] issuerUniqueId,
      byte[] subjectUniqueId,
      byte[] extensions) {
    this.version = version;
    this.issuer = issuer;
    this.validity = validity;
    this.subject = subject;
    this.subjectPublicKeyAlgorithm = subjectPublicKeyAlgorithm;
    this.subjectPublicKeyInfoHash = subjectPublicKeyInfoHash;
    this.issuerUniqueId = issuerUniqueId;
    this.subjectUniqueId = subjectUniqueId;
    this.extensions = extensions;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeIfPresent(out, version);
    out.writeBytes(issuer);
    out.writeBytes(validity);
    out.writeBytes(subject);
    out.writeBytes(subjectPublicKeyAlgorithm);
    out.writeBytes(Der.octetString(subjectPublicKeyInfoHash));
    writeIfPresent(out, issuerUniqueId);
    writeIfPresent(out, subjectUniqueId);
    writeIfPresent(out, extensions);
    this.contents = out.toByteArray();
  }

  /**
   * The entry a relying party rebuilds from an MTC certificate's TBSCertificate (draft, "Verifying
   * Certificate Signatures", step 7): {@code version}, {@code issuer}, {@code validity}, {@code
   * subject}, the unique IDs and {@code extensions} copied, {@code subjectPublicKeyAlgorithm} the
   * {@code algorithm} of the {@code subjectPublicKeyInfo}, and {@code subjectPublicKeyInfoHash} the
   * SHA-256 of its DER. Serial number and signature algorithm are not part of the entry.
   *
   * @param tbsDer exactly one DER TBSCertificate
   * @throws MalformedInputException if {@code tbsDer} is not one
   */
  public static TbsCertificateLogEntry fromTbsCertificate(byte[] tbsDer)
      throws MalformedInputException {
    X509Slices s = X509Slices.tbsCertificate(tbsDer);
    Der.checkWellFormed(tbsDer, s.tbsContentsStart, s.tbsEnd, "TBSCertificate");
    return fromSlices(s, Der.slice(tbsDer, s.issuerStart, s.issuerEnd));
  }

  /**
   * The entry the ledger logs for a certificate a vendor submitted (a self-signed X.509
   * certificate): {@code version}, {@code validity}, {@code subject}, the SubjectPublicKeyInfo's
   * algorithm and hash, the unique IDs and {@code extensions} are copied from it, and {@code
   * issuer} is the DN of CA {@code caId} ({@link CaIdName}). Its serial number, issuer and
   * signature are not part of the entry. The submitted certificate's signature is not checked here
   * (that is the certificate profile's job).
   *
   * @param certDer exactly one DER Certificate
   * @param caId the CA ID in ASCII form, e.g. {@code 32473.1}
   * @throws MalformedInputException if {@code certDer} is not a DER Certificate
   * @throws IllegalArgumentException if {@code caId} is not a trust anchor ID
   */
  public static TbsCertificateLogEntry fromSubmittedCertificate(byte[] certDer, String caId)
      throws MalformedInputException {
    byte[] issuer = CaIdName.encode(caId);
    X509Slices s = X509Slices.certificate(certDer);
    Der.checkWellFormed(certDer, s.tbsStart, s.tbsEnd, "certificate");
    return fromSlices(s, issuer);
  }

  private static TbsCertificateLogEntry fromSlices(X509Slices s, byte[] issuer) {
    byte[] b = s.buf;
    return new TbsCertificateLogEntry(
        optional(b, s.versionStart, s.versionEnd),
        issuer,
        Der.slice(b, s.validityStart, s.subjectStart),
        Der.slice(b, s.subjectStart, s.subjectEnd),
        Der.slice(b, s.spkiAlgorithmStart, s.spkiAlgorithmEnd),
        spkiHash(b, s.spkiStart, s.spkiEnd),
        optional(b, s.issuerUniqueIdStart, s.issuerUniqueIdEnd),
        optional(b, s.subjectUniqueIdStart, s.subjectUniqueIdEnd),
        optional(b, s.extensionsStart, s.extensionsEnd));
  }

  /**
   * Decodes the DER contents octets of a TBSCertificateLogEntry, as an MTCLogEntry of type {@code
   * tbs_cert_entry} carries them.
   *
   * @throws MalformedInputException if they are not DER, have fields missing, out of order or
   *     unknown, or a {@code subjectPublicKeyInfoHash} that is not 32 bytes
   */
  public static TbsCertificateLogEntry fromContentsOctets(byte[] contents)
      throws MalformedInputException {
    Der.checkWellFormed(contents, 0, contents.length, "TBSCertificateLogEntry");
    Der.Reader r = new Der.Reader(contents, "TBSCertificateLogEntry");
    byte[] version = null;
    if (r.nextIs(Der.contextConstructed(0))) {
      r.next("version");
      X509Slices.checkVersion(r);
      version = r.element();
    }
    r.next(Der.SEQUENCE, "issuer");
    byte[] issuer = r.element();
    r.next(Der.SEQUENCE, "validity");
    X509Slices.checkValidity(r.enter("TBSCertificateLogEntry validity"));
    byte[] validity = r.element();
    r.next(Der.SEQUENCE, "subject");
    byte[] subject = r.element();
    r.next(Der.SEQUENCE, "subjectPublicKeyAlgorithm");
    X509Slices.checkAlgorithmIdentifier(r.enter("subjectPublicKeyAlgorithm"));
    byte[] algorithm = r.element();
    r.next(Der.OCTET_STRING, "subjectPublicKeyInfoHash");
    if (r.length() != Sha256.SIZE) {
      throw r.fail(
          "subjectPublicKeyInfoHash",
          r.start,
          "has " + r.length() + " bytes, want " + Sha256.SIZE + " (SHA-256)");
    }
    byte[] hash = r.value();
    int[] tail = new int[6];
    X509Slices.readOptionalTail(r, tail, "TBSCertificateLogEntry");
    return new TbsCertificateLogEntry(
        version,
        issuer,
        validity,
        subject,
        algorithm,
        hash,
        optional(contents, tail[0], tail[1]),
        optional(contents, tail[2], tail[3]),
        optional(contents, tail[4], tail[5]));
  }

  /**
   * The DER contents octets: each field's DER encoding, concatenated. This is {@code
   * tbs_cert_entry_data} of an MTCLogEntry.
   */
  public byte[] contentsOctets() {
    return contents.clone();
  }

  /** The whole DER encoding: a SEQUENCE around {@link #contentsOctets()}. */
  public byte[] encoded() {
    return Der.sequence(contents);
  }

  /**
   * The MTCLogEntry of type {@code tbs_cert_entry} holding this entry. Requires extension types in
   * strictly ascending order and an entry of at most {@value MtcLogEntry#MAX_SIZE} bytes.
   *
   * @throws IllegalArgumentException otherwise
   */
  public MtcLogEntry toMtcLogEntry(List<MtcLogEntry.Extension> extensions) {
    return MtcLogEntry.tbsCertEntry(extensions, this);
  }

  /** The {@code [0] EXPLICIT Version} element, absent for v1. */
  public Optional<byte[]> version() {
    return copyOf(version);
  }

  /** The issuer Name (the CA ID's DN for entries made here). */
  public byte[] issuer() {
    return issuer.clone();
  }

  /**
   * The CA ID the issuer names.
   *
   * @throws MalformedInputException if the issuer is not a CA ID name ({@link CaIdName})
   */
  public String caId() throws MalformedInputException {
    return CaIdName.decode(issuer);
  }

  /** The Validity SEQUENCE. */
  public byte[] validity() {
    return validity.clone();
  }

  /** The subject Name. */
  public byte[] subject() {
    return subject.clone();
  }

  /** The AlgorithmIdentifier of the subject public key. */
  public byte[] subjectPublicKeyAlgorithm() {
    return subjectPublicKeyAlgorithm.clone();
  }

  /** SHA-256 of the subject's SubjectPublicKeyInfo DER (32 bytes, without the OCTET STRING). */
  public byte[] subjectPublicKeyInfoHash() {
    return subjectPublicKeyInfoHash.clone();
  }

  /** The {@code [1] IMPLICIT} issuerUniqueID element, if present. */
  public Optional<byte[]> issuerUniqueId() {
    return copyOf(issuerUniqueId);
  }

  /** The {@code [2] IMPLICIT} subjectUniqueID element, if present. */
  public Optional<byte[]> subjectUniqueId() {
    return copyOf(subjectUniqueId);
  }

  /** The {@code [3] EXPLICIT} extensions element, if present. */
  public Optional<byte[]> extensions() {
    return copyOf(extensions);
  }

  /** Whether SHA-256 of {@code spkiDer} is this entry's {@code subjectPublicKeyInfoHash}. */
  public boolean matchesSubjectPublicKeyInfo(byte[] spkiDer) {
    return Arrays.equals(Sha256.hash(spkiDer), subjectPublicKeyInfoHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TbsCertificateLogEntry e && Arrays.equals(e.contents, contents);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(contents);
  }

  @Override
  public String toString() {
    return "TbsCertificateLogEntry[spki sha256 "
        + Hex.encode(subjectPublicKeyInfoHash)
        + ", "
        + contents.length
        + " bytes]";
  }

  // package-private views for MtcCertificate (no copies)

  byte[] versionDer() {
    return version;
  }

  byte[] issuerDer() {
    return issuer;
  }

  byte[] validityDer() {
    return validity;
  }

  byte[] subjectDer() {
    return subject;
  }

  byte[] algorithmDer() {
    return subjectPublicKeyAlgorithm;
  }

  byte[] spkiHashRaw() {
    return subjectPublicKeyInfoHash;
  }

  byte[] issuerUniqueIdDer() {
    return issuerUniqueId;
  }

  byte[] subjectUniqueIdDer() {
    return subjectUniqueId;
  }

  byte[] extensionsDer() {
    return extensions;
  }

  private static byte[] spkiHash(byte[] b, int from, int to) {
    var md = Sha256.newDigest();
    md.update(b, from, to - from);
    return md.digest();
  }

  private static byte[] optional(byte[] b, int from, int to) {
    return from == to ? null : Der.slice(b, from, to);
  }

  private static Optional<byte[]> copyOf(byte[] b) {
    return Optional.ofNullable(b).map(byte[]::clone);
  }

  private static void writeIfPresent(ByteArrayOutputStream out, byte[] b) {
    if (b != null) {
      out.writeBytes(b);
    }
  }
}
