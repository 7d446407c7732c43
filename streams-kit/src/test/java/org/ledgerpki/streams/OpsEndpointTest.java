package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.streams.metrics.SecondsSince;

/**
 * {@link OpsEndpoint} over real HTTP, in front of an application whose health the test sets and
 * whose Kafka metrics it records: the health answers follow the application, and the ledger
 * counters are published under their {@code ledgerpki_*} names and move.
 */
class OpsEndpointTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** An application whose health and metrics the test controls. */
  static final class FakeApp implements Monitored {
    final Metrics metrics = new Metrics();
    volatile boolean live = true;
    volatile boolean ready = false;

    @Override
    public String name() {
      return "fake/\"org\"";
    }

    @Override
    public String state() {
      return ready ? "RUNNING" : "REBALANCING";
    }

    @Override
    public boolean live() {
      return live;
    }

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
      return metrics.metrics();
    }

    Sensor counter(String group, String name, Map<String, String> tags) {
      Sensor s = metrics.sensor(group + "." + name + "." + tags);
      s.add(new MetricName(name, group, "a test counter", tags), new CumulativeSum());
      return s;
    }
  }

  FakeApp app;
  OpsEndpoint ops;

  @BeforeEach
  void start() throws Exception {
    app = new FakeApp();
    ops =
        OpsEndpoint.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "test-service",
            List.of(app));
  }

  @AfterEach
  void stop() {
    ops.close();
    app.metrics.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample line {@code name{...}} whose labels include {@code labels}. */
  static double sample(String scrape, String name, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no sample " + name + " with " + List.of(labels) + " in:\n" + scrape);
  }

  @Test
  void readinessFollowsTheApplicationAndLivenessStaysUp() throws Exception {
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).as("live while the application is").isEqualTo(200);
    assertThat(live.body()).contains("\"status\":\"UP\"").contains("\"name\":\"fake/\\\"org\\\"\"");
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).as("not ready while rebalancing").isEqualTo(503);
    assertThat(notReady.body()).contains("\"status\":\"DOWN\"").contains("REBALANCING");

    app.ready = true;
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"UP\"").contains("RUNNING");
    assertThat(sample(get("/metrics").body(), "ledgerpki_streams_ready", "application=\"fake/"))
        .isEqualTo(1.0);

    app.live = false;
    HttpResponse<String> dead = get("/health/live");
    assertThat(dead.statusCode())
        .as("an application stopped by an error is not live")
        .isEqualTo(503);
    assertThat(dead.body()).contains("\"status\":\"DOWN\"");
  }

  @Test
  void ledgerCountersArePublishedAndMoveAndOthersAreNotRenamed() throws Exception {
    Sensor accepted = app.counter("ledger-test", "decisions-total", Map.of("outcome", "accepted"));
    app.counter("some-kafka-group", "records-total", Map.of());
    HttpResponse<String> first = get("/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue(OpsEndpoint.PROMETHEUS_TEXT);
    assertThat(
            sample(
                first.body(),
                "ledgerpki_test_decisions_total",
                "outcome=\"accepted\"",
                "service=\"test-service\""))
        .isEqualTo(0.0);
    assertThat(first.body()).doesNotContain("records_total").contains("jvm_memory_used_bytes");

    accepted.record(1);
    accepted.record(1);
    // A counter created on its first event (a new reason) is published by the next scrape.
    app.counter("ledger-test-metrics", "refusals-total", Map.of("reason", "stale")).record(1);
    String second = get("/metrics").body();
    assertThat(sample(second, "ledgerpki_test_decisions_total", "outcome=\"accepted\""))
        .isEqualTo(2.0);
    assertThat(sample(second, "ledgerpki_test_refusals_total", "reason=\"stale\""))
        .as("group ledger-test-metrics is published without its -metrics suffix")
        .isEqualTo(1.0);
  }

  @Test
  void anAgeIsNanUntilTheFirstEventThenSecondsSinceIt() throws Exception {
    Sensor signed = app.metrics.sensor("signed");
    signed.add(
        new MetricName("checkpoint-age-seconds", "ledger-test", "since signed", Map.of()),
        new SecondsSince());
    assertThat(sample(get("/metrics").body(), "ledgerpki_test_checkpoint_age_seconds")).isNaN();
    signed.record();
    double age = sample(get("/metrics").body(), "ledgerpki_test_checkpoint_age_seconds");
    assertThat(age).isBetween(0.0, 5.0);
  }

  @Test
  void onlyGetAndHeadAnswerAndUnknownPathsAre404() throws Exception {
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/health/liveness").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/x").statusCode()).isEqualTo(404);
  }
}
