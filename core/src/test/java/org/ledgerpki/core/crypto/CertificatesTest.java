package org.ledgerpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.testkit.TestPki.Vendor;

class CertificatesTest {

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void builtCertificatesAreSelfSignedV3(SignatureAlgorithm alg) throws Exception {
    Vendor v = TestPki.vendor(alg, "Vendor A", "amf-1");
    X509Certificate cert = v.certificate();

    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(Certificates.selfSignatureValid(cert)).isTrue();
    assertThat(CertificateFields.keyAlgorithm(cert)).contains(alg);
    assertThat(Certificates.signatureSchemeMatchesKey(cert)).isTrue();
    assertThat(CertificateFields.subjectOrganizations(cert)).containsExactly("Vendor A");
    assertThat(CertificateFields.subjectAttributeValues(cert, "2.5.4.3")).containsExactly("amf-1");
    assertThat(CertificateFields.hasSubjectIdentity(cert)).isTrue();
    assertThat(CertificateFields.keyUsage(cert)).contains(Set.of(KeyUsage.DIGITAL_SIGNATURE));
    assertThat(CertificateFields.keyUsageCritical(cert)).isTrue();
    assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(127);
    assertThat(cert.getPublicKey().getEncoded()).isEqualTo(v.keyPair().getPublic().getEncoded());

    // Round trips through DER and PEM give equal certificates and the same identifier.
    byte[] der = Certificates.der(cert);
    assertThat(Certificates.parse(der)).isEqualTo(cert);
    assertThat(Certificates.parse(Certificates.pem(cert))).isEqualTo(cert);
    assertThat(Certificates.sha256(cert)).isEqualTo(Sha256.hash(der));
    assertThat(Certificates.selfSignatureValid(Certificates.parse(der))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void flippedSignatureByteDoesNotVerify(SignatureAlgorithm alg) {
    Vendor broken = TestPki.brokenSelfSignature(alg, "Vendor A", "amf-1");
    assertThat(Certificates.selfSignatureValid(broken.certificate())).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void flippedTbsByteDoesNotVerify(SignatureAlgorithm alg) throws Exception {
    byte[] der = TestPki.vendor(alg, "Vendor A", "amf-1").der();
    // Change a letter of the subject CN "amf-1" (the last occurrence; the issuer's comes first).
    int at = lastIndexOf(der, "amf-1".getBytes(StandardCharsets.US_ASCII));
    der[at] = 'b';
    X509Certificate altered = Certificates.parse(der);
    assertThat(CertificateFields.subjectAttributeValues(altered, "2.5.4.3"))
        .containsExactly("bmf-1");
    assertThat(Certificates.selfSignatureValid(altered)).isFalse();
  }

  @Test
  void issuerSignedCertificate() {
    KeyPair issuer = TestPki.keyPair(SignatureAlgorithm.ML_DSA_65);
    KeyPair subject = TestPki.keyPair(SignatureAlgorithm.ECDSA_P384);
    X509Certificate cert =
        new CertificateBuilder()
            .subject("CN=smf-2,O=Vendor B")
            .issuer("CN=Test CA,O=Vendor B")
            .publicKey(subject.getPublic())
            .signingKey(issuer.getPrivate())
            .build();
    assertThat(Certificates.signatureValid(cert, issuer.getPublic())).isTrue();
    assertThat(Certificates.selfSignatureValid(cert)).isFalse();
    assertThat(Certificates.signatureSchemeMatchesKey(cert)).isFalse();
    assertThat(CertificateFields.signatureAlgorithmName(cert)).isEqualTo("ML-DSA-65");
    assertThat(CertificateFields.signatureAlgorithmOid(cert)).isEqualTo("2.16.840.1.101.3.4.3.18");
    assertThat(cert.getIssuerX500Principal().getName()).isEqualTo("CN=Test CA,O=Vendor B");
  }

  @Test
  void unsupportedKeyCannotBeChecked() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    KeyPair p521 = g.generateKeyPair();
    X509Certificate cert =
        new CertificateBuilder()
            .subject("CN=x,O=Vendor C")
            .publicKey(p521.getPublic())
            .signingKey(TestPki.keyPair(SignatureAlgorithm.ECDSA_P256).getPrivate())
            .build();
    assertThat(CertificateFields.keyAlgorithm(cert)).isEmpty();
    assertThat(Certificates.signatureSchemeMatchesKey(cert)).isFalse();
    assertThatThrownBy(() -> Certificates.selfSignatureValid(cert))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void keyTypeThatDoesNotFitTheSignatureAlgorithmIsInvalid() {
    X509Certificate signedByRsa =
        new CertificateBuilder()
            .subject("CN=x")
            .publicKey(TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic())
            .signingKey(TestPki.keyPair(SignatureAlgorithm.RSA).getPrivate())
            .build();
    assertThat(Certificates.selfSignatureValid(signedByRsa)).isFalse();
  }

  @Test
  void builderOptions() throws Exception {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    Instant nb = Instant.parse("2026-01-01T00:00:00.123Z");
    Instant na = Instant.parse("2027-01-01T00:00:00Z");
    X509Certificate cert =
        new CertificateBuilder()
            .subject("CN=upf-1,OU=Core,O=Operator X,O=Operator Y,C=FI")
            .serial(BigInteger.valueOf(1234))
            .validity(nb, na)
            .keyPair(kp)
            .keyUsage(false, KeyUsage.KEY_AGREEMENT, KeyUsage.DECIPHER_ONLY)
            .extendedKeyUsage(false, "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")
            .dnsNames("upf-1.5gc.mnc001.mcc244.3gppnetwork.org")
            .uris("https://example.org/upf-1")
            .extension("1.3.6.1.5.5.7.1.34", false, Hex.decode("3005160355504600".substring(0, 14)))
            .build();

    assertThat(cert.getSerialNumber()).isEqualTo(BigInteger.valueOf(1234));
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(na);
    assertThat(CertificateFields.subjectOrganizations(cert))
        .containsExactly("Operator Y", "Operator X");
    assertThat(CertificateFields.subjectDn(cert))
        .isEqualTo("CN=upf-1,OU=Core,O=Operator X,O=Operator Y,C=FI");
    assertThat(CertificateFields.keyUsage(cert))
        .contains(Set.of(KeyUsage.KEY_AGREEMENT, KeyUsage.DECIPHER_ONLY));
    assertThat(CertificateFields.keyUsageCritical(cert)).isFalse();
    assertThat(cert.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "upf-1.5gc.mnc001.mcc244.3gppnetwork.org"),
            List.of(6, "https://example.org/upf-1"));
    assertThat(CertificateFields.extensionValue(cert, "1.3.6.1.5.5.7.1.34"))
        .hasValueSatisfying(v -> assertThat(Hex.encode(v)).isEqualTo("30051603555046"));
    assertThat(CertificateFields.extensionValue(cert, "2.5.29.31")).isEmpty();
    assertThat(Certificates.selfSignatureValid(cert)).isTrue();
  }

  @Test
  void noSubjectCertificates() {
    Vendor v = TestPki.noSubjectWithDigitalSignature(SignatureAlgorithm.ECDSA_P256);
    X509Certificate cert = v.certificate();
    assertThat(CertificateFields.hasSubjectIdentity(cert)).isFalse();
    assertThat(CertificateFields.subjectOrganizations(cert)).isEmpty();
    assertThat(CertificateFields.keyUsage(cert)).contains(Set.of(KeyUsage.DIGITAL_SIGNATURE));
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.17");
    assertThat(Certificates.selfSignatureValid(cert)).isTrue();

    X509Certificate noKu =
        new CertificateBuilder()
            .subject("CN=no key usage")
            .keyPair(TestPki.keyPair(SignatureAlgorithm.ED25519))
            .build();
    assertThat(CertificateFields.keyUsage(noKu)).isEmpty();
    assertThat(CertificateFields.keyUsageCritical(noKu)).isFalse();
  }

  @Test
  void parseRejectsTrailingGarbageBerAndJunk() {
    byte[] der = TestPki.vendor(SignatureAlgorithm.ED25519, "Vendor A", "amf-1").der();

    assertThatThrownBy(() -> Certificates.parse(Arrays.copyOf(der, der.length + 1)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("certificate:");
    assertThatThrownBy(() -> Certificates.parse(Arrays.copyOf(der, der.length - 1)))
        .isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Certificates.parse(new byte[0]))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Certificates.parse("hello".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(MalformedInputException.class);

    // BER: the outer SEQUENCE length in a non-minimal long form (0x83 00 LL LL instead of 0x82 LL
    // LL).
    assertThat(der[1]).isEqualTo((byte) 0x82);
    byte[] ber = new byte[der.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x83;
    ber[2] = 0;
    System.arraycopy(der, 2, ber, 3, der.length - 2);
    assertThatThrownBy(() -> Certificates.parse(ber))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("DER");
  }

  @Test
  void pemParsing() throws Exception {
    Vendor a = TestPki.vendor(SignatureAlgorithm.ED25519, "Vendor A", "a");
    Vendor b = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Vendor B", "b");
    Vendor c = TestPki.vendor(SignatureAlgorithm.ML_DSA_44, "Vendor C", "c");
    String bundle = "\n" + a.pem() + b.pem() + "\r\n" + c.pem() + "\n\n";

    assertThat(Certificates.parseAll(bundle))
        .containsExactly(a.certificate(), b.certificate(), c.certificate());
    assertThat(Certificates.parseAll(a.der())).containsExactly(a.certificate());
    assertThat(Certificates.parse("  " + a.pem())).isEqualTo(a.certificate());

    assertThatThrownBy(() -> Certificates.parse(bundle))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("found 3");
    assertThatThrownBy(() -> Certificates.parse(a.pem() + "trailing junk\n"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("only whitespace");
    assertThatThrownBy(() -> Certificates.parseAll("subject=CN=a\n" + a.pem()))
        .isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Certificates.parse(a.pem().replace("CERTIFICATE", "PUBLIC KEY")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("label is 'PUBLIC KEY'");
    String badBase64 = a.pem().replaceFirst("\n(.)", "\n*");
    assertThatThrownBy(() -> Certificates.parse(badBase64))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> Certificates.parseAll("-----BEGIN CERTIFICATE-----\n"))
        .isInstanceOf(MalformedInputException.class);
  }

  @Test
  void testPkiVariants() {
    SignatureAlgorithm alg = SignatureAlgorithm.ECDSA_P256;
    Instant now = Instant.now();

    Vendor expired = TestPki.expired(alg, "Vendor A", "old");
    assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(now);
    assertThat(Certificates.selfSignatureValid(expired.certificate())).isTrue();

    Vendor future = TestPki.notYetValid(alg, "Vendor A", "new");
    assertThat(future.certificate().getNotBefore().toInstant()).isAfter(now);

    Vendor original = TestPki.vendor(alg, "Vendor A", "one");
    Vendor reused = TestPki.reusingKeyOf(original, "Vendor B", "two");
    assertThat(reused.certificate().getPublicKey())
        .isEqualTo(original.certificate().getPublicKey());
    assertThat(reused.sha256()).isNotEqualTo(original.sha256());
    assertThat(CertificateFields.subjectOrganizations(reused.certificate()))
        .containsExactly("Vendor B");

    Vendor other = TestPki.vendor(alg, "Vendor A", "one", 1);
    assertThat(other.certificate().getPublicKey())
        .isNotEqualTo(original.certificate().getPublicKey());

    Vendor wrongO = TestPki.wrongOrganisation(alg, "Mallory Inc", "x");
    assertThat(CertificateFields.subjectOrganizations(wrongO.certificate()))
        .containsExactly("Mallory Inc");

    Vendor escaped = TestPki.vendor(alg, "Vendor, Inc.", "a+b");
    assertThat(CertificateFields.subjectOrganizations(escaped.certificate()))
        .containsExactly("Vendor, Inc.");
  }

  @Test
  void builderPreconditions() {
    assertThatThrownBy(() -> new CertificateBuilder().subject("not a dn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a dn");
    assertThatThrownBy(() -> new CertificateBuilder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                new CertificateBuilder()
                    .keyPair(TestPki.keyPair(SignatureAlgorithm.ED25519))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("issuer DN is empty");
    assertThatThrownBy(
            () ->
                new CertificateBuilder()
                    .publicKey(TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signing key");
    assertThatThrownBy(() -> new CertificateBuilder().serial(BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CertificateBuilder()
                    .validity(
                        Instant.parse("2027-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CertificateBuilder().extension("1.2.3", false, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int lastIndexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @org.junit.jupiter.api.Test
  void theEcdsaSignatureVariantIsAnotherValidEncodingOfTheSameEntry() throws Exception {
    for (SignatureAlgorithm alg :
        java.util.List.of(SignatureAlgorithm.ECDSA_P256, SignatureAlgorithm.ECDSA_P384)) {
      TestPki.Vendor v = TestPki.vendor(alg, "Org vendor-a", "variant-" + alg, 17);
      byte[] other = Certificates.ecdsaSignatureVariant(v.der());
      org.assertj.core.api.Assertions.assertThat(other).isNotEqualTo(v.der());
      org.assertj.core.api.Assertions.assertThat(
              Certificates.selfSignatureValid(Certificates.parse(other)))
          .as("(r, n - s) verifies for %s", alg)
          .isTrue();
      org.assertj.core.api.Assertions.assertThat(
              org.ledgerpki.core.mtc.TbsCertificateLogEntry.fromSubmittedCertificate(
                  other, "32473.1"))
          .isEqualTo(
              org.ledgerpki.core.mtc.TbsCertificateLogEntry.fromSubmittedCertificate(
                  v.der(), "32473.1"));
      org.assertj.core.api.Assertions.assertThat(Certificates.ecdsaSignatureVariant(other))
          .isEqualTo(v.der());
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Certificates.ecdsaSignatureVariant(
                    TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "ed").der()))
        .isInstanceOf(org.ledgerpki.core.MalformedInputException.class)
        .hasMessageContaining("not an ECDSA");
  }
}
