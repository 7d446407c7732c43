package org.ledgerpki.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;

/**
 * Parsing, encoding and signature checks of X.509 certificates; {@link CertificateFields} reads
 * their names and extensions.
 *
 * <p>Certificates are parsed by Bouncy Castle's certificate factory, so their public keys are
 * usable for every {@link SignatureAlgorithm} (including ML-DSA) on Java 21. A certificate is
 * identified everywhere in the system by {@link #sha256(X509Certificate)}, the SHA-256 of its DER
 * encoding; {@link #parse(byte[])} therefore accepts DER only (no BER), so that the bytes hashed
 * are exactly the bytes received.
 */
public final class Certificates {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([^-]*)-----END ([A-Z0-9 ]+)-----");

  private Certificates() {}

  /**
   * Parses one certificate, given as DER or as a PEM {@code CERTIFICATE} block. Whitespace around a
   * PEM block is allowed; any other data before or after the certificate is rejected.
   *
   * @throws MalformedInputException if the input is empty, is not a certificate, is BER rather than
   *     DER, holds more than one certificate, or has trailing data; the message names the fault
   */
  public static X509Certificate parse(byte[] derOrPem) throws MalformedInputException {
    if (derOrPem.length == 0) {
      throw new MalformedInputException("certificate: empty input");
    }
    if (looksLikePem(derOrPem)) {
      List<X509Certificate> all = parseAll(derOrPem);
      if (all.size() != 1) {
        throw new MalformedInputException(
            "certificate: expected one PEM CERTIFICATE block, found " + all.size());
      }
      return all.get(0);
    }
    return parseDer(derOrPem);
  }

  /**
   * Parses one certificate given as PEM text (see {@link #parse(byte[])}).
   *
   * @throws MalformedInputException as {@link #parse(byte[])}
   */
  public static X509Certificate parse(String pem) throws MalformedInputException {
    return parse(pem.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a PEM bundle of one or more {@code CERTIFICATE} blocks, in order, or a single DER
   * certificate. Only whitespace may appear between and around the blocks.
   *
   * @throws MalformedInputException if there is no certificate, a block is not a certificate, or
   *     there is other text; the message names the block (1-based) and the fault
   */
  public static List<X509Certificate> parseAll(byte[] derOrPem) throws MalformedInputException {
    if (!looksLikePem(derOrPem)) {
      return List.of(parse(derOrPem));
    }
    String text = new String(derOrPem, StandardCharsets.US_ASCII);
    Matcher m = PEM_BLOCK.matcher(text);
    List<X509Certificate> out = new ArrayList<>();
    int pos = 0;
    while (m.find()) {
      int n = out.size() + 1;
      requireBlank(text.substring(pos, m.start()), n);
      if (!m.group(1).equals("CERTIFICATE") || !m.group(3).equals("CERTIFICATE")) {
        throw new MalformedInputException(
            "certificate PEM block "
                + n
                + ": label is '"
                + m.group(1)
                + "', expected 'CERTIFICATE'");
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(m.group(2).replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException(
            "certificate PEM block " + n + ": bad base64 (" + e.getMessage() + ")");
      }
      try {
        out.add(parseDer(der));
      } catch (MalformedInputException e) {
        throw new MalformedInputException("PEM block " + n + ": " + e.getMessage(), e);
      }
      pos = m.end();
    }
    requireBlank(text.substring(pos), out.size() + 1);
    if (out.isEmpty()) {
      throw new MalformedInputException("certificate: no PEM CERTIFICATE block found");
    }
    return Collections.unmodifiableList(out);
  }

  /** Parses a PEM bundle (see {@link #parseAll(byte[])}). */
  public static List<X509Certificate> parseAll(String pem) throws MalformedInputException {
    return parseAll(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static void requireBlank(String between, int block) throws MalformedInputException {
    if (!between.isBlank()) {
      throw new MalformedInputException(
          "certificate PEM: unexpected text before block "
              + block
              + " or after the last block (only whitespace is allowed outside PEM blocks)");
    }
  }

  private static boolean looksLikePem(byte[] b) {
    int i = 0;
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i < b.length && b[i] == '-';
  }

  private static X509Certificate parseDer(byte[] der) throws MalformedInputException {
    Certificate structure;
    try {
      // fromByteArray fails if anything follows the first object ("extra data").
      structure = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException(
          "certificate: not a DER X.509 certificate (" + e.getMessage() + ")");
    }
    try {
      if (!Arrays.equals(structure.getEncoded(ASN1Encoding.DER), der)) {
        throw new MalformedInputException(
            "certificate: BER encoding is not accepted; certificates must be DER");
      }
    } catch (IOException e) {
      throw new MalformedInputException("certificate: cannot re-encode (" + e.getMessage() + ")");
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509", Bc.PROVIDER);
      return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new MalformedInputException(
          "certificate: not a valid X.509 certificate (" + e.getMessage() + ")");
    }
  }

  /** Returns the DER encoding of {@code cert}. */
  public static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new CryptoException("cannot encode certificate", e);
    }
  }

  /**
   * Returns {@code cert} as a PEM {@code CERTIFICATE} block (64-character lines, final newline).
   */
  public static String pem(X509Certificate cert) {
    return Keys.pem("CERTIFICATE", der(cert));
  }

  /** Returns SHA-256 of the DER encoding of {@code cert}: the certificate's identifier. */
  public static byte[] sha256(X509Certificate cert) {
    return Sha256.hash(der(cert));
  }

  /**
   * The other valid encoding of an ECDSA-signed certificate: its signature (r, s) re-encoded as (r,
   * n − s), which verifies just as well and needs no private key. It is another DER certificate
   * with another SHA-256 but the same TBSCertificate, so the same MTC log entry: the demo and the
   * adversary tests use it to show that status and admission follow the entry, not the encoding.
   *
   * @param der a certificate signed with ECDSA on P-256 or P-384
   * @throws MalformedInputException if it is not such a certificate
   */
  public static byte[] ecdsaSignatureVariant(byte[] der) throws MalformedInputException {
    try {
      org.bouncycastle.asn1.ASN1Sequence cert = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
      SignatureAlgorithm alg = SignatureAlgorithm.of(parse(der).getPublicKey());
      String curve =
          switch (alg) {
            case ECDSA_P256 -> "secp256r1";
            case ECDSA_P384 -> "secp384r1";
            default -> throw new MalformedInputException("not an ECDSA P-256 or P-384 certificate");
          };
      byte[] sig = org.bouncycastle.asn1.DERBitString.getInstance(cert.getObjectAt(2)).getOctets();
      org.bouncycastle.asn1.ASN1Sequence rs = org.bouncycastle.asn1.ASN1Sequence.getInstance(sig);
      java.math.BigInteger r =
          org.bouncycastle.asn1.ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
      java.math.BigInteger sv =
          org.bouncycastle.asn1.ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
      java.math.BigInteger n = org.bouncycastle.asn1.sec.SECNamedCurves.getByName(curve).getN();
      org.bouncycastle.asn1.ASN1EncodableVector v = new org.bouncycastle.asn1.ASN1EncodableVector();
      v.add(new org.bouncycastle.asn1.ASN1Integer(r));
      v.add(new org.bouncycastle.asn1.ASN1Integer(n.subtract(sv)));
      org.bouncycastle.asn1.ASN1EncodableVector c = new org.bouncycastle.asn1.ASN1EncodableVector();
      c.add(cert.getObjectAt(0));
      c.add(cert.getObjectAt(1));
      c.add(
          new org.bouncycastle.asn1.DERBitString(
              new org.bouncycastle.asn1.DERSequence(v).getEncoded(ASN1Encoding.DER)));
      return new org.bouncycastle.asn1.DERSequence(c).getEncoded(ASN1Encoding.DER);
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new MalformedInputException("not an ECDSA-signed certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Returns whether {@code cert} is signed by its own public key.
   *
   * @return false if the signature does not verify, is malformed, or its algorithm does not fit the
   *     key type, or if the outer and inner signature algorithm identifiers differ
   * @throws CryptoException if the certificate's key is of an unsupported type or its signature
   *     algorithm is unknown to Bouncy Castle
   */
  public static boolean selfSignatureValid(X509Certificate cert) {
    return signatureValid(cert, cert.getPublicKey());
  }

  /**
   * Returns whether {@code cert} carries a valid signature by {@code issuerKey}, under the
   * signature algorithm the certificate names.
   *
   * @throws CryptoException as {@link #selfSignatureValid(X509Certificate)}
   */
  public static boolean signatureValid(X509Certificate cert, PublicKey issuerKey) {
    SignatureAlgorithm keyAlg = SignatureAlgorithm.of(issuerKey);
    Optional<Boolean> fits = signatureFitsKey(cert.getSigAlgOID(), keyAlg);
    if (fits.isPresent() && !fits.get()) {
      return false;
    }
    // Bouncy Castle's X509Certificate.verify checks that the outer and inner signature algorithm
    // identifiers are equal, then verifies the signature over the TBSCertificate bytes as
    // parsed: one parse, no re-encoding (this is the validators' hot path).
    X509Certificate bcCert =
        cert.getClass().getName().startsWith("org.bouncycastle.") ? cert : reparse(cert);
    try {
      bcCert.verify(Keys.toBc(issuerKey), Bc.PROVIDER);
      return true;
    } catch (java.security.SignatureException | CertificateException e) {
      // Does not verify, malformed signature value, or mismatched algorithm identifiers.
      return false;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new CryptoException(
          "cannot verify a certificate signature of algorithm "
              + cert.getSigAlgOID()
              + " with a "
              + keyAlg.configName()
              + " key",
          e);
    } catch (java.security.InvalidKeyException e) {
      throw new CryptoException(
          "Bouncy Castle refused a "
              + keyAlg.configName()
              + " key for algorithm "
              + cert.getSigAlgOID(),
          e);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static X509Certificate reparse(X509Certificate cert) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509", Bc.PROVIDER);
      return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der(cert)));
    } catch (CertificateException e) {
      throw new CryptoException("cannot re-read a certificate with Bouncy Castle", e);
    }
  }

  /**
   * Whether a signature OID belongs to the family of a key algorithm; empty if the OID is not one
   * this class knows (Bouncy Castle then decides).
   */
  private static Optional<Boolean> signatureFitsKey(String sigOid, SignatureAlgorithm keyAlg) {
    if (sigOid.equals(SignatureAlgorithm.OID_ED25519.getId())) {
      return Optional.of(keyAlg == SignatureAlgorithm.ED25519);
    } else if (sigOid.startsWith("1.2.840.10045.4.")) {
      return Optional.of(
          keyAlg == SignatureAlgorithm.ECDSA_P256 || keyAlg == SignatureAlgorithm.ECDSA_P384);
    } else if (sigOid.startsWith("1.2.840.113549.1.1.")) {
      return Optional.of(keyAlg == SignatureAlgorithm.RSA);
    } else if (sigOid.equals(SignatureAlgorithm.OID_ML_DSA_44.getId())
        || sigOid.equals(SignatureAlgorithm.OID_ML_DSA_65.getId())
        || sigOid.equals(SignatureAlgorithm.OID_ML_DSA_87.getId())) {
      return Optional.of(keyAlg.isMlDsa() && keyAlg.mlDsaOid().getId().equals(sigOid));
    }
    return Optional.empty();
  }

  /**
   * Returns whether the certificate is signed with the scheme that {@link Signatures} uses for the
   * certificate's own key algorithm: Ed25519; ecdsa-with-SHA256 for P-256 and ecdsa-with-SHA384 for
   * P-384; the ML-DSA parameter set of the key; sha256WithRSAEncryption for RSA. False for an
   * unsupported key.
   */
  public static boolean signatureSchemeMatchesKey(X509Certificate cert) {
    Optional<SignatureAlgorithm> alg = SignatureAlgorithm.find(cert.getPublicKey());
    if (alg.isEmpty()) {
      return false;
    }
    String expected =
        switch (alg.get()) {
          case ED25519 -> SignatureAlgorithm.OID_ED25519.getId();
          case ECDSA_P256 -> "1.2.840.10045.4.3.2";
          case ECDSA_P384 -> "1.2.840.10045.4.3.3";
          case ML_DSA_44, ML_DSA_65, ML_DSA_87 -> alg.get().mlDsaOid().getId();
          case RSA -> "1.2.840.113549.1.1.11";
        };
    return expected.equals(cert.getSigAlgOID());
  }
}
