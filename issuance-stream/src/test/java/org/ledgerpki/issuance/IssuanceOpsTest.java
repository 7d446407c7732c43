package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.streams.Monitored;
import org.ledgerpki.streams.OpsEndpoint;

/**
 * The issuance stream's counters and checkpoint age over the health and metrics endpoint, over real
 * HTTP, in front of the topology on a {@code TopologyTestDriver} (whose metrics run on the driver's
 * wall clock, so the age follows {@code advance}).
 */
class IssuanceOpsTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static final String AGE = "ledgerpki_issuance_checkpoint_signed_age_seconds";

  static String get(OpsEndpoint ops, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  /** The sum of the samples {@code name} whose labels include each of {@code labels}. */
  static double sample(String scrape, String name, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertThat(found).as("a sample %s with %s in:%n%s", name, List.of(labels), scrape).isTrue();
    return sum;
  }

  @Test
  void decisionsCheckpointsAndTheCheckpointAgeAreServedOverHttp() throws Exception {
    TrustPolicy policy =
        TestPolicies.check(
            TestPolicies.checkpoints(TestPolicies.base(), "200ms", 1000, "5s", "20s"));
    try (Harness h = new Harness(policy);
        OpsEndpoint ops =
            OpsEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                IssuanceTopology.SERVICE,
                List.of(Monitored.of(IssuanceTopology.SERVICE, h.driver::metrics)))) {
      assertThat(get(ops, "/health/ready")).contains("\"status\":\"UP\"");
      assertThat(sample(get(ops, "/metrics"), AGE)).as("no checkpoint signed yet").isNaN();

      h.admit(TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "ops-1").der());
      h.advance(Duration.ofMillis(250));
      assertThat(h.checkpoints.readValuesToList()).hasSize(1);
      h.advance(Duration.ofSeconds(4));
      String quiet = get(ops, "/metrics");
      assertThat(sample(quiet, "ledgerpki_issuance_decisions_accepted_total")).isEqualTo(1.0);
      assertThat(sample(quiet, "ledgerpki_issuance_checkpoints_published_total")).isEqualTo(1.0);
      assertThat(sample(quiet, AGE, "processor=\"" + IssuanceTopology.CHECKPOINT + "\""))
          .as("seconds since the checkpoint, on the driver's clock")
          .isBetween(3.9, 4.3);

      h.advance(Duration.ofMillis(1100));
      assertThat(h.checkpoints.readValuesToList()).as("the heartbeat").hasSize(1);
      String beat = get(ops, "/metrics");
      assertThat(sample(beat, "ledgerpki_issuance_checkpoint_heartbeats_total")).isEqualTo(1.0);
      assertThat(sample(beat, AGE)).as("a heartbeat is a signed checkpoint too").isLessThan(1.2);
    }
  }
}
