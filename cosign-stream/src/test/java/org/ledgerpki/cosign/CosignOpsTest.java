package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.streams.Monitored;
import org.ledgerpki.streams.OpsEndpoint;

/**
 * A cosign-stream's health and metrics endpoint, over real HTTP, in front of its cosigner and its
 * aggregator instance on {@code TopologyTestDriver}s: one endpoint answers for both applications,
 * and the cosignatures made, the refusals by reason and the seconds since the last cosignature move
 * as the cosigner works.
 */
class CosignOpsTest {
  private static final long T0 = 1_772_366_400_000L;
  private static final String AGE = "ledgerpki_cosigner_cosigned_checkpoint_age_seconds";

  @TempDir Path stateDir;

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
  void cosignaturesRefusalsAndTheirAgeAreServedForBothApplications() throws Exception {
    try (CosignHarness h =
            new CosignHarness(
                TestLedger.TC.policy(), stateDir, List.of(TestLedger.TC.member("operator-b")));
        OpsEndpoint ops =
            OpsEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "cosign-stream/operator-b",
                List.of(
                    Monitored.of("cosigner/operator-b", h.cosigner("operator-b").driver::metrics),
                    Monitored.of("aggregator/operator-b", h.aggregator.driver::metrics)))) {
      CosignHarness.Cosigner b = h.cosigner("operator-b");
      assertThat(get(ops, "/health/ready"))
          .contains("\"name\":\"cosigner/operator-b\"")
          .contains("\"name\":\"aggregator/operator-b\"");

      TestLedger ledger = new TestLedger();
      ledger.add(3);
      h.entries(ledger.entries());
      h.checkpoint(ledger.checkpoint(T0));
      assertThat(b.cosignatures.readValuesToList()).isNotEmpty();
      b.driver.advanceWallClockTime(Duration.ofSeconds(3));
      String cosigned = get(ops, "/metrics");
      assertThat(
              sample(
                  cosigned,
                  "ledgerpki_cosigner_cosigned_checkpoints_total",
                  "application=\"cosigner/operator-b\"",
                  "ledger_cosigner_id=\"operator-b\""))
          .isEqualTo(1.0);
      assertThat(sample(cosigned, AGE))
          .as("seconds since the cosignature, on the driver's clock")
          .isBetween(2.9, 3.3);

      // An entry that is not its certificate's encoding taints the log: refused, by reason.
      byte[] cert = ledger.newCertificate();
      byte[] other = ledger.newCertificate();
      ledger.append(
          ledger.entry(
              ledger.size(),
              TestLedger.mtcEntry(other),
              cert,
              TestLedger.endorsements(cert, "vendor-a", "operator-b")));
      h.entries(ledger.entries().subList(ledger.entries().size() - 1, ledger.entries().size()));
      h.checkpoint(ledger.checkpoint(T0 + 1000));
      assertThat(b.cosignatures.readValuesToList()).isEmpty();
      String refused = get(ops, "/metrics");
      assertThat(
              sample(refused, "ledgerpki_cosigner_refused_checkpoints_total", "reason=\"tainted\""))
          .isEqualTo(1.0);
      assertThat(sample(refused, "ledgerpki_cosigner_cosigned_checkpoints_total")).isEqualTo(1.0);
      assertThat(sample(refused, AGE)).as("no newer cosignature").isGreaterThanOrEqualTo(2.9);
    }
  }
}
