package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * ADR 0009 over HTTP: answers name their checkpoint, leave it out for a client that holds it, and
 * come in the compact form when asked; each verifies offline, as a full JSON answer does.
 */
@QuarkusTest
@WithTestResource(
    value = InquiryTestResource.class,
    initArgs = @ResourceArg(name = "scenario", value = "api"))
class AnswerFormsIT {
  private static final String HELD = "X-Checkpoint-Held";

  @Inject InquiryNode node;

  @ConfigProperty(name = "ledgerpki.policy")
  String policyPath;

  /** Injected by {@link InquiryTestResource}: what it wrote to the ledger. */
  Map<String, Object> ledger;

  private StatusVerifier verifier;
  private HeldCheckpoints held;
  private String fullNote;
  private String name;

  @BeforeEach
  void awaitCaughtUp() throws Exception {
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    TrustBundle bundle =
        TrustBundle.fromPolicy(
            TrustPolicyReader.parse(Files.readString(Path.of(policyPath)), policyPath));
    verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    held = new HeldCheckpoints(bundle);
    fullNote = given().get("/v1/checkpoint").asString();
    name = StatusCheckpoints.sha256(fullNote);
  }

  private byte[] cert(long index) {
    return (byte[]) ledger.get("cert." + index);
  }

  private String hex(long index) {
    return Hex.encode(Sha256.hash(cert(index)));
  }

  private static StatusAnswer compact(Response r) throws Exception {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(CompactAnswer.MEDIA_TYPE);
    return CompactAnswer.decode(r.asByteArray());
  }

  @Test
  void aJsonAnswerNamesItsCheckpointAndLeavesItOutWhenItIsHeld() throws Exception {
    long index = Scenarios.goodIndices().get(0);
    Response full = given().get("/v1/status/" + hex(index));
    StatusAnswer a = StatusAnswer.fromJson(full.asString());
    assertThat(full.header("Vary")).isEqualTo("Accept, X-Checkpoint-Held");
    assertThat(a.checkpoint()).isEqualTo(fullNote);
    assertThat(a.checkpointSha256()).isEqualTo(name);

    // A client that holds another checkpoint (or names an unknown one) gets the note.
    Response other = given().header(HELD, "ab".repeat(32)).get("/v1/status/" + hex(index));
    assertThat(StatusAnswer.fromJson(other.asString()).checkpoint()).isEqualTo(fullNote);

    Response bare =
        given()
            .header(HELD, "ab".repeat(32) + ", " + name.toUpperCase())
            .get("/v1/status/" + hex(index));
    StatusAnswer b = StatusAnswer.fromJson(bare.asString());
    assertThat(b.checkpoint()).isNull();
    assertThat(b.checkpointSha256()).isEqualTo(name);
    assertThat(bare.asByteArray().length)
        .isLessThan(full.asByteArray().length - fullNote.length() + 200);

    held.hold(fullNote);
    assertThat(verifier.verify(b, cert(index), Instant.now(), held).status()).isEqualTo("GOOD");
  }

  @Test
  void theCompactFormCarriesTheStatusNoteAndVerifies() throws Exception {
    for (long index : Scenarios.goodIndices()) {
      Response r = given().accept(CompactAnswer.MEDIA_TYPE).get("/v1/status/" + hex(index));
      StatusAnswer a = compact(r);
      assertThat(a.checkpointSha256()).isEqualTo(name);
      assertThat(a.checkpoint()).isEqualTo(StatusCheckpoints.statusForm(fullNote));
      assertThat(Note.parse(a.checkpoint()).signatures())
          .allSatisfy(sig -> assertThat(sig.signature().length).isLessThanOrEqualTo(8 + 64));
      assertThat(a.certificate()).isNotNull();
      assertThat(verifier.verifyByHash(a, Hex.decode(hex(index)), Instant.now()).status())
          .isEqualTo("GOOD");
      int json = given().get("/v1/status/" + hex(index)).asByteArray().length;
      assertThat(r.asByteArray().length).isLessThan(json * 3 / 4);
    }
  }

  @Test
  void aCompactAnswerToAQueryCarryingTheCertificateLeavesItOut() throws Exception {
    long index = Scenarios.goodIndices().get(1);
    held.hold(fullNote);
    Response r =
        given()
            .accept(CompactAnswer.MEDIA_TYPE)
            .contentType("application/pkix-cert")
            .header(HELD, name)
            .body(cert(index))
            .post("/v1/status");
    StatusAnswer a = compact(r);
    assertThat(a.certificate()).isNull();
    assertThat(a.checkpoint()).isNull();
    assertThat(verifier.verify(a, cert(index), Instant.now(), held).status()).isEqualTo("GOOD");
    // Without the certificate nor the note, it is the entry and the proofs.
    assertThat(r.asByteArray().length).isLessThan(700);
  }

  @Test
  void acceptRanksTheForms() throws Exception {
    String path = "/v1/status/" + hex(Scenarios.goodIndices().get(0));
    assertThat(
            given()
                .accept("application/json, " + CompactAnswer.MEDIA_TYPE + ";q=0.5")
                .get(path)
                .contentType())
        .startsWith("application/json");
    assertThat(
            given()
                .accept(CompactAnswer.MEDIA_TYPE + ";q=0.9, application/json;q=0.5")
                .get(path)
                .contentType())
        .isEqualTo(CompactAnswer.MEDIA_TYPE);
    assertThat(given().accept("*/*").get(path).contentType()).startsWith("application/json");
  }

  @Test
  void answersWithoutProofsStayJson() throws Exception {
    long pending = Scenarios.FIRST_PENDING;
    Response r = given().accept(CompactAnswer.MEDIA_TYPE).get("/v1/status/" + hex(pending));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(StatusAnswer.fromJson(r.asString()).status()).isEqualTo("PENDING");

    Response unknown =
        given()
            .accept(CompactAnswer.MEDIA_TYPE)
            .get("/v1/status/" + Hex.encode(Sha256.hash(new byte[] {1, 2, 3})));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/json");
  }

  @Test
  void aMalformedHeldHeaderIsAProblem() {
    String path = "/v1/status/" + hex(Scenarios.goodIndices().get(0));
    for (String bad :
        new String[] {
          "xyz",
          name + ",",
          "ab".repeat(31),
          String.join(",", java.util.Collections.nCopies(9, name))
        }) {
      Response r = given().header(HELD, bad).get(path);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.jsonPath().getString("type"))
          .isEqualTo("urn:ledgerpki:problem:malformed-checkpoint-held");
      assertThat(r.jsonPath().getString("detail")).startsWith("X-Checkpoint-Held ");
    }
    Response posted =
        given()
            .contentType("application/pkix-cert")
            .header(HELD, "nothex")
            .body(cert(Scenarios.goodIndices().get(0)))
            .post("/v1/status");
    assertThat(posted.statusCode()).isEqualTo(400);
  }
}
