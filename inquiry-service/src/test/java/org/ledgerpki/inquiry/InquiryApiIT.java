package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.mtc.TrustedSubtree;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;

/** The inquiry API over HTTP, against a ledger written to a real broker before the node starts. */
@QuarkusTest
@WithTestResource(
    value = InquiryTestResource.class,
    initArgs = @ResourceArg(name = "scenario", value = "api"))
class InquiryApiIT {
  @Inject InquiryNode node;

  @ConfigProperty(name = "ledgerpki.policy")
  String policyPath;

  /** Injected by {@link InquiryTestResource}: what it wrote to the ledger. */
  Map<String, Object> ledger;

  private TrustBundle bundle;

  @BeforeEach
  void awaitCaughtUp() throws Exception {
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    bundle =
        TrustBundle.fromPolicy(
            TrustPolicyReader.parse(Files.readString(Path.of(policyPath)), policyPath));
  }

  private byte[] bytes(String key) {
    return (byte[]) ledger.get(key);
  }

  private byte[] cert(long index) {
    return bytes("cert." + index);
  }

  private String origin() {
    return (String) ledger.get("origin");
  }

  private String hex(long index) {
    return Hex.encode(Sha256.hash(cert(index)));
  }

  private String hexOf(String key) {
    return Hex.encode(Sha256.hash(bytes(key)));
  }

  private static StatusAnswer answer(Response r) throws Exception {
    return StatusAnswer.fromJson(r.asString());
  }

  private StatusVerifier verifier() throws Exception {
    return new StatusVerifier(bundle, Duration.ofMinutes(1));
  }

  @Test
  void goodAnswersOfEveryAlgorithmVerifyOffline() throws Exception {
    for (long index : Scenarios.goodIndices()) {
      Response r = given().get("/v1/status/" + hex(index));
      assertThat(r.statusCode()).as("index %d", index).isEqualTo(200);
      assertThat(r.contentType()).startsWith("application/json");
      StatusAnswer a = answer(r);
      assertThat(a.status()).isEqualTo("GOOD");
      assertThat(a.certificateSha256()).isEqualTo(hex(index));
      assertThat(a.log()).isEqualTo(origin());
      assertThat(a.index()).isEqualTo(index);
      assertThat(a.revocation()).isNull();
      Instant produced = Instant.parse(a.producedAt());
      assertThat(Duration.between(produced, Instant.parse(a.nextUpdate())))
          .isEqualTo(Duration.ofMinutes(5));
      assertThat(a.producedAt()).endsWith("Z");

      StatusVerifier.Verified v = verifier().verify(a, cert(index), Instant.now());
      assertThat(v.status()).isEqualTo("GOOD");
      assertThat(v.ledgerCertificateSha256()).isEqualTo(a.certificateSha256());
      // Asked by hash, the answer carries the certificate, which binds it to the hash asked.
      assertThat(
              verifier()
                  .verifyByHash(a, org.ledgerpki.core.Hex.decode(hex(index)), Instant.now())
                  .status())
          .isEqualTo("GOOD");
      // Relative to the latest cosigned checkpoint (size 7), whatever the index.
      assertThat(v.checkpoint().checkpoint().size()).isEqualTo(7);
    }
  }

  @Test
  void statusAcceptsUpperCaseHex() throws Exception {
    Response r = given().get("/v1/status/" + hex(1).toUpperCase());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(answer(r).certificateSha256()).isEqualTo(hex(1));
  }

  @Test
  void postWithPemAndDer() throws Exception {
    byte[] der = cert(2);
    String pem = Certificates.pem(Certificates.parse(der));
    Response byPem =
        given()
            .contentType("application/x-pem-file")
            .body(pem.getBytes(StandardCharsets.UTF_8))
            .post("/v1/status");
    Response byDer = given().contentType("application/pkix-cert").body(der).post("/v1/status");
    for (Response r : List.of(byPem, byDer)) {
      assertThat(r.statusCode()).isEqualTo(200);
      StatusAnswer a = answer(r);
      assertThat(a.status()).isEqualTo("GOOD");
      assertThat(a.certificateSha256()).isEqualTo(hex(2));
      verifier().verify(a, der, Instant.now());
    }
  }

  @Test
  void sequencedButNotCoveredIsPending() throws Exception {
    for (long index = Scenarios.FIRST_PENDING; index < Scenarios.SIZE; index++) {
      Response r = given().get("/v1/status/" + hex(index));
      assertThat(r.statusCode()).isEqualTo(200);
      StatusAnswer a = answer(r);
      assertThat(a.status()).isEqualTo("PENDING");
      assertThat(a.log()).isEqualTo(origin());
      assertThat(a.index()).isEqualTo(index);
      assertThat(Base64.getDecoder().decode(a.entry())).isEqualTo(bytes("entry." + index));
      assertThat(a.checkpoint()).isNull();
      assertThat(a.inclusionProof()).isNull();
    }
  }

  @Test
  void acceptedButNotSequencedIsPending() throws Exception {
    String sha = hexOf("acceptedOnly");
    Response r = given().get("/v1/status/" + sha);
    assertThat(r.statusCode()).isEqualTo(200);
    StatusAnswer a = answer(r);
    assertThat(a.status()).isEqualTo("PENDING");
    assertThat(a.log()).isNull();
    assertThat(a.index()).isNull();
    assertThat(a.checkpoint()).isNull();
  }

  /**
   * Acceptances of this certificate were forged before its real rejection, unsigned and signed with
   * another key; an acceptance is never undone, so either one, held, would answer PENDING for good.
   */
  @Test
  void rejectedCarriesTheValidatorsReasons() throws Exception {
    String sha = hexOf("rejected");
    Response r = given().get("/v1/status/" + sha);
    assertThat(r.statusCode()).isEqualTo(200);
    StatusAnswer a = answer(r);
    assertThat(a.status()).isEqualTo("REJECTED");
    assertThat(a.certificateSha256()).isEqualTo(sha);
    assertThat(a.reasons())
        .containsExactly(
            new StatusAnswer.Reason("ORGANIZATION_MISMATCH", "O is not vendor-a's", "vendor-a"),
            new StatusAnswer.Reason("ORGANIZATION_MISMATCH", "O is not vendor-a's", "operator-b"));
  }

  /** The log's signed rejection of another certificate was republished under this one's hash. */
  @Test
  void unknownIs404WithStatusUnknown() throws Exception {
    String sha = hexOf("unknown");
    Response r = given().get("/v1/status/" + sha);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/json");
    StatusAnswer a = answer(r);
    assertThat(a.status()).isEqualTo("UNKNOWN");
    assertThat(a.certificateSha256()).isEqualTo(sha);
    Response posted =
        given().contentType("application/pkix-cert").body(bytes("unknown")).post("/v1/status");
    assertThat(posted.statusCode()).isEqualTo(404);
    assertThat(answer(posted).status()).isEqualTo("UNKNOWN");
  }

  private static void assertProblem(Response r, String type, String detailPart) {
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    Map<String, Object> p = r.jsonPath().getMap("");
    assertThat(p).containsKeys("type", "title", "status", "detail", "instance");
    assertThat(p.get("type")).isEqualTo("urn:ledgerpki:problem:" + type);
    assertThat(p.get("status")).isEqualTo(400);
    assertThat((String) p.get("detail")).contains(detailPart);
    assertThat((String) p.get("instance")).startsWith("/v1/");
  }

  @Test
  void malformedRequestsAreProblems() {
    assertProblem(given().get("/v1/status/abc"), "malformed-hash", "64 hex characters");
    assertProblem(
        given().get("/v1/status/" + "g".repeat(64)), "malformed-hash", "64 hex characters");
    assertProblem(given().get("/v1/status/" + hex(1) + "00"), "malformed-hash", "66 characters");
    assertProblem(
        given()
            .contentType("application/x-pem-file")
            .body("hello".getBytes(StandardCharsets.UTF_8))
            .post("/v1/status"),
        "not-a-certificate",
        "PEM");
    assertProblem(
        given()
            .contentType("application/x-pem-file")
            .body(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                    .getBytes(StandardCharsets.UTF_8))
            .post("/v1/status"),
        "not-a-certificate",
        "certificate");
    assertProblem(
        given()
            .contentType("application/pkix-cert")
            .body(new byte[] {0x30, 3, 1, 2, 3})
            .post("/v1/status"),
        "not-a-certificate",
        "");
    assertProblem(
        given()
            .contentType("text/plain")
            .body("x".getBytes(StandardCharsets.UTF_8))
            .post("/v1/status"),
        "unsupported-content-type",
        "text/plain");
    assertProblem(
        given().contentType("application/pkix-cert").body(new byte[70 * 1024]).post("/v1/status"),
        "body-too-large",
        "65536");
    assertProblem(
        given().contentType("application/pkix-cert").body(new byte[0]).post("/v1/status"),
        "not-a-certificate",
        "empty");
    assertProblem(given().get("/v1/certificates/xyz"), "malformed-hash", "64 hex");
  }

  @Test
  void certificatesAsPemOrDer() throws Exception {
    byte[] der = cert(3);
    Response pem = given().get("/v1/certificates/" + hex(3));
    assertThat(pem.statusCode()).isEqualTo(200);
    assertThat(pem.contentType()).startsWith("application/x-pem-file");
    assertThat(Certificates.der(Certificates.parse(pem.asString()))).isEqualTo(der);
    Response raw = given().accept("application/pkix-cert").get("/v1/certificates/" + hex(3));
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.contentType()).startsWith("application/pkix-cert");
    assertThat(raw.asByteArray()).isEqualTo(der);
    Response missing = given().get("/v1/certificates/" + hexOf("unknown"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
  }

  @Test
  void checkpointIsTheLatestCosignedNote() throws Exception {
    Response r = given().get("/v1/checkpoint");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    VerifiedCheckpoint cp = new CheckpointVerifier(bundle).verify(r.asString());
    assertThat(cp.checkpoint().size()).isEqualTo(7);
    assertThat(cp.cosigners()).hasSize(3);
  }

  @Test
  void consistencyProofsVerify() throws Exception {
    Response r = given().queryParam("from", 4).queryParam("to", 7).get("/v1/proof/consistency");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getLong("from")).isEqualTo(4);
    assertThat(r.jsonPath().getLong("to")).isEqualTo(7);
    List<byte[]> proof = new ArrayList<>();
    for (String h : r.jsonPath().getList("proof", String.class)) {
      proof.add(Base64.getDecoder().decode(h));
    }
    Proofs.verifyConsistency(4, 7, proof, bytes("root.4"), bytes("root.7"));
    Response same = given().queryParam("from", 7).queryParam("to", 7).get("/v1/proof/consistency");
    assertThat(same.jsonPath().getList("proof")).isEmpty();

    assertProblem(
        given().queryParam("from", 0).queryParam("to", 7).get("/v1/proof/consistency"),
        "bad-parameter",
        "1 <= from <= to <= 7");
    assertProblem(
        given().queryParam("from", 4).queryParam("to", 8).get("/v1/proof/consistency"),
        "bad-parameter",
        "got from=4, to=8");
    assertProblem(
        given().queryParam("from", 5).queryParam("to", 4).get("/v1/proof/consistency"),
        "bad-parameter",
        "from=5");
    assertProblem(
        given().queryParam("from", "x").queryParam("to", 4).get("/v1/proof/consistency"),
        "bad-parameter",
        "decimal");
    assertProblem(given().get("/v1/proof/consistency"), "bad-parameter", "(missing)");
  }

  @Test
  void landmarksInTheDraftsFormat() {
    Response r = given().get("/v1/landmarks");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType().replace(" ", "")).isEqualTo("text/plain;charset=utf-8");
    // Landmark 1 (size 4) is cosigned; landmark 2 is only allocated. Two forged landmarks 1 at
    // size 2, without a quorum of cosignatures, came before the real one (Scenarios.api).
    assertThat(r.asString()).isEqualTo("1 1\n4\n0\n");
  }

  @Test
  void trustBundleOfThePolicy() throws Exception {
    Response r = given().get("/v1/trust");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(TrustBundle.parse(r.asString())).isEqualTo(bundle);
  }

  @Test
  void tamperedAnswersFailVerification() throws Exception {
    StatusAnswer good = answer(given().get("/v1/status/" + hex(2)));
    verifier().verify(good, cert(2), Instant.now());

    List<String> proof = new ArrayList<>(good.inclusionProof());
    byte[] first = Base64.getDecoder().decode(proof.get(0));
    first[7] ^= 0x10;
    proof.set(0, Base64.getEncoder().encodeToString(first));
    StatusAnswer flipped =
        new StatusAnswer(
            good.certificateSha256(),
            good.status(),
            good.log(),
            good.index(),
            good.entry(),
            proof,
            good.checkpoint(),
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier().verify(flipped, cert(2), Instant.now()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("inclusion proof");

    String single = (String) ledger.get("note.single.7");
    StatusAnswer underSigned =
        new StatusAnswer(
            good.certificateSha256(),
            good.status(),
            good.log(),
            good.index(),
            good.entry(),
            good.inclusionProof(),
            single,
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier().verify(underSigned, cert(2), Instant.now()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("requires 2");

    StatusAnswer otherCert =
        new StatusAnswer(
            hex(3),
            good.status(),
            good.log(),
            good.index(),
            good.entry(),
            good.inclusionProof(),
            good.checkpoint(),
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier().verify(otherCert, cert(3), Instant.now()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not the MTC log entry of this certificate");
  }

  @Test
  void healthMetricsAndOpenApi() {
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains(
            "ledgerpki_inquiry_lag_records{topic=\""
                + ledger.get("prefix")
                + "ledger.entries\"} 0.0")
        .contains(
            "ledgerpki_inquiry_lag_records{topic=\"" + ledger.get("prefix") + "ledger.decisions\"}")
        .contains("ledgerpki_inquiry_index_certificates 8.0")
        .contains("ledgerpki_inquiry_skipped_records_total 1.0")
        // The decisions forged without the log's key (Scenarios.forgeDecisions), refused.
        .contains("ledgerpki_inquiry_unsigned_records_total " + Scenarios.FORGED_DECISIONS + ".0")
        // ... and the landmarks forged without a quorum of cosignatures.
        .contains(
            "ledgerpki_inquiry_refused_records_total "
                + (Scenarios.FORGED_DECISIONS + Scenarios.FORGED_LANDMARKS)
                + ".0")
        .contains("ledgerpki_inquiry_caught_up 1.0");
    String openapi = given().accept("application/json").get("/q/openapi").asString();
    assertThat(openapi)
        .contains("/v1/status/{sha256}")
        .contains("/v1/status")
        .contains("/v1/certificates/{sha256}")
        .contains("/v1/checkpoint")
        .contains("/v1/proof/consistency")
        .contains("/v1/landmarks")
        .contains("/v1/trust")
        .contains("StatusAnswer")
        .contains("Problem")
        .contains("\"503\"");
  }

  /** Trusted subtrees from /v1/landmarks/subtrees, each checked against m ML-DSA cosignatures. */
  private List<TrustedSubtree> trustedLandmarkSubtrees() throws Exception {
    QuorumCosignerPolicy quorum = new QuorumCosignerPolicy(bundle);
    com.fasterxml.jackson.databind.JsonNode landmarks =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(given().get("/v1/landmarks/subtrees").asString());
    List<TrustedSubtree> out = new ArrayList<>();
    String logId = StatusVerifier.caIdOf(origin()) + ".0.1";
    for (com.fasterxml.jackson.databind.JsonNode lm : landmarks) {
      for (com.fasterxml.jackson.databind.JsonNode st : lm.get("subtrees")) {
        byte[] hash = Base64.getDecoder().decode(st.get("hash").asText());
        List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode g : st.get("signatures")) {
          sigs.add(
              MtcProof.SubtreeSignature.of(
                  g.get("cosignerId").asText(),
                  Base64.getDecoder().decode(g.get("signature").asText())));
        }
        long start = st.get("start").asLong();
        long end = st.get("end").asLong();
        quorum.check(new CosignedSubtree(logId, start, end, hash), sigs);
        out.add(new TrustedSubtree(1, start, end, hash));
      }
    }
    return out;
  }

  @Test
  void mtcCertificatesInLandmarkAndStandaloneFormVerifyWithHashesOrCosignatures() throws Exception {
    List<TrustedSubtree> trusted = trustedLandmarkSubtrees();
    assertThat(trusted).isNotEmpty();
    String ca = StatusVerifier.caIdOf(origin());
    MtcVerifier landmarkOnly = MtcVerifier.builder(ca).trust(trusted).build();
    for (long index = 1; index < 4; index++) {
      Response r =
          given().accept("application/pkix-cert").get("/v1/certificates/" + hex(index) + "/mtc");
      assertThat(r.statusCode()).as("index %d", index).isEqualTo(200);
      assertThat(r.header("X-MTC-Form")).isEqualTo("landmark");
      MtcVerifier.Verified v = landmarkOnly.verify(r.asByteArray());
      assertThat(v.index()).isEqualTo(index);
      assertThat(v.trustedBy()).isEqualTo(MtcVerifier.TrustedBy.TRUSTED_SUBTREE);
      // The JDK reads it as X.509, and its key is the submitted certificate's.
      java.security.cert.X509Certificate x509 =
          (java.security.cert.X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(new java.io.ByteArrayInputStream(r.asByteArray()));
      assertThat(x509.getPublicKey().getEncoded())
          .isEqualTo(
              org.ledgerpki.core.crypto.Certificates.parse(cert(index))
                  .getPublicKey()
                  .getEncoded());
    }
    MtcVerifier withCosigners =
        MtcVerifier.builder(ca)
            .trust(trusted)
            .cosignerPolicy(new QuorumCosignerPolicy(bundle))
            .build();
    for (long index = 4; index < 7; index++) {
      Response r =
          given().accept("application/pkix-cert").get("/v1/certificates/" + hex(index) + "/mtc");
      assertThat(r.statusCode()).as("index %d", index).isEqualTo(200);
      assertThat(r.header("X-MTC-Form")).isEqualTo("standalone");
      assertThat(withCosigners.verify(r.asByteArray()).trustedBy())
          .isEqualTo(MtcVerifier.TrustedBy.COSIGNERS);
      byte[] der = r.asByteArray();
      assertThatThrownBy(() -> landmarkOnly.verify(der))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("is not a trusted subtree, and no cosigner policy is configured");
    }
    assertThat(given().get("/v1/certificates/" + hex(1) + "/mtc").asString())
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(given().get("/v1/certificates/" + hex(7) + "/mtc").statusCode())
        .as("not covered yet")
        .isEqualTo(404);
    assertThat(given().get("/v1/certificates/" + hexOf("unknown") + "/mtc").statusCode())
        .isEqualTo(404);
    assertThat(given().get("/v1/certificates/xyz/mtc").statusCode()).isEqualTo(400);
  }
}
