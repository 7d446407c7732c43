package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * ADR 0011: {@code GET /v1/status/{sha256}} is served by the plain Vert.x route (its answers move
 * {@code ledgerpki_inquiry_status_answers_total}, which JAX-RS never touches, and Micrometer's
 * per-request timer no longer sees the path), with the same status codes and headers as JAX-RS'
 * {@code POST /v1/status} gives from the same mapping; the OpenAPI document still describes both
 * status operations.
 */
@QuarkusTest
@WithTestResource(
    value = InquiryTestResource.class,
    initArgs = @ResourceArg(name = "scenario", value = "api"))
class StatusRouteIT {
  private static final String HELD = "X-Checkpoint-Held";

  @Inject InquiryNode node;

  /** Injected by {@link InquiryTestResource}: what it wrote to the ledger. */
  Map<String, Object> ledger;

  @BeforeEach
  void awaitCaughtUp() throws Exception {
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
  }

  private byte[] cert(long index) {
    return (byte[]) ledger.get("cert." + index);
  }

  private String hex(long index) {
    return Hex.encode(Sha256.hash(cert(index)));
  }

  /** The route's counter for {@code outcome}, as Prometheus scrapes it. */
  private static double answers(String outcome) {
    String metrics = given().get("/q/metrics").asString();
    Matcher m =
        Pattern.compile(
                "(?m)^ledgerpki_inquiry_status_answers_total\\{outcome=\""
                    + outcome
                    + "\"} ([0-9.E]+)$")
            .matcher(metrics);
    assertThat(m.find())
        .as("ledgerpki_inquiry_status_answers_total{outcome=\"%s\"} in /q/metrics", outcome)
        .isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void getByHashIsCountedByTheRouteAndLeftOutOfTheHttpTimer() {
    String good = "/v1/status/" + hex(Scenarios.goodIndices().get(0));
    double goodBefore = answers("good");
    double unknownBefore = answers("unknown");
    double invalidBefore = answers("invalid");
    double pendingBefore = answers("pending");

    for (int i = 0; i < 3; i++) {
      assertThat(given().get(good).statusCode()).isEqualTo(200);
    }
    assertThat(given().accept(CompactAnswer.MEDIA_TYPE).get(good).statusCode()).isEqualTo(200);
    assertThat(given().get("/v1/status/" + Hex.encode(Sha256.hash(new byte[] {9}))).statusCode())
        .isEqualTo(404);
    assertThat(given().get("/v1/status/nothex").statusCode()).isEqualTo(400);
    assertThat(given().header(HELD, "xyz").get(good).statusCode()).isEqualTo(400);
    assertThat(given().get("/v1/status/" + hex(Scenarios.FIRST_PENDING)).statusCode())
        .isEqualTo(200);
    // Answered by JAX-RS, not by the route: POST, and an Accept neither form satisfies (406).
    assertThat(
            given()
                .contentType("application/pkix-cert")
                .body(cert(Scenarios.goodIndices().get(0)))
                .post("/v1/status")
                .statusCode())
        .isEqualTo(200);
    assertThat(given().accept("text/plain").get(good).statusCode()).isEqualTo(406);

    assertThat(answers("good") - goodBefore).isEqualTo(4.0);
    assertThat(answers("unknown") - unknownBefore).isEqualTo(1.0);
    assertThat(answers("invalid") - invalidBefore).isEqualTo(2.0);
    assertThat(answers("pending") - pendingBefore).isEqualTo(1.0);

    String metrics = given().get("/q/metrics").asString();
    List<String> timed =
        metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList();
    assertThat(timed).anyMatch(l -> l.contains("uri=\"/v1/status\""));
    assertThat(timed).noneMatch(l -> l.contains("uri=\"/v1/status/"));
  }

  @Test
  void theRouteRepliesAsJaxRsDoes() throws Exception {
    long index = Scenarios.goodIndices().get(1);
    Response routed = given().get("/v1/status/" + hex(index));
    Response jaxrs =
        given().contentType("application/pkix-cert").body(cert(index)).post("/v1/status");
    assertSameHeaders(routed, jaxrs);
    assertThat(routed.header("Cache-Control")).isEqualTo("no-store");
    assertThat(routed.header("Vary")).isEqualTo("Accept, X-Checkpoint-Held");
    StatusAnswer a = StatusAnswer.fromJson(routed.asString());
    StatusAnswer b = StatusAnswer.fromJson(jaxrs.asString());
    assertThat(a.entry()).isEqualTo(b.entry());
    assertThat(a.inclusionProof()).isEqualTo(b.inclusionProof());
    assertThat(a.checkpoint()).isEqualTo(b.checkpoint());

    assertSameHeaders(
        given().accept(CompactAnswer.MEDIA_TYPE).get("/v1/status/" + hex(index)),
        given()
            .accept(CompactAnswer.MEDIA_TYPE)
            .contentType("application/pkix-cert")
            .body(cert(index))
            .post("/v1/status"));

    byte[] unknownCert = (byte[]) ledger.get("unknown");
    assertSameHeaders(
        given().get("/v1/status/" + Hex.encode(Sha256.hash(unknownCert))),
        given().contentType("application/pkix-cert").body(unknownCert).post("/v1/status"));

    Response badRouted = given().header(HELD, "nothex").get("/v1/status/" + hex(index));
    Response badJaxrs =
        given()
            .header(HELD, "nothex")
            .contentType("application/pkix-cert")
            .body(cert(index))
            .post("/v1/status");
    assertSameHeaders(badRouted, badJaxrs);
    assertThat(badRouted.jsonPath().getString("detail"))
        .isEqualTo(badJaxrs.jsonPath().getString("detail"));
    assertThat(badRouted.jsonPath().getString("instance")).isEqualTo("/v1/status/" + hex(index));
    assertThat(badRouted.jsonPath().getString("instance") + "?x=1")
        .isEqualTo(
            given()
                .header(HELD, "nothex")
                .get("/v1/status/" + hex(index) + "?x=1")
                .jsonPath()
                .getString("instance"));

    // HEAD is left to JAX-RS, which answers it from the GET method, as before the route.
    Response head = given().head("/v1/status/" + hex(index));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.contentType()).isEqualTo(routed.contentType());
  }

  /**
   * Same status, and the same headers by name (case included) and value, apart from the length and
   * the date's value.
   */
  private static void assertSameHeaders(Response routed, Response jaxrs) {
    assertThat(routed.statusCode()).isEqualTo(jaxrs.statusCode());
    assertThat(headers(routed)).isEqualTo(headers(jaxrs));
  }

  private static List<String> headers(Response r) {
    return r.headers().asList().stream()
        .filter(h -> !h.getName().equalsIgnoreCase("content-length"))
        .map(h -> h.getName().equalsIgnoreCase("date") ? h.getName() : h.toString())
        .sorted()
        .toList();
  }

  @Test
  void theOpenApiDocumentStillDescribesBothStatusOperations() throws Exception {
    JsonNode paths =
        new ObjectMapper()
            .readTree(given().accept("application/json").get("/q/openapi").asString())
            .path("paths");
    JsonNode byHash = paths.path("/v1/status/{sha256}").path("get");
    JsonNode byCert = paths.path("/v1/status").path("post");
    for (JsonNode op : List.of(byHash, byCert)) {
      assertThat(op.isMissingNode()).as("operation in /q/openapi").isFalse();
      assertThat(iterable(op.path("responses").fieldNames()))
          .containsExactlyInAnyOrder("200", "400", "404", "503");
      assertThat(op.path("responses").path("503").path("headers").has("Retry-After")).isTrue();
      assertThat(op.path("responses").path("200").path("content").has(CompactAnswer.MEDIA_TYPE))
          .isTrue();
    }
    assertThat(iterable(byHash.path("parameters").elements()))
        .extracting(p -> p.path("name").asText())
        .contains("sha256", HELD);
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
