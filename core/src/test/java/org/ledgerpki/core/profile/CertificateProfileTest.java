package org.ledgerpki.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;

class CertificateProfileTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final TrustPolicy SEED = TC.policy();
  private static final TrustPolicy TS = TC.policy(2, 2, "3gpp-ts-33.310");
  private static final TrustPolicy.Member VENDOR = SEED.member("vendor-a").orElseThrow();
  private static final String ORG = TestConsortium.organization("vendor-a");
  private static final Instant NOW = Instant.now();

  private static List<ViolationCode> seed(byte[] der) {
    return CertificateProfile.of(SEED).check(der, VENDOR, NOW).stream()
        .map(Violation::code)
        .toList();
  }

  static List<SignatureAlgorithm> algorithms() {
    return TestPki.ALL_ALGORITHMS;
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void aValidCertificateOfEveryAllowedAlgorithmPasses(SignatureAlgorithm alg) {
    assertThat(seed(TestPki.vendor(alg, ORG, "amf-1").der())).isEmpty();
  }

  @Test
  void seedRulesEachGiveTheirReason() {
    assertThat(
            seed(
                TestPki.wrongOrganisation(SignatureAlgorithm.ED25519, "Org operator-b", "x").der()))
        .containsExactly(ViolationCode.ORGANIZATION_MISMATCH);
    assertThat(seed(TestPki.noSubjectWithDigitalSignature(SignatureAlgorithm.ECDSA_P256).der()))
        .containsExactly(ViolationCode.FORBIDDEN_KEY_USAGE);
    assertThat(seed(TestPki.noSubject(SignatureAlgorithm.ECDSA_P256, KeyUsage.KEY_AGREEMENT).der()))
        .isEmpty();
    assertThat(seed(TestPki.brokenSelfSignature(SignatureAlgorithm.ML_DSA_65, ORG, "x").der()))
        .containsExactly(ViolationCode.BAD_SELF_SIGNATURE);
    assertThat(seed(TestPki.expired(SignatureAlgorithm.ED25519, ORG, "x").der()))
        .containsExactly(ViolationCode.VALIDITY_WINDOW);
    assertThat(seed(TestPki.notYetValid(SignatureAlgorithm.ED25519, ORG, "x").der()))
        .containsExactly(ViolationCode.VALIDITY_WINDOW);
    assertThat(seed(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
        .containsExactly(ViolationCode.MALFORMED_CERTIFICATE);
    assertThat(seed(new byte[70_000])).containsExactly(ViolationCode.TOO_LARGE);
  }

  @Test
  void anIdentityWithoutOrganisationIsRejected() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] der = Certificates.der(TestPki.builder(kp, ORG, "x").subject("CN=amf-1").build());
    assertThat(seed(der)).containsExactly(ViolationCode.ORGANIZATION_MISMATCH);
  }

  @Test
  void tooLongLifetimeAndWeakRsaAreRejected() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] longLived =
        Certificates.der(
            TestPki.builder(kp, ORG, "x")
                .validity(now.minusSeconds(60), now.plus(Duration.ofDays(2000)))
                .build());
    assertThat(seed(longLived)).containsExactly(ViolationCode.VALIDITY_WINDOW);
    KeyPair rsa1024 = Keys.generate(SignatureAlgorithm.RSA, 1024);
    assertThat(seed(Certificates.der(TestPki.builder(rsa1024, ORG, "x").build())))
        .containsExactly(ViolationCode.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void anAlgorithmThePolicyLeavesOutIsRejected() throws Exception {
    var d = TC.document(2, 2, "seed");
    TrustPolicy edOnly =
        TrustPolicyReader.of(
            new org.ledgerpki.core.policy.PolicyDocument(
                d.format(),
                d.serial(),
                d.consortium(),
                d.profile(),
                d.log(),
                d.quorum(),
                d.checkpoints(),
                d.landmarks(),
                d.validity(),
                List.of("ed25519"),
                d.members()),
            "p");
    List<Violation> v =
        CertificateProfile.of(edOnly)
            .check(TestPki.vendor(SignatureAlgorithm.ML_DSA_44, ORG, "x").der(), VENDOR, NOW);
    assertThat(v).extracting(Violation::code).containsExactly(ViolationCode.ALGORITHM_NOT_ALLOWED);
    assertThat(v.get(0).detail()).contains("ml-dsa-44 is not allowed");
  }

  private static CertificateBuilder nf(KeyPair kp, String o) {
    return nfWithoutKeyUsage(kp, o).keyUsage(true, KeyUsage.DIGITAL_SIGNATURE);
  }

  private static CertificateBuilder nfWithoutKeyUsage(KeyPair kp, String o) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new CertificateBuilder()
        .subject("CN=amf01.5gc.mnc001.mcc001.3gppnetwork.org,O=" + o)
        .keyPair(kp)
        .serial(BigInteger.valueOf(4242))
        .validity(now.minusSeconds(60), now.plus(Duration.ofDays(365)))
        // nfTypes (RFC 9310): SEQUENCE OF IA5String { "AMF" }
        .extension(
            Ts33310Profile.NF_TYPES_OID, false, new byte[] {0x30, 0x05, 0x16, 0x03, 'A', 'M', 'F'});
  }

  private static List<ViolationCode> ts(CertificateBuilder b) {
    TrustPolicy.Member m = TS.member("vendor-a").orElseThrow();
    return CertificateProfile.of(TS).check(Certificates.der(b.build()), m, NOW).stream()
        .map(Violation::code)
        .toList();
  }

  @Test
  void the3gppProfileChecksHomeDomainKeyUsageNfTypesAndSerial() {
    TrustPolicy.Member m = TS.member("vendor-a").orElseThrow();
    String home = Ts33310Profile.homeDomain(m.plmns().get(0));
    assertThat(home).matches("5gc\\.mnc0\\d\\d\\.mcc001\\.3gppnetwork\\.org");
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256);
    assertThat(ts(nf(kp, home))).isEmpty();
    assertThat(ts(nf(kp, ORG))).containsExactly(ViolationCode.ORGANIZATION_MISMATCH);
    assertThat(ts(nfWithoutKeyUsage(kp, home).keyUsage(false, KeyUsage.DIGITAL_SIGNATURE)))
        .containsExactly(ViolationCode.FORBIDDEN_KEY_USAGE);
    assertThat(ts(nfWithoutKeyUsage(kp, home).keyUsage(true, KeyUsage.KEY_AGREEMENT)))
        .containsExactly(ViolationCode.FORBIDDEN_KEY_USAGE);
    assertThat(ts(nf(kp, home).serial(BigInteger.ONE.shiftLeft(170))))
        .containsExactly(ViolationCode.PROFILE_VIOLATION);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    assertThat(
            ts(
                nf(kp, home)
                    .validity(now.minusSeconds(60), now.plus(Duration.ofDays(3 * 365 + 30)))))
        .containsExactly(ViolationCode.VALIDITY_WINDOW);
    CertificateBuilder noNfTypes =
        new CertificateBuilder()
            .subject("CN=amf01,O=" + home)
            .keyPair(kp)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)));
    assertThat(ts(noNfTypes)).containsExactly(ViolationCode.PROFILE_VIOLATION);
  }

  private static CertificateBuilder withSan(String subject, KeyUsage usage) {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new CertificateBuilder()
        .subject(subject)
        .issuer("CN=san test")
        .keyPair(kp)
        .keyUsage(true, usage)
        .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)));
  }

  private static List<Violation> seedViolations(CertificateBuilder b) {
    return CertificateProfile.of(SEED).check(Certificates.der(b.build()), VENDOR, NOW);
  }

  @Test
  void subjectAltNamesWithinTheSubmittersDomainsPass() {
    String own = TestConsortium.domain("vendor-a");
    assertThat(
            seedViolations(
                withSan("CN=amf-1,O=" + ORG, KeyUsage.DIGITAL_SIGNATURE)
                    .dnsNames(own, "amf-1." + own, "*.nf." + own.toUpperCase(java.util.Locale.ROOT))
                    .uris("https://amf-1." + own + ":8443/nnrf", "urn:uuid:6e8b-anything")))
        .isEmpty();
  }

  @Test
  void anEmptySubjectWithASubjectAltNameOfAnotherMemberIsRejected() {
    String other = TestConsortium.domain("operator-b");
    List<Violation> v =
        seedViolations(withSan("", KeyUsage.KEY_AGREEMENT).dnsNames("segw-1." + other));
    assertThat(v).extracting(Violation::code).containsExactly(ViolationCode.IDENTITY_MISMATCH);
    assertThat(v.get(0).detail())
        .contains("'segw-1." + other + "'")
        .contains("not within the domains of the submitter 'vendor-a'")
        .contains(TestConsortium.domain("vendor-a"));
  }

  @Test
  void aSubjectOfOneselfDoesNotCoverASubjectAltNameOfAnother() {
    String other = TestConsortium.domain("operator-c");
    assertThat(
            seedViolations(
                    withSan("CN=amf-1,O=" + ORG, KeyUsage.DIGITAL_SIGNATURE)
                        .uris("https://udm." + other + "/x"))
                .stream()
                .map(Violation::code))
        .containsExactly(ViolationCode.IDENTITY_MISMATCH);
    // A look-alike suffix is not a name below the domain.
    assertThat(
            seedViolations(
                    withSan("CN=amf-1,O=" + ORG, KeyUsage.DIGITAL_SIGNATURE)
                        .dnsNames("evil" + TestConsortium.domain("vendor-a")))
                .stream()
                .map(Violation::code))
        .containsExactly(ViolationCode.IDENTITY_MISMATCH);
  }

  @Test
  void the3gppProfileAcceptsNamesBelowTheHomeDomainAndRefusesOthers() {
    TrustPolicy.Member m = TS.member("vendor-a").orElseThrow();
    String home = Ts33310Profile.homeDomain(m.plmns().get(0));
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256);
    assertThat(ts(nf(kp, home).dnsNames("amf1." + home))).isEmpty();
    String otherHome =
        Ts33310Profile.homeDomain(TS.member("operator-b").orElseThrow().plmns().get(0));
    assertThat(otherHome).isNotEqualTo(home);
    assertThat(ts(nf(kp, home).dnsNames("amf1." + otherHome)))
        .containsExactly(ViolationCode.IDENTITY_MISMATCH);
  }

  @Test
  void aPlmnAddedByAPolicyChangeAdmitsItsHomeDomainUnderThatPolicyOnly() {
    TrustPolicy next =
        org.ledgerpki.core.testkit.TestGovernance.next(
            TS,
            d ->
                d.withMember(
                    "vendor-a",
                    m ->
                        m.withPlmns(
                            java.util.stream.Stream.concat(
                                    m.plmns().stream(), java.util.stream.Stream.of("001-77"))
                                .toList())));
    String added = Ts33310Profile.homeDomain("001-77");
    byte[] der =
        Certificates.der(nf(TestPki.keyPair(SignatureAlgorithm.ECDSA_P256), added).build());
    assertThat(
            CertificateProfile.of(TS).check(der, TS.member("vendor-a").orElseThrow(), NOW).stream()
                .map(Violation::code))
        .as("before the change: not one of vendor-a's PLMNs")
        .containsExactly(ViolationCode.ORGANIZATION_MISMATCH);
    assertThat(CertificateProfile.of(next).check(der, next.member("vendor-a").orElseThrow(), NOW))
        .as("under the policy that adds it")
        .isEmpty();
  }
}
