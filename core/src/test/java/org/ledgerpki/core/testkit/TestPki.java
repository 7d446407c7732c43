package org.ledgerpki.core.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/**
 * Throwaway vendor certificates of every allowed algorithm, for tests in every module (this class
 * ships in the core test-jar).
 *
 * <p>Key pairs are generated once per (algorithm, slot) and cached for the life of the JVM, because
 * ML-DSA and RSA key generation is slow; certificates are cheap and made fresh on each call (with a
 * random serial), so two calls with the same arguments give different certificates on the same key
 * unless a different {@code slot} is asked for. Validity is relative to the real clock: {@link
 * #vendor} certificates are valid from an hour ago for a year.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Vendor good = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Vendor A", "amf-1");
 * Vendor forged = TestPki.brokenSelfSignature(SignatureAlgorithm.ML_DSA_44, "Vendor A", "smf-1");
 * }</pre>
 */
public final class TestPki {
  /** Every algorithm the default certificate profile allows (RSA is 2048-bit here). */
  public static final List<SignatureAlgorithm> ALL_ALGORITHMS =
      List.of(SignatureAlgorithm.values());

  private static final Map<SignatureAlgorithm, Map<Integer, KeyPair>> KEYS =
      new EnumMap<>(SignatureAlgorithm.class);

  private TestPki() {}

  /** A certificate together with the key pair of its subject. */
  public record Vendor(X509Certificate certificate, KeyPair keyPair) {
    /** The DER encoding of the certificate. */
    public byte[] der() {
      return Certificates.der(certificate);
    }

    /** SHA-256 of the DER, the certificate's identifier. */
    public byte[] sha256() {
      return Certificates.sha256(certificate);
    }

    /** The PEM encoding of the certificate. */
    public String pem() {
      return Certificates.pem(certificate);
    }

    /** The algorithm of the subject key. */
    public SignatureAlgorithm algorithm() {
      return SignatureAlgorithm.of(keyPair.getPublic());
    }

    @Override
    public String toString() {
      return "Vendor[" + certificate.getSubjectX500Principal().getName() + ", " + algorithm() + "]";
    }
  }

  /** Returns the cached key pair of slot 0 for {@code algorithm} (generated on first use). */
  public static KeyPair keyPair(SignatureAlgorithm algorithm) {
    return keyPair(algorithm, 0);
  }

  /**
   * Returns the cached key pair in {@code slot} for {@code algorithm}; different slots hold
   * different keys. RSA keys are 2048-bit.
   */
  public static KeyPair keyPair(SignatureAlgorithm algorithm, int slot) {
    synchronized (KEYS) {
      return KEYS.computeIfAbsent(algorithm, a -> new HashMap<>())
          .computeIfAbsent(slot, s -> Keys.generate(algorithm));
    }
  }

  /**
   * A valid self-signed vendor certificate: subject {@code CN=<commonName>, O=<organisation>},
   * keyUsage digitalSignature (critical), valid from an hour ago for 365 days, on the slot-0 key.
   */
  public static Vendor vendor(
      SignatureAlgorithm algorithm, String organisation, String commonName) {
    return vendor(algorithm, organisation, commonName, 0);
  }

  /** As {@link #vendor(SignatureAlgorithm, String, String)}, on the key in {@code slot}. */
  public static Vendor vendor(
      SignatureAlgorithm algorithm, String organisation, String commonName, int slot) {
    KeyPair kp = keyPair(algorithm, slot);
    return issue(builder(kp, organisation, commonName), kp);
  }

  /**
   * A builder preset like {@link #vendor}: subject, key pair, keyUsage digitalSignature (critical)
   * and validity from an hour ago for 365 days. Override what a test needs, then call {@link
   * #issue(CertificateBuilder, KeyPair)}.
   */
  public static CertificateBuilder builder(
      KeyPair keyPair, String organisation, String commonName) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new CertificateBuilder()
        .subject(dn(organisation, commonName))
        .keyPair(keyPair)
        .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
        .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
  }

  /** Builds {@code builder} and pairs the certificate with {@code keyPair}. */
  public static Vendor issue(CertificateBuilder builder, KeyPair keyPair) {
    return new Vendor(builder.build(), keyPair);
  }

  /**
   * A valid certificate whose subject O is {@code wrongOrganisation}: for "O must match the
   * submitting member" tests, submit it as a member whose organisation differs.
   */
  public static Vendor wrongOrganisation(
      SignatureAlgorithm algorithm, String wrongOrganisation, String commonName) {
    return vendor(algorithm, wrongOrganisation, commonName);
  }

  /** The issuer DN of the {@link #noSubject} certificates (RFC 5280 forbids an empty issuer). */
  public static final String NO_SUBJECT_ISSUER = "CN=TestPki device issuer";

  /**
   * A certificate with an empty subject and keyUsage digitalSignature: forbidden by the default
   * profile (no identity, so only keyAgreement/keyEncipherment/dataEncipherment are allowed). It is
   * signed by its own key, carries a critical subjectAltName URI, and has issuer {@link
   * #NO_SUBJECT_ISSUER}, so that it is still a well-formed RFC 5280 certificate.
   */
  public static Vendor noSubjectWithDigitalSignature(SignatureAlgorithm algorithm) {
    return noSubject(algorithm, KeyUsage.DIGITAL_SIGNATURE);
  }

  /**
   * A certificate with an empty subject and the given keyUsage bits (for example {@link
   * KeyUsage#KEY_AGREEMENT}, which the default profile allows without identity).
   */
  public static Vendor noSubject(SignatureAlgorithm algorithm, KeyUsage... keyUsage) {
    KeyPair kp = keyPair(algorithm);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return issue(
        new CertificateBuilder()
            .subject("")
            .issuer(NO_SUBJECT_ISSUER)
            .keyPair(kp)
            .keyUsage(true, keyUsage)
            .uris("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")
            .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365))),
        kp);
  }

  /**
   * A certificate like {@link #vendor} whose signature has one byte flipped (the last byte of the
   * DER, which lies in the signature value), so its self-signature does not verify.
   */
  public static Vendor brokenSelfSignature(
      SignatureAlgorithm algorithm, String organisation, String commonName) {
    Vendor good = vendor(algorithm, organisation, commonName);
    return new Vendor(flipLastSignatureByte(good.certificate()), good.keyPair());
  }

  /** Returns a copy of {@code cert} with the last byte of its signature value flipped. */
  public static X509Certificate flipLastSignatureByte(X509Certificate cert) {
    byte[] der = Certificates.der(cert);
    der[der.length - 1] ^= 0x01;
    try {
      return Certificates.parse(der);
    } catch (MalformedInputException e) {
      throw new IllegalStateException("flipping a signature byte broke the structure", e);
    }
  }

  /** A certificate like {@link #vendor} that expired a year ago (valid two to one years ago). */
  public static Vendor expired(
      SignatureAlgorithm algorithm, String organisation, String commonName) {
    KeyPair kp = keyPair(algorithm);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return issue(
        builder(kp, organisation, commonName)
            .validity(now.minus(Duration.ofDays(730)), now.minus(Duration.ofDays(365))),
        kp);
  }

  /** A certificate like {@link #vendor} that becomes valid only in a year (for a year). */
  public static Vendor notYetValid(
      SignatureAlgorithm algorithm, String organisation, String commonName) {
    KeyPair kp = keyPair(algorithm);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return issue(
        builder(kp, organisation, commonName)
            .validity(now.plus(Duration.ofDays(365)), now.plus(Duration.ofDays(730))),
        kp);
  }

  /**
   * A new valid certificate (new serial, new subject) on the key pair of {@code other}: for "key
   * reuse" tests.
   */
  public static Vendor reusingKeyOf(Vendor other, String organisation, String commonName) {
    return issue(builder(other.keyPair(), organisation, commonName), other.keyPair());
  }

  /** A certificate with the given serial, otherwise as {@link #vendor}. */
  public static Vendor withSerial(
      SignatureAlgorithm algorithm, String organisation, String commonName, BigInteger serial) {
    KeyPair kp = keyPair(algorithm);
    return issue(builder(kp, organisation, commonName).serial(serial), kp);
  }

  /** Returns the RFC 4514 DN {@code CN=<commonName>,O=<organisation>} with values escaped. */
  public static String dn(String organisation, String commonName) {
    return "CN=" + escape(commonName) + ",O=" + escape(organisation);
  }

  private static String escape(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (",+\"\\<>;=".indexOf(c) >= 0
          || (i == 0 && (c == ' ' || c == '#'))
          || (i == value.length() - 1 && c == ' ')) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
