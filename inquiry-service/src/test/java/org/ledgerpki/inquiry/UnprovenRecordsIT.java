package org.ledgerpki.inquiry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * Forgers flood the topics a node reads ({@link Scenarios#flood}): entries continuing the log and
 * status events revoking a GOOD certificate from the first sequence number on, and entries of a log
 * the policy does not name. Those a writer without keys (a mirror's cluster, docs/federation.md)
 * can write carry no log signature: the node refuses them on arrival and holds none of them (ADR
 * 0012). Those signed with the log's own key (a dishonest sequencer, or a thief of its key) pass
 * that check, and the node, on a real broker, holds no more of them than its limits ({@code
 * ledgerpki.inquiry.max-unproven-*}, here 100), pauses the two partitions instead, still becomes
 * ready and serves what the cosigned checkpoints prove, and reads on when a newer checkpoint raises
 * the bound.
 */
@QuarkusTest
@TestProfile(UnprovenRecordsIT.Flood.class)
class UnprovenRecordsIT {
  static final int LIMIT = 100;

  /** The unsigned forgeries of {@link Scenarios#flood}: entries, one for mallory, status events. */
  static final int UNSIGNED = 2 * Scenarios.UNSIGNED + 1;

  /** A profile of its own (another application), with small limits. */
  public static class Flood implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FloodInquiryTestResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "ledgerpki.inquiry.max-unproven-entries", String.valueOf(LIMIT),
          "ledgerpki.inquiry.max-unproven-status-events", String.valueOf(LIMIT));
    }
  }

  @Inject InquiryNode node;

  @ConfigProperty(name = "ledgerpki.policy")
  String policyPath;

  /** Injected by {@link InquiryTestResource}. */
  Map<String, Object> ledger;

  /** Injected by {@link InquiryTestResource}: releasing it writes the checkpoint at size 9. */
  CountDownLatch release;

  private String hex(long index) {
    return Hex.encode(Sha256.hash((byte[]) ledger.get("cert." + index)));
  }

  private StatusVerifier.Verified verified(long index) throws Exception {
    Response r = given().get("/v1/status/" + hex(index));
    assertThat(r.statusCode()).as("index %d", index).isEqualTo(200);
    TrustBundle bundle =
        TrustBundle.fromPolicy(
            TrustPolicyReader.parse(Files.readString(Path.of(policyPath)), policyPath));
    return new StatusVerifier(bundle, Duration.ofMinutes(1))
        .verify(
            StatusAnswer.fromJson(r.asString()),
            (byte[]) ledger.get("cert." + index),
            Instant.now());
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String metrics() {
    return given().get("/q/metrics").asString();
  }

  @Test
  void aFloodOfForgedRecordsIsHeldToTheLimitsAndTheNodeServesWhatIsProven() throws Exception {
    assertThat(node.state().awaitCaughtUp(Duration.ofSeconds(60)))
        .as("paused partitions do not keep the node from being ready")
        .isTrue();
    await("both partitions paused", () -> node.state().pausedPartitions() == 2);
    long pauses = node.state().pauses();
    Response mallory =
        given().get("/v1/status/" + Hex.encode(Sha256.hash((byte[]) ledger.get("mallory"))));
    assertThat(mallory.statusCode())
        .as("the unsigned entry at the next index is not held, not even as pending")
        .isEqualTo(404);
    assertThat(metrics())
        .contains("ledgerpki_inquiry_paused_partitions 2.0")
        .contains("ledgerpki_inquiry_unproven_records{kind=\"entries\"} " + LIMIT + ".0")
        .contains("ledgerpki_inquiry_unproven_records{kind=\"status-events\"} " + LIMIT + ".0")
        .contains("ledgerpki_inquiry_foreign_records_total " + Scenarios.FOREIGN + ".0")
        // Read before the signed ones, refused, and neither held nor counted as unproven.
        // (and the api ledger's forged decisions; its forged landmarks are refused, not unsigned)
        .contains(
            "ledgerpki_inquiry_unsigned_records_total "
                + (UNSIGNED + Scenarios.FORGED_DECISIONS)
                + ".0")
        .contains(
            "ledgerpki_inquiry_refused_records_total "
                + (UNSIGNED + Scenarios.FORGED_DECISIONS + Scenarios.FORGED_LANDMARKS)
                + ".0")
        // 9 real entries, then signed forged ones until 100 lie beyond the checkpoint at size 7.
        .contains("ledgerpki_inquiry_index_entries " + (Scenarios.FIRST_PENDING + LIMIT) + ".0");
    given().get("/q/health/ready").then().statusCode(200);

    StatusVerifier.Verified victim = verified(1);
    assertThat(victim.status()).as("the forged revocations are never served").isEqualTo("GOOD");
    assertThat(victim.checkpoint().checkpoint().size()).isEqualTo(Scenarios.FIRST_PENDING);

    release.countDown();
    await(
        "the real entry 7, behind the forged ones' bound, served GOOD",
        () ->
            given().get("/v1/status/" + hex(Scenarios.FIRST_PENDING)).asString().contains("GOOD"));
    assertThat(ledger).doesNotContainKey("error");
    StatusVerifier.Verified seven = verified(Scenarios.FIRST_PENDING);
    assertThat(seven.status()).isEqualTo("GOOD");
    assertThat(seven.checkpoint().checkpoint().size()).isEqualTo(Scenarios.SIZE);
    await(
        "entries read again up to the new bound, then paused again",
        () -> node.state().pauses() > pauses && node.state().pausedPartitions() == 2);
    assertThat(metrics())
        .contains("ledgerpki_inquiry_unproven_records{kind=\"entries\"} " + LIMIT + ".0")
        .contains("ledgerpki_inquiry_index_entries " + (Scenarios.SIZE + LIMIT) + ".0")
        .contains("ledgerpki_inquiry_unproven_records{kind=\"status-events\"} " + LIMIT + ".0");
    assertThat(verified(1).status()).isEqualTo("GOOD");
  }
}
