package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.Monitored;
import org.ledgerpki.streams.OpsEndpoint;

/**
 * The validator's counters over the health and metrics endpoint, over real HTTP, in front of a
 * validator on a {@code TopologyTestDriver}: verdicts by outcome, rejections by reason and dead
 * letters by kind move as the validator judges.
 */
class ValidatorOpsTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  static String get(OpsEndpoint ops, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  /** The value of sample {@code name} whose labels include each of {@code labels}, or 0 if none. */
  static double sample(String scrape, String name, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    double sum = 0;
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void verdictsRejectionReasonsAndDeadLettersAreCountedOverHttp() throws Exception {
    try (ValidatorHarness h = new ValidatorHarness();
        OpsEndpoint ops =
            OpsEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "validator/operator-b",
                List.of(Monitored.of("validator/operator-b", h.driver::metrics)))) {
      assertThat(get(ops, "/health/live")).contains("\"status\":\"UP\"");
      assertThat(get(ops, "/health/ready")).contains("\"status\":\"UP\"");
      String before = get(ops, "/metrics");
      assertThat(sample(before, "ledgerpki_validator_verdicts_total")).isZero();

      Endorsement good =
          h.judge(
              ValidatorHarness.issue(
                  "vendor-a", TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "amf-1").der()));
      assertThat(good.getVerdict()).isEqualTo(Verdict.ENDORSE);
      Endorsement bad =
          h.judge(
              ValidatorHarness.issue(
                  "vendor-a",
                  TestPki.wrongOrganisation(SignatureAlgorithm.ED25519, "Org operator-c", "x")
                      .der()));
      assertThat(bad.getVerdict()).isEqualTo(Verdict.REJECT);
      List<ReasonCode> reasons = ValidatorHarness.codes(bad);
      assertThat(reasons).isNotEmpty();
      h.pipe("not-a-hash", "not a submission".getBytes(StandardCharsets.UTF_8));
      assertThat(h.deadLetters()).hasSize(1);

      String after = get(ops, "/metrics");
      assertThat(sample(after, "ledgerpki_validator_verdicts_total", "verdict=\"endorse\""))
          .isEqualTo(1.0);
      assertThat(sample(after, "ledgerpki_validator_verdicts_total", "verdict=\"reject\""))
          .isEqualTo(1.0);
      for (ReasonCode code : reasons) {
        assertThat(
                sample(
                    after,
                    "ledgerpki_validator_rejection_reasons_total",
                    "reason=\"" + code.name() + "\""))
            .as("rejections counted under reason %s", code)
            .isEqualTo(reasons.stream().filter(code::equals).count());
      }
      assertThat(
              sample(
                  after,
                  "ledgerpki_validator_dead_letters_total",
                  "reason=\"undecodable\"",
                  "ledger_validator_id=\"operator-b\""))
          .isEqualTo(1.0);
    }
  }
}
