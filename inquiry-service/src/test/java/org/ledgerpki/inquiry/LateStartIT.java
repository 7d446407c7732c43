package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;

/**
 * A node started before its ledger exists: until it has caught up, every query is a 503 problem
 * with Retry-After and readiness is DOWN; then it answers.
 */
@QuarkusTest
@TestProfile(LateStartIT.Late.class)
class LateStartIT {
  /**
   * A profile of its own: Quarkus restarts the application for a new profile, whereas another test
   * resource alone did not make it leave the one started for {@link InquiryApiIT}.
   */
  public static class Late implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(LateInquiryTestResource.class));
    }
  }

  @Inject InquiryNode node;

  /** Injected by {@link InquiryTestResource}. */
  Map<String, Object> ledger;

  /** Injected by {@link InquiryTestResource}: releasing it writes the ledger. */
  CountDownLatch release;

  @Test
  void notReadyUntilCaughtUpThenAnswers() throws Exception {
    assertThat(node.state().caughtUp()).isFalse();
    String someHash = "ab".repeat(32);
    for (String path :
        new String[] {"/v1/status/" + someHash, "/v1/checkpoint", "/v1/trust", "/v1/landmarks"}) {
      Response r = given().get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(r.header("Retry-After")).as(path).isEqualTo("2");
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.jsonPath().getInt("status")).isEqualTo(503);
    }
    // The status route's 503 (ADR 0011) carries the same headers as JAX-RS' problems do.
    assertThat(headerNames(given().get("/v1/status/" + someHash)))
        .isEqualTo(headerNames(given().get("/v1/checkpoint")));
    assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(503);
    assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);

    release.countDown();
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    String hex = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int code = 0;
    while (System.nanoTime() < deadline) {
      if (ledger.containsKey("cert.1")) {
        hex = Hex.encode(Sha256.hash((byte[]) ledger.get("cert.1")));
        code = given().get("/v1/status/" + hex).statusCode();
        if (code == 200) {
          break;
        }
      }
      Thread.sleep(200);
    }
    assertThat(code).isEqualTo(200);
    while (System.nanoTime() < deadline
        && !ledger.containsKey("written")
        && !ledger.containsKey("error")) {
      Thread.sleep(200);
    }
    assertThat(ledger.get("error")).as("the late ledger writer's failure").isNull();
    assertThat(ledger.get("written")).as("the late ledger writer finished").isEqualTo(Boolean.TRUE);
    assertThat(given().get("/v1/status/" + hex).jsonPath().getString("status")).isEqualTo("GOOD");
    assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
  }

  private static List<String> headerNames(Response r) {
    return r.headers().asList().stream()
        .map(
            h ->
                h.getName().equalsIgnoreCase("content-length")
                        || h.getName().equalsIgnoreCase("date")
                    ? h.getName()
                    : h.toString())
        .sorted()
        .toList();
  }
}
