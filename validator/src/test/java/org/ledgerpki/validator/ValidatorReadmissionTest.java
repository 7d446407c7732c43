package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.validator.ValidatorHarness.codes;
import static org.ledgerpki.validator.ValidatorHarness.issue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Issue 15 at the validators: a revoked certificate does not come back re-encoded, a key revoked
 * for keyCompromise is dead for everyone, and a key revoked for another reason is the owner's only
 * (or nobody's, by policy). Also issue 9 item 9 at the validator: a subjectAltName naming another
 * member. Each case runs on a fresh validator.
 */
class ValidatorReadmissionTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static final String OPERATOR_C_O = TestConsortium.organization("operator-c");

  /**
   * The same certificate with its ECDSA signature (r, s) replaced by (r, n − s): still a valid
   * self-signature, made without the private key, with another DER hash.
   */
  static byte[] reencodeEcdsaSignature(TestPki.Vendor v) throws Exception {
    return org.ledgerpki.core.crypto.Certificates.ecdsaSignatureVariant(v.der());
  }

  private static TrustPolicy policyWithKeyReuse(String reuse) throws PolicyException {
    PolicyDocument d = ValidatorHarness.TC.document(2, 2, "seed");
    return TrustPolicyReader.of(
        new PolicyDocument(
            d.format(),
            d.serial(),
            d.consortium(),
            d.profile(),
            d.log(),
            d.quorum(),
            d.checkpoints(),
            d.landmarks(),
            d.validity(),
            d.algorithms(),
            d.members(),
            new PolicyDocument.Lifecycle(null, null, reuse)),
        "test-policy");
  }

  @Test
  void aReEncodedEcdsaCertificateOfAnEntryInTheLogIsRefused() throws Exception {
    TestPki.Vendor amf = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "amf-1", 31);
    byte[] reencoded = reencodeEcdsaSignature(amf);
    assertThat(Hex.encode(Sha256.hash(reencoded))).isNotEqualTo(Hex.encode(amf.sha256()));

    try (ValidatorHarness fresh = new ValidatorHarness()) {
      assertThat(fresh.judge(issue("vendor-a", reencoded)).getVerdict())
          .as("the re-encoding is a valid certificate on its own")
          .isEqualTo(Verdict.ENDORSE);
    }
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] revoked = h.inLedger(amf.der(), "vendor-a");
      h.status(revoked, Operation.REVOKE, 1, "vendor-a");
      Endorsement e = h.judge(issue("vendor-a", reencoded));
      assertThat(e.getVerdict()).isEqualTo(Verdict.REJECT);
      assertThat(codes(e)).contains(ReasonCode.ENTRY_ALREADY_IN_LOG);
      assertThat(e.getReasons().get(0).getDetail()).contains(Hex.encode(amf.sha256()));
    }
  }

  @Test
  void aReEncodingOfAGoodEntryIsRefusedToo() throws Exception {
    TestPki.Vendor amf = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "amf-2", 32);
    try (ValidatorHarness h = new ValidatorHarness()) {
      h.inLedger(amf.der(), "vendor-a");
      Endorsement e = h.judge(issue("vendor-a", reencodeEcdsaSignature(amf)));
      assertThat(codes(e)).containsExactly(ReasonCode.ENTRY_ALREADY_IN_LOG);
    }
  }

  @Test
  void aKeyRevokedForKeyCompromiseIsRefusedToEveryone() {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "smf-1", 33);
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] t = h.inLedger(first.der(), "vendor-a");
      TestPki.Vendor byOwner = TestPki.reusingKeyOf(first, VENDOR_O, "smf-1-again");
      assertThat(h.judge(issue("vendor-a", byOwner.der())).getVerdict())
          .as("before the revocation the owner may reuse its key")
          .isEqualTo(Verdict.ENDORSE);

      h.status(t, Operation.REVOKE, 1, "vendor-a");
      TestPki.Vendor sameOwner = TestPki.reusingKeyOf(first, VENDOR_O, "smf-1-new");
      Endorsement own = h.judge(issue("vendor-a", sameOwner.der()));
      assertThat(own.getVerdict()).isEqualTo(Verdict.REJECT);
      assertThat(codes(own)).containsExactly(ReasonCode.KEY_COMPROMISED);
      assertThat(own.getReasons().get(0).getDetail())
          .contains("revoked for keyCompromise with certificate " + Hex.encode(first.sha256()));

      TestPki.Vendor other = TestPki.reusingKeyOf(first, OPERATOR_C_O, "smf-c");
      Endorsement byOther = h.judge(issue("operator-c", other.der()));
      assertThat(codes(byOther)).contains(ReasonCode.KEY_COMPROMISED);
    }
  }

  @Test
  void aKeyRevokedAsSupersededIsTheOwnersOnlyByDefault() {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "upf-1", 34);
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] t = h.inLedger(first.der(), "vendor-a");
      h.status(t, Operation.REVOKE, 4, "vendor-a");
      Endorsement byOther =
          h.judge(issue("operator-c", TestPki.reusingKeyOf(first, OPERATOR_C_O, "upf-c").der()));
      assertThat(byOther.getVerdict()).isEqualTo(Verdict.REJECT);
      assertThat(codes(byOther)).containsExactly(ReasonCode.KEY_REUSE_REFUSED);
      assertThat(byOther.getReasons().get(0).getDetail())
          .contains("revoked (superseded)")
          .contains("'operator-c' is not the owner");
      assertThat(
              h.judge(issue("vendor-a", TestPki.reusingKeyOf(first, VENDOR_O, "upf-1b").der()))
                  .getVerdict())
          .isEqualTo(Verdict.ENDORSE);
    }
  }

  @Test
  void withKeyReuseNeverEvenTheOwnerIsRefused() throws Exception {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "pcf-1", 35);
    try (ValidatorHarness h = new ValidatorHarness(policyWithKeyReuse("never"))) {
      byte[] t = h.inLedger(first.der(), "vendor-a");
      h.status(t, Operation.RENEW, null, "vendor-a");
      Endorsement own =
          h.judge(issue("vendor-a", TestPki.reusingKeyOf(first, VENDOR_O, "pcf-1b").der()));
      assertThat(codes(own)).containsExactly(ReasonCode.KEY_REUSE_REFUSED);
      assertThat(own.getReasons().get(0).getDetail()).contains("keyReuseAfterRevocation is never");
    }
  }

  @Test
  void aRenewToACertificateOfACompromisedKeyIsRefused() {
    TestPki.Vendor old = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "nrf-old", 36);
    TestPki.Vendor x = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "nrf-x", 37);
    TestPki.Vendor y = TestPki.reusingKeyOf(x, VENDOR_O, "nrf-y");
    try (ValidatorHarness h = new ValidatorHarness()) {
      byte[] oldHash = h.inLedger(old.der(), "vendor-a");
      byte[] xHash = h.inLedger(x.der(), "vendor-a");
      h.inLedger(y.der(), "vendor-a");
      assertThat(
              h.judge(ValidatorHarness.request("vendor-a", Operation.RENEW, oldHash, null, y.der()))
                  .getVerdict())
          .isEqualTo(Verdict.ENDORSE);
      h.status(xHash, Operation.REVOKE, 1, "vendor-a");
      Endorsement e =
          h.judge(ValidatorHarness.request("vendor-a", Operation.RENEW, oldHash, null, y.der()));
      assertThat(codes(e)).contains(ReasonCode.KEY_COMPROMISED);
    }
  }

  @Test
  void theViewRebuildsFromRecordsInAnyOrder() {
    // The revocation arrives before its entry (two topics, no order between them).
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "ausf-1", 38);
    try (ValidatorHarness h = new ValidatorHarness()) {
      h.status(first.sha256(), Operation.REVOKE, 1, "vendor-a");
      h.inLedger(first.der(), "vendor-a");
      Endorsement e =
          h.judge(issue("vendor-a", TestPki.reusingKeyOf(first, VENDOR_O, "ausf-2").der()));
      assertThat(codes(e)).containsExactly(ReasonCode.KEY_COMPROMISED);
    }
  }

  @Test
  void aSubjectAltNameOfAnotherMemberIsRejectedAtTheValidator() {
    var kp = TestPki.keyPair(SignatureAlgorithm.ED25519, 39);
    java.time.Instant now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    byte[] der =
        org.ledgerpki.core.crypto.Certificates.der(
            new CertificateBuilder()
                .subject("")
                .issuer("CN=device")
                .keyPair(kp)
                .keyUsage(true, KeyUsage.KEY_AGREEMENT)
                .dnsNames("segw-1." + TestConsortium.domain("operator-b"))
                .validity(now.minusSeconds(60), now.plus(java.time.Duration.ofDays(30)))
                .build());
    try (ValidatorHarness h = new ValidatorHarness()) {
      Endorsement e = h.judge(issue("vendor-a", der));
      assertThat(e.getVerdict()).isEqualTo(Verdict.REJECT);
      assertThat(codes(e)).containsExactly(ReasonCode.IDENTITY_MISMATCH);
      assertThat(e.getReasons().get(0).getDetail()).contains("segw-1.operator-b.example");
      List<Endorsement> none = h.verdicts();
      assertThat(none).isEmpty();
    }
  }
}
