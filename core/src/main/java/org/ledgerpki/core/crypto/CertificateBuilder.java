package org.ledgerpki.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ledgerpki.core.MalformedInputException;

/**
 * Builds X.509 v3 certificates, self-signed by default, for every {@link SignatureAlgorithm}. Used
 * by {@code ledgerpki keygen}, the demo and the tests.
 *
 * <p>Defaults: subject = empty (then an issuer must be set); issuer = subject; serial = a random
 * positive integer of at most 16 bytes; validity = from now (whole seconds) for 365 days; signing
 * key = the subject's own private key. The signature scheme follows the signing key (see {@link
 * Signatures}). Not thread-safe; use one builder per certificate.
 *
 * <pre>{@code
 * X509Certificate cert = new CertificateBuilder()
 *     .subject("CN=amf-1,O=Vendor A")
 *     .keyPair(Keys.generate(SignatureAlgorithm.ECDSA_P256))
 *     .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
 *     .build();
 * }</pre>
 */
public final class CertificateBuilder {
  private static final SecureRandom RANDOM = new SecureRandom();

  private X500Name subject = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
  private X500Name issuer;
  private BigInteger serial;
  private Instant notBefore;
  private Instant notAfter;
  private PublicKey publicKey;
  private PrivateKey signingKey;
  private PrivateKey ownPrivateKey;
  private final List<ExtensionSpec> extensions = new ArrayList<>();
  private final List<GeneralName> altNames = new ArrayList<>();

  private record ExtensionSpec(ASN1ObjectIdentifier oid, boolean critical, byte[] der) {}

  /** Creates a builder with the defaults described in the class comment. */
  public CertificateBuilder() {}

  /**
   * Sets the subject DN from an RFC 4514 string such as {@code "CN=amf-1,O=Vendor A,C=FI"} (most
   * specific RDN first). The empty string gives an empty subject. Strings are encoded as UTF8String
   * (C as PrintableString, DC as IA5String).
   *
   * @throws IllegalArgumentException if {@code dn} is not a valid DN string
   */
  public CertificateBuilder subject(String dn) {
    this.subject = parseDn(dn);
    return this;
  }

  /**
   * Sets the issuer DN (RFC 4514); by default it equals the subject.
   *
   * @throws IllegalArgumentException if {@code dn} is not a valid DN string
   */
  public CertificateBuilder issuer(String dn) {
    this.issuer = parseDn(dn);
    return this;
  }

  /**
   * Sets the serial number.
   *
   * @throws IllegalArgumentException if {@code serial} is not positive
   */
  public CertificateBuilder serial(BigInteger serial) {
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial number must be positive, got " + serial);
    }
    this.serial = serial;
    return this;
  }

  /**
   * Sets the validity period. Certificates encode whole seconds; sub-second parts are dropped.
   *
   * @throws IllegalArgumentException if {@code notAfter} is before {@code notBefore}
   */
  public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    this.notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
    this.notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /**
   * Sets the subject's key pair: its public key goes into the certificate and, unless {@link
   * #signingKey(PrivateKey)} is called, its private key signs it (self-signed).
   */
  public CertificateBuilder keyPair(KeyPair keyPair) {
    this.publicKey = Objects.requireNonNull(keyPair.getPublic());
    this.ownPrivateKey = keyPair.getPrivate();
    return this;
  }

  /** Sets only the subject public key; then a {@link #signingKey(PrivateKey)} is required. */
  public CertificateBuilder publicKey(PublicKey publicKey) {
    this.publicKey = Objects.requireNonNull(publicKey);
    this.ownPrivateKey = null;
    return this;
  }

  /** Sets the key that signs the certificate (an issuer's key); default: the subject's own. */
  public CertificateBuilder signingKey(PrivateKey signingKey) {
    this.signingKey = Objects.requireNonNull(signingKey);
    return this;
  }

  /**
   * Adds a keyUsage extension with the given bits.
   *
   * @throws IllegalArgumentException if no bit is given
   */
  public CertificateBuilder keyUsage(boolean critical, KeyUsage... bits) {
    if (bits.length == 0) {
      throw new IllegalArgumentException("keyUsage needs at least one bit");
    }
    int mask = 0;
    for (KeyUsage b : bits) {
      mask |= b.bcMask();
    }
    return extension(
        Extension.keyUsage.getId(), critical, der(new org.bouncycastle.asn1.x509.KeyUsage(mask)));
  }

  /**
   * Adds an extendedKeyUsage extension with the given purpose OIDs (dotted decimal, for example
   * {@code "1.3.6.1.5.5.7.3.1"} for serverAuth).
   *
   * @throws IllegalArgumentException if no OID is given or one is malformed
   */
  public CertificateBuilder extendedKeyUsage(boolean critical, String... purposeOids) {
    if (purposeOids.length == 0) {
      throw new IllegalArgumentException("extendedKeyUsage needs at least one purpose");
    }
    KeyPurposeId[] ids = new KeyPurposeId[purposeOids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = KeyPurposeId.getInstance(new ASN1ObjectIdentifier(purposeOids[i]));
    }
    return extension(Extension.extendedKeyUsage.getId(), critical, der(new ExtendedKeyUsage(ids)));
  }

  /** Adds dNSName entries to the subjectAltName extension. */
  public CertificateBuilder dnsNames(String... names) {
    for (String n : names) {
      altNames.add(new GeneralName(GeneralName.dNSName, n));
    }
    return this;
  }

  /** Adds uniformResourceIdentifier entries to the subjectAltName extension. */
  public CertificateBuilder uris(String... uris) {
    for (String u : uris) {
      altNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
    }
    return this;
  }

  /**
   * Adds an arbitrary extension. {@code derValue} is the DER encoding of the extension value (what
   * goes inside extnValue's OCTET STRING).
   *
   * @throws IllegalArgumentException if {@code oid} is malformed, {@code derValue} is not one DER
   *     object, or an extension with this OID was already added
   */
  public CertificateBuilder extension(String oid, boolean critical, byte[] derValue) {
    ASN1ObjectIdentifier id = new ASN1ObjectIdentifier(oid);
    try {
      ASN1Primitive.fromByteArray(derValue);
    } catch (IOException e) {
      throw new IllegalArgumentException("extension " + oid + ": value is not DER", e);
    }
    for (ExtensionSpec e : extensions) {
      if (e.oid().equals(id)) {
        throw new IllegalArgumentException("extension " + oid + " added twice");
      }
    }
    extensions.add(new ExtensionSpec(id, critical, derValue.clone()));
    return this;
  }

  /**
   * Builds and signs the certificate.
   *
   * @throws IllegalStateException if no public key was set, no signing key is available, or the
   *     issuer DN would be empty
   * @throws CryptoException if the signing key is unsupported or the provider fails
   */
  public X509Certificate build() {
    if (publicKey == null) {
      throw new IllegalStateException("no subject public key: call keyPair(...) or publicKey(...)");
    }
    PrivateKey signer = signingKey != null ? signingKey : ownPrivateKey;
    if (signer == null) {
      throw new IllegalStateException("no signing key: call keyPair(...) or signingKey(...)");
    }
    X500Name issuerName = issuer != null ? issuer : subject;
    if (issuerName.getRDNs().length == 0) {
      // RFC 5280 4.1.2.4: the issuer must be a non-empty DN.
      throw new IllegalStateException(
          "the issuer DN is empty: set a subject, or an issuer for an empty-subject certificate");
    }
    Instant from = notBefore != null ? notBefore : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant to = notAfter != null ? notAfter : from.plus(Duration.ofDays(365));
    BigInteger sn = serial != null ? serial : randomSerial();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            issuerName,
            sn,
            Date.from(from),
            Date.from(to),
            subject,
            SubjectPublicKeyInfo.getInstance(Keys.spkiDer(publicKey)));
    try {
      for (ExtensionSpec e : extensions) {
        b.addExtension(e.oid(), e.critical(), e.der());
      }
      if (!altNames.isEmpty()) {
        // RFC 5280 4.2.1.6: with an empty subject, subjectAltName must be critical.
        b.addExtension(
            Extension.subjectAlternativeName,
            subject.getRDNs().length == 0,
            new GeneralNames(altNames.toArray(GeneralName[]::new)));
      }
    } catch (CertIOException e) {
      throw new CryptoException("cannot add an extension", e);
    }
    SignatureAlgorithm alg = SignatureAlgorithm.of(signer);
    ContentSigner contentSigner;
    try {
      contentSigner =
          new JcaContentSignerBuilder(alg.jcaSignatureAlgorithm())
              .setProvider(Bc.PROVIDER)
              .build(Keys.toBc(signer));
    } catch (OperatorCreationException e) {
      throw new CryptoException("cannot sign a certificate with a " + alg.configName() + " key");
    }
    try {
      return Certificates.parse(b.build(contentSigner).getEncoded());
    } catch (IOException | MalformedInputException e) {
      throw new CryptoException("the built certificate does not parse: " + e.getMessage(), e);
    }
  }

  private static BigInteger randomSerial() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    b[0] &= 0x7f; // positive, and DER-encodes in at most 16 bytes
    BigInteger s = new BigInteger(1, b);
    return s.signum() == 0 ? BigInteger.ONE : s;
  }

  private static X500Name parseDn(String dn) {
    try {
      return X500Name.getInstance(new X500Principal(dn).getEncoded());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an RFC 4514 DN: '" + dn + "'", e);
    }
  }

  private static byte[] der(org.bouncycastle.asn1.ASN1Object o) {
    try {
      return o.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    } catch (IOException e) {
      throw new CryptoException("cannot encode an extension value", e);
    }
  }
}
