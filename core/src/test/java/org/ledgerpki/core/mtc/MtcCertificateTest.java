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
import org.ledgerpki.core.merkle.Subtree;

/** Assembling and parsing MTC certificates. */
class MtcCertificateTest {
  private static final byte[] V7_TBS = Hex.decode(MtcKnownAnswersTest.V7_TBS);
  private static final TbsCertificateLogEntry V7 =
      MtcLogEntryTest.catching(() -> TbsCertificateLogEntry.fromTbsCertificate(V7_TBS));
  private static final MtcProof PROOF =
      MtcProof.landmark(List.of(), new Subtree(1024, 2048), List.of(new byte[32], new byte[32]));

  static X509Certificate jdkParse(byte[] der) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  @Test
  void serialNumbers() {
    assertThat(MtcCertificate.serial(1, 5)).isEqualTo(0x0001_0000_0000_0005L);
    assertThat(MtcCertificate.serial(1, 0)).isEqualTo(1L << 48);
    assertThat(MtcCertificate.serial(65535, (1L << 48) - 1)).isEqualTo(-1L); // 2^64 - 1
    assertThat(Long.toUnsignedString(MtcCertificate.serial(32768, 0)))
        .isEqualTo("9223372036854775808");
    assertThatThrownBy(() -> MtcCertificate.serial(0, 5)).hasMessageContaining("1..65535, got 0");
    assertThatThrownBy(() -> MtcCertificate.serial(65536, 5)).hasMessageContaining("got 65536");
    assertThatThrownBy(() -> MtcCertificate.serial(1, -1)).hasMessageContaining("0..2^48-1");
    assertThatThrownBy(() -> MtcCertificate.serial(1, 1L << 48)).hasMessageContaining("0..2^48-1");
  }

  @Test
  void theTbsCertificateOfV7sEntryIsV7sWithAnMtcSerial() {
    byte[] tbs = MtcCertificate.tbsCertificate(V7, TestCerts.V7_SPKI, 1, 1234);
    // V7's TBSCertificate has serial 1234 (log 0); with log 1 the serial is 0x10000000004d2,
    // five bytes longer.
    String expected =
        MtcKnownAnswersTest.V7_TBS.replace(
            "3081afa003020102020204d2", "3081b4a0030201020207010000000004d2");
    assertThat(Hex.encode(tbs)).isEqualTo(expected);
  }

  @Test
  void assembledCertificatesParse() throws Exception {
    byte[] der = MtcCertificate.assemble(V7, List.of(), TestCerts.V7_SPKI, 1, 1234, PROOF);
    MtcCertificate c = MtcCertificate.parse(der);
    assertThat(c.logNumber()).isEqualTo(1);
    assertThat(c.index()).isEqualTo(1234);
    assertThat(c.serial()).isEqualTo(0x0001_0000_0000_04d2L);
    assertThat(c.caId()).isEqualTo("32473.1");
    assertThat(c.logId()).isEqualTo("32473.1.0.1");
    assertThat(c.proof()).isEqualTo(PROOF);
    assertThat(c.subjectPublicKeyInfo()).isEqualTo(TestCerts.V7_SPKI);
    assertThat(c.issuer()).isEqualTo(CaIdName.encode("32473.1"));
    assertThat(Hex.encode(c.subject())).isEqualTo("3000");
    assertThat(c.tbsCertificate())
        .isEqualTo(MtcCertificate.tbsCertificate(V7, TestCerts.V7_SPKI, 1, 1234));
    assertThat(c.encoded()).isEqualTo(der);
    assertThat(c.logEntry()).isEqualTo(V7);
    assertThat(Hex.encode(c.mtcLogEntry().encode())).isEqualTo(MtcKnownAnswersTest.V7_ENTRY);
    // Single pass and reference agree, and both give V7's entry hash.
    assertThat(Hex.encode(c.entryHash())).isEqualTo(MtcKnownAnswersTest.V7_ENTRY_HASH);
    assertThat(c.entryHash()).isEqualTo(c.mtcLogEntry().entryHash());
  }

  @Test
  void theJdkReadsAnAssembledCertificate() throws Exception {
    byte[] der = MtcCertificate.assemble(V7, List.of(), TestCerts.V7_SPKI, 1, 1234, PROOF);
    X509Certificate x = jdkParse(der);
    assertThat(x.getVersion()).isEqualTo(3);
    assertThat(x.getSerialNumber()).isEqualTo(new BigInteger("10000000004d2", 16));
    assertThat(x.getSigAlgOID()).isEqualTo(MtcCertificate.ID_ALG_MTC_PROOF);
    assertThat(x.getSigAlgParams()).isNull();
    assertThat(x.getSignature()).isEqualTo(PROOF.encode());
    assertThat(x.getTBSCertificate()).isEqualTo(MtcCertificate.parse(der).tbsCertificate());
    assertThat(x.getPublicKey().getEncoded()).isEqualTo(TestCerts.V7_SPKI);
    assertThat(x.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(x.getIssuerX500Principal().getEncoded()).isEqualTo(CaIdName.encode("32473.1"));
    assertThat(x.getNotBefore().toInstant()).isEqualTo(TestCerts.JAN_2020);
    assertThat(x.getEncoded()).isEqualTo(der);
  }

  @Test
  void assembleChecksTheSubjectPublicKey() {
    byte[] otherP256 = TestCerts.p256().getPublic().getEncoded();
    assertThatThrownBy(() -> MtcCertificate.assemble(V7, List.of(), otherP256, 1, 1234, PROOF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the subject public key hashes to ")
        .hasMessageContaining(
            "but the entry's subjectPublicKeyInfoHash is " + MtcKnownAnswersTest.V7_SPKI_SHA256);
    byte[] ed = TestCerts.ed25519().getPublic().getEncoded();
    assertThatThrownBy(() -> MtcCertificate.assemble(V7, List.of(), ed, 1, 1234, PROOF))
        .hasMessageContaining(
            "algorithm 1.3.101.112 is not the entry's subjectPublicKeyAlgorithm 1.2.840.10045.2.1"
                + " with parameters 06082a8648ce3d030107");
    assertThatThrownBy(
            () ->
                MtcCertificate.assemble(
                    V7, List.of(), Der.concat(TestCerts.V7_SPKI, new byte[] {0}), 1, 1234, PROOF))
        .hasMessageContaining("trailing");
  }

  @Test
  void assembleChecksTheProofAgainstTheEntry() {
    List<MtcLogEntry.Extension> ext = List.of(new MtcLogEntry.Extension(1, new byte[] {1}));
    assertThatThrownBy(() -> MtcCertificate.assemble(V7, ext, TestCerts.V7_SPKI, 1, 1234, PROOF))
        .hasMessageContaining("the MTCProof carries extensions [] but the log entry has");
    assertThatThrownBy(
            () -> MtcCertificate.assemble(V7, List.of(), TestCerts.V7_SPKI, 1, 2048, PROOF))
        .hasMessageContaining("index 2048 is not in the proof's subtree [1024, 2048)");
    assertThatThrownBy(
            () -> MtcCertificate.assemble(V7, List.of(), TestCerts.V7_SPKI, 0, 1234, PROOF))
        .hasMessageContaining("log number must be in 1..65535");
  }

  @Test
  void parseRejectsWhatIsNotAnMtcCertificate() throws Exception {
    byte[] vendor = MtcLogEntryTest.v7SubmittedCertificate();
    assertThatThrownBy(() -> MtcCertificate.parse(vendor))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(
            "not an MTC certificate: TBSCertificate signature is 1.2.840.10045.4.3.2, want"
                + " id-alg-mtcProof 1.3.6.1.4.1.44363.47.0 without parameters");
    // V7's TBSCertificate has serial 1234: log number 0.
    byte[] log0 =
        Der.sequence(V7_TBS, MtcCertificate.MTC_PROOF_ALGORITHM, Der.bitString(PROOF.encode()));
    assertThatThrownBy(() -> MtcCertificate.parse(log0))
        .hasMessageContaining("serialNumber 0x4d2 has log number 0");
    byte[] good = MtcCertificate.assemble(V7, List.of(), TestCerts.V7_SPKI, 1, 1234, PROOF);
    byte[] tbs = MtcCertificate.tbsCertificate(V7, TestCerts.V7_SPKI, 1, 1234);
    byte[] trailing =
        Der.sequence(
            tbs,
            MtcCertificate.MTC_PROOF_ALGORITHM,
            Der.bitString(Der.concat(PROOF.encode(), new byte[] {0})));
    assertThatThrownBy(() -> MtcCertificate.parse(trailing))
        .hasMessageContaining("MTCProof: 1 trailing octet(s)");
    byte[] unusedBits =
        Der.sequence(
            tbs,
            MtcCertificate.MTC_PROOF_ALGORITHM,
            Der.tlv(Der.BIT_STRING, new byte[] {1}, PROOF.encode()));
    assertThatThrownBy(() -> MtcCertificate.parse(unusedBits))
        .hasMessageContaining("signatureValue has 1 unused bits");
    byte[] params = Der.sequence(Der.oid(MtcCertificate.ID_ALG_MTC_PROOF), Der.tlv(Der.NULL));
    byte[] outerParams = Der.sequence(tbs, params, Der.bitString(PROOF.encode()));
    assertThatThrownBy(() -> MtcCertificate.parse(outerParams))
        .hasMessageContaining("signatureAlgorithm is 1.3.6.1.4.1.44363.47.0 with parameters 0500");
    assertThatThrownBy(() -> MtcCertificate.parse(Der.concat(good, new byte[] {0})))
        .hasMessageContaining("1 unexpected trailing octet(s)");
    byte[] plainIssuer =
        TestCerts.tbs(
            BigInteger.ONE.shiftLeft(48).add(BigInteger.ONE),
            MtcCertificate.MTC_PROOF_ALGORITHM,
            TestCerts.name("Some CA"),
            V7.validity(),
            V7.subject(),
            TestCerts.V7_SPKI,
            new byte[0]);
    byte[] notCaId =
        Der.sequence(
            plainIssuer, MtcCertificate.MTC_PROOF_ALGORITHM, Der.bitString(PROOF.encode()));
    assertThatThrownBy(() -> MtcCertificate.parse(notCaId))
        .hasMessageContaining("CA ID name: attribute type is 2.5.4.3, want 1.3.6.1.4.1.44363.47.1");
  }
}
