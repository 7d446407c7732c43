package org.ledgerpki.core.mtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.Rfc9162;

/** MTCLogEntry and TBSCertificateLogEntry: encoding, factories and every rejection rule. */
class MtcLogEntryTest {
  private static final byte[] V7_TBS = Hex.decode(MtcKnownAnswersTest.V7_TBS);
  private static final byte[] V7_ENTRY = Hex.decode(MtcKnownAnswersTest.V7_ENTRY);

  /**
   * A vendor's own certificate with V7's fields: P-256 SPKI, empty subject, validity 2020, no
   * extensions, but its own serial, issuer and signature algorithm. The V7 private key is unknown,
   * so the signature is made with another key; the entry does not depend on it.
   */
  static byte[] v7SubmittedCertificate() {
    byte[] alg = TestCerts.algorithm(TestCerts.ECDSA_SHA256);
    byte[] tbs =
        TestCerts.tbs(
            new BigInteger("7fffffffffffffffffff", 16),
            alg,
            TestCerts.name("Vendor A self-signed"),
            TestCerts.validity(TestCerts.JAN_2020, TestCerts.END_2020),
            TestCerts.emptyName(),
            TestCerts.V7_SPKI,
            new byte[0]);
    return TestCerts.certificate(
        tbs, alg, TestCerts.sign(TestCerts.p256(), "SHA256withECDSA", tbs));
  }

  @Test
  void v7FromASubmittedCertificate() throws Exception {
    byte[] cert = v7SubmittedCertificate();
    // It is well-formed X.509, as the JDK reads it.
    X509Certificate x509 =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert));
    assertThat(x509.getSubjectX500Principal().getName()).isEmpty();

    TbsCertificateLogEntry e = TbsCertificateLogEntry.fromSubmittedCertificate(cert, "32473.1");
    assertThat(e.toMtcLogEntry(List.of()).encode()).isEqualTo(V7_ENTRY);
    assertThat(e).isEqualTo(TbsCertificateLogEntry.fromTbsCertificate(V7_TBS));
    assertThat(Hex.encode(e.toMtcLogEntry(List.of()).entryHash()))
        .isEqualTo(MtcKnownAnswersTest.V7_ENTRY_HASH);
  }

  @Test
  void theEntryIdOfASubmittedCertificateIsItsEntrysIdentity() throws Exception {
    // From the certificate (what a RENEW's new certificate and a validator start from) and from the
    // encoded entry (what a status event names): one identity, on the v7 known answer.
    org.ledgerpki.core.status.EntryId fromCert =
        org.ledgerpki.core.status.EntryId.ofCertificate(v7SubmittedCertificate(), "32473.1");
    assertThat(fromCert).isEqualTo(org.ledgerpki.core.status.EntryId.of(V7_ENTRY));
    assertThat(fromCert.leafHash()).isEqualTo(Rfc9162.leafHash(V7_ENTRY));
    assertThatThrownBy(() -> org.ledgerpki.core.status.EntryId.ofCertificate(V7_TBS, "32473.1"))
        .isInstanceOf(MalformedInputException.class);
  }

  @Test
  void v7FieldsAreExactSlices() throws Exception {
    TbsCertificateLogEntry e = TbsCertificateLogEntry.fromTbsCertificate(V7_TBS);
    assertThat(Hex.encode(e.version().orElseThrow())).isEqualTo("a003020102");
    assertThat(Hex.encode(e.issuer()))
        .isEqualTo("301931173015060a2b0601040182da4b2f010c0733323437332e31");
    assertThat(e.issuer()).isEqualTo(CaIdName.encode("32473.1"));
    assertThat(Hex.encode(e.validity()))
        .isEqualTo("301e170d3230303130313030303030305a170d3230313233313233353935395a");
    assertThat(Hex.encode(e.subject())).isEqualTo("3000");
    assertThat(Hex.encode(e.subjectPublicKeyAlgorithm()))
        .isEqualTo("301306072a8648ce3d020106082a8648ce3d030107");
    assertThat(e.subjectPublicKeyInfoHash()).isEqualTo(Sha256.hash(TestCerts.V7_SPKI));
    assertThat(e.matchesSubjectPublicKeyInfo(TestCerts.V7_SPKI)).isTrue();
    assertThat(e.issuerUniqueId()).isEmpty();
    assertThat(e.subjectUniqueId()).isEmpty();
    assertThat(e.extensions()).isEmpty();
    assertThat(e.encoded()).isEqualTo(Der.sequence(e.contentsOctets()));
    assertThat(TbsCertificateLogEntry.fromContentsOctets(e.contentsOctets())).isEqualTo(e);
  }

  @Test
  void entriesRoundTrip() throws Exception {
    MtcLogEntry v7 = MtcLogEntry.decode(V7_ENTRY);
    assertThat(v7.type()).isEqualTo(MtcLogEntry.Type.TBS_CERT_ENTRY);
    assertThat(v7.extensions()).isEmpty();
    assertThat(v7.encode()).isEqualTo(V7_ENTRY);
    assertThat(v7.tbsCertificateLogEntry().orElseThrow())
        .isEqualTo(TbsCertificateLogEntry.fromTbsCertificate(V7_TBS));

    MtcLogEntry nul = MtcLogEntry.decode(Hex.decode("00000000"));
    assertThat(nul).isSameAs(MtcLogEntry.nullEntry());
    assertThat(nul.tbsCertificateLogEntry()).isEmpty();
  }

  @Test
  void entriesWithExtensionsRoundTrip() throws Exception {
    List<MtcLogEntry.Extension> ext =
        List.of(
            new MtcLogEntry.Extension(1, new byte[0]),
            new MtcLogEntry.Extension(7, Hex.decode("abcd")),
            new MtcLogEntry.Extension(65535, Hex.decode("01")));
    String extHex = "000f" + "00010000" + "00070002abcd" + "ffff000101";
    TbsCertificateLogEntry tbs = TbsCertificateLogEntry.fromTbsCertificate(V7_TBS);
    MtcLogEntry e = tbs.toMtcLogEntry(ext);
    assertThat(Hex.encode(e.encode()))
        .isEqualTo(extHex + "0001" + Hex.encode(tbs.contentsOctets()));
    assertThat(MtcLogEntry.decode(e.encode())).isEqualTo(e);
    assertThat(MtcLogEntry.decode(e.encode()).extensions()).isEqualTo(ext);

    MtcLogEntry n = MtcLogEntry.nullEntry(ext);
    assertThat(Hex.encode(n.encode())).isEqualTo(extHex + "0000");
    assertThat(MtcLogEntry.decode(n.encode())).isEqualTo(n);
  }

  @Test
  void decodeRejectsEveryMalformation() {
    rejects("", "truncated extensions length");
    rejects("0000", "truncated type");
    rejects("000000", "truncated type");
    rejects("00000002", "unknown type 2");
    rejects("0000ffff", "unknown type 65535");
    rejects("0000000000", "1 trailing octet(s)");
    rejects("0003000100", "truncated extension_data length");
    rejects("00080002000000010000" + "0000", "extension type 1 follows 2 (must be ascending)");
    rejects("00080001000000010000" + "0000", "duplicate extension type 1");
    rejects("0004000100020000", "truncated extension_data");
    rejects("00000001", "TBSCertificateLogEntry: issuer at offset 0: missing");
    rejects("00000001" + "3000", "TBSCertificateLogEntry: validity at offset 2: missing");
    // V7 with one more byte (a stray element identifier) after the hash.
    rejects(MtcKnownAnswersTest.V7_ENTRY + "05", "truncated: no length octet");
    rejects(MtcKnownAnswersTest.V7_ENTRY + "0500", "unexpected identifier 0x05");
    // The hash must be 32 bytes.
    rejects(
        MtcKnownAnswersTest.V7_ENTRY
            .replace("0420b3ae", "041fb3ae")
            .substring(0, V7_ENTRY.length * 2 - 2),
        "subjectPublicKeyInfoHash at offset");
    byte[] tooLong = new byte[65536];
    assertThatThrownBy(() -> MtcLogEntry.decode(tooLong))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("65536 bytes, at most 65535");
  }

  @Test
  void decodeRejectsNonDerInsideTheEntry() {
    // Version v1 written out (DER omits the DEFAULT).
    String v1 = MtcKnownAnswersTest.V7_ENTRY.replace("00000001a003020102", "00000001a003020100");
    rejects(v1, "v1 is the DEFAULT and is omitted in DER");
    // Long-form length for the subject (3000 -> 308100).
    String nonMinimal = MtcKnownAnswersTest.V7_ENTRY.replace("5a3000301306", "5a308100301306");
    rejects(nonMinimal, "non-minimal length");
    // Fields out of order: subjectPublicKeyInfoHash before the algorithm.
    TbsCertificateLogEntry e = v7Entry();
    byte[] swapped =
        Der.concat(
            e.version().orElseThrow(),
            e.issuer(),
            e.validity(),
            e.subject(),
            Der.octetString(e.subjectPublicKeyInfoHash()),
            e.subjectPublicKeyAlgorithm());
    assertThatThrownBy(() -> TbsCertificateLogEntry.fromContentsOctets(swapped))
        .hasMessageContaining("subjectPublicKeyAlgorithm at offset")
        .hasMessageContaining("expected identifier 0x30, found 0x04");
    // Unique IDs and extensions out of order.
    byte[] base = e.contentsOctets();
    byte[] extThenUid =
        Der.concat(
            base,
            TestCerts.extensions(TestCerts.KEY_USAGE_DIGITAL_SIGNATURE),
            Hex.decode("810200ff"));
    assertThatThrownBy(() -> TbsCertificateLogEntry.fromContentsOctets(extThenUid))
        .hasMessageContaining("unexpected identifier 0x81");
    byte[] uids = Der.concat(base, Hex.decode("810200ff"), Hex.decode("820200aa"));
    assertThat(catching(() -> TbsCertificateLogEntry.fromContentsOctets(uids)).issuerUniqueId())
        .hasValueSatisfying(v -> assertThat(Hex.encode(v)).isEqualTo("810200ff"));
  }

  @Test
  void factoriesRejectWhatIsNotACertificate() {
    assertThatThrownBy(() -> TbsCertificateLogEntry.fromTbsCertificate(Hex.decode("3000")))
        .hasMessageContaining("serialNumber at offset 2: missing");
    assertThatThrownBy(
            () -> TbsCertificateLogEntry.fromTbsCertificate(Der.concat(V7_TBS, new byte[] {0})))
        .hasMessageContaining("1 unexpected trailing octet(s)");
    assertThatThrownBy(() -> TbsCertificateLogEntry.fromSubmittedCertificate(V7_TBS, "32473.1"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("tbsCertificate");
    assertThatThrownBy(
            () -> TbsCertificateLogEntry.fromSubmittedCertificate(v7SubmittedCertificate(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entriesAreLimitedTo65535Bytes() throws Exception {
    TbsCertificateLogEntry e = v7Entry();
    List<MtcLogEntry.Extension> big =
        List.of(new MtcLogEntry.Extension(1, new byte[65535 - 4 - 2 - 2 - V7_ENTRY.length + 4]));
    assertThat(e.toMtcLogEntry(big).encode()).hasSize(65535);
    List<MtcLogEntry.Extension> bigger =
        List.of(new MtcLogEntry.Extension(1, new byte[65535 - 4 - 2 - 2 - V7_ENTRY.length + 5]));
    assertThatThrownBy(() -> e.toMtcLogEntry(bigger))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536 bytes, at most 65535");
    assertThatThrownBy(
            () ->
                MtcLogEntry.nullEntry(
                    List.of(
                        new MtcLogEntry.Extension(2, new byte[0]),
                        new MtcLogEntry.Extension(2, new byte[0]))))
        .hasMessageContaining("strictly ascending");
    assertThatThrownBy(() -> new MtcLogEntry.Extension(65536, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void caIdNames() throws Exception {
    assertThat(Hex.encode(CaIdName.encode("32473.1")))
        .isEqualTo("301931173015060a2b0601040182da4b2f010c0733323437332e31");
    assertThat(CaIdName.decode(CaIdName.encode("32473.1"))).isEqualTo("32473.1");
    assertThatThrownBy(() -> CaIdName.decode(TestCerts.name("32473.1")))
        .hasMessageContaining("attribute type is 2.5.4.3, want 1.3.6.1.4.1.44363.47.1");
    byte[] bad =
        Der.sequence(
            Der.set(Der.sequence(Der.oid(CaIdName.ATTRIBUTE_OID), Der.utf8String("32473.01"))));
    assertThatThrownBy(() -> CaIdName.decode(bad)).hasMessageContaining("'32473.01'");
  }

  private static TbsCertificateLogEntry v7Entry() {
    return catching(() -> TbsCertificateLogEntry.fromTbsCertificate(V7_TBS));
  }

  interface Parse<T> {
    T run() throws MalformedInputException;
  }

  static <T> T catching(Parse<T> p) {
    try {
      return p.run();
    } catch (MalformedInputException e) {
      throw new AssertionError(e);
    }
  }

  private static void rejects(String hex, String message) {
    assertThatThrownBy(() -> MtcLogEntry.decode(Hex.decode(hex)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(message);
  }
}
