package org.ledgerpki.core.mtc;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.ledgerpki.core.Hex;

/**
 * Throwaway X.509 material for the MTC tests, made with the JDK alone (no Bouncy Castle): DER from
 * {@link Der}, signatures from {@link Signature}. Vendor certificates are self-signed v3
 * certificates with a keyUsage extension.
 */
final class TestCerts {
  /** V7's P-256 SubjectPublicKeyInfo. */
  static final byte[] V7_SPKI = Hex.decode(MtcKnownAnswersTest.V7_SPKI);

  static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  static final String ED25519 = "1.3.101.112";
  static final Instant JAN_2020 = Instant.parse("2020-01-01T00:00:00Z");
  static final Instant END_2020 = Instant.parse("2020-12-31T23:59:59Z");

  /** keyUsage (critical): digitalSignature. */
  static final byte[] KEY_USAGE_DIGITAL_SIGNATURE =
      Der.sequence(
          Der.oid("2.5.29.15"),
          Der.tlv(Der.BOOLEAN, new byte[] {(byte) 0xff}),
          Der.octetString(Der.tlv(Der.BIT_STRING, new byte[] {7, (byte) 0x80})));

  private TestCerts() {}

  /** {@code CN=<cn>} as a UTF8String. */
  static byte[] name(String cn) {
    return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(cn))));
  }

  /** The empty Name, {@code 3000}. */
  static byte[] emptyName() {
    return Der.sequence();
  }

  /** Validity with UTCTime for 1950..2049 and GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
  static byte[] validity(Instant notBefore, Instant notAfter) {
    return Der.sequence(time(notBefore), time(notAfter));
  }

  private static byte[] time(Instant t) {
    int year = t.atZone(ZoneOffset.UTC).getYear();
    if (year >= 1950 && year < 2050) {
      return Der.tlv(
          Der.UTC_TIME,
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
              .withZone(ZoneOffset.UTC)
              .format(t)
              .getBytes(US_ASCII));
    }
    return Der.tlv(
        Der.GENERALIZED_TIME,
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(t)
            .getBytes(US_ASCII));
  }

  /** {@code [3] EXPLICIT Extensions} around the given Extension elements. */
  static byte[] extensions(byte[]... extension) {
    return Der.explicit(3, Der.sequence(extension));
  }

  /** {@code AlgorithmIdentifier} with absent parameters. */
  static byte[] algorithm(String oid) {
    return Der.sequence(Der.oid(oid));
  }

  /** A v3 TBSCertificate; {@code extensions} is the whole {@code [3]} element or empty. */
  static byte[] tbs(
      BigInteger serial,
      byte[] signatureAlgorithm,
      byte[] issuer,
      byte[] validity,
      byte[] subject,
      byte[] spki,
      byte[] extensions) {
    return Der.sequence(
        Der.explicit(0, Der.integer(BigInteger.TWO)),
        Der.integer(serial),
        signatureAlgorithm,
        issuer,
        validity,
        subject,
        spki,
        extensions);
  }

  static byte[] certificate(byte[] tbs, byte[] signatureAlgorithm, byte[] signature) {
    return Der.sequence(tbs, signatureAlgorithm, Der.bitString(signature));
  }

  static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A self-signed v3 certificate for {@code keys} (P-256 with ECDSA-SHA256, or Ed25519), with
   * subject = issuer = {@code subject} and a keyUsage extension.
   */
  static byte[] selfSigned(KeyPair keys, byte[] subject, byte[] validity, BigInteger serial) {
    boolean ed =
        keys.getPublic().getAlgorithm().equals("Ed25519")
            || keys.getPublic().getAlgorithm().equals("EdDSA");
    byte[] alg = algorithm(ed ? ED25519 : ECDSA_SHA256);
    byte[] tbs =
        tbs(
            serial,
            alg,
            subject,
            validity,
            subject,
            keys.getPublic().getEncoded(),
            extensions(KEY_USAGE_DIGITAL_SIGNATURE));
    return certificate(tbs, alg, sign(keys, ed ? "Ed25519" : "SHA256withECDSA", tbs));
  }

  static byte[] sign(KeyPair keys, String algorithm, byte[] data) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(keys.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
