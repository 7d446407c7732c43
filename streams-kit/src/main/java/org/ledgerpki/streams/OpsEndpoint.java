package org.ledgerpki.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.ledgerpki.schemas.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Streams service's health and Prometheus metrics over HTTP, like the inquiry node's:
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while every application of the process is {@link
 *       Monitored#live live} (not stopped by an error), else 503;
 *   <li>{@code GET /health/ready}: 200 once every application is {@link Monitored#ready ready}
 *       (RUNNING, its stores restored), else 503; both answer JSON {@code {"status":"UP"|"DOWN",
 *       "checks":[{"name","status","state"}]}};
 *   <li>{@code GET /metrics}: the Prometheus text format (0.0.4): the services' own counters (Kafka
 *       metric groups starting with {@value #LEDGER_GROUP_PREFIX}, as {@code ledgerpki_*}), Kafka
 *       Streams' and its clients' metrics through Micrometer's {@link KafkaStreamsMetrics} ({@code
 *       kafka_*}, among them the consumer lag {@code kafka_consumer_fetch_manager_records_lag}),
 *       {@code ledgerpki_streams_ready} and {@code ledgerpki_streams_restoring_partitions} per
 *       application, and the JVM's.
 * </ul>
 *
 * <p>Kafka metric {@code <name>-total} in group {@code ledger-<x>[-metrics]} becomes the counter
 * {@code ledgerpki_<x>_<name>_total}; any other metric of such a group, the gauge {@code
 * ledgerpki_<x>_<name>} ('-' becomes '_'); its Kafka tags become labels, with {@code application}.
 * They are read at every scrape, so a counter created on its first event is published at once;
 * Kafka's own metrics are re-listed by {@link KafkaStreamsMetrics} once a minute.
 *
 * <p>Every meter has the label {@code service} (e.g. {@code validator/operator-b}). Nothing secret
 * is published, but the endpoint has no authentication: bind it where only the monitoring can reach
 * it.
 */
public final class OpsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsEndpoint.class);

  /** Kafka metric groups starting with this are the services' own. */
  public static final String LEDGER_GROUP_PREFIX = "ledger-";

  /** The content type of {@code /metrics}. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final String service;
  private final List<? extends Monitored> apps;
  private final PrometheusMeterRegistry registry;
  private final List<KafkaStreamsMetrics> kafkaBinders = new ArrayList<>();

  /** The ledger meters registered, empty where registering failed (not tried again). */
  private final Map<MetricKey, Optional<Meter>> ledgerMeters = new HashMap<>();

  private final HttpServer server;
  private final ExecutorService executor;

  private record MetricKey(String application, MetricName name) {}

  private OpsEndpoint(String service, List<? extends Monitored> apps, InetSocketAddress address)
      throws IOException {
    this.service = service;
    this.apps = List.copyOf(apps);
    // First: a port that is taken fails before anything else is made.
    this.server = HttpServer.create(address, 16);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", service);
    // The ledger groups are published by syncLedgerMeters, with their own names; the Kafka
    // binder would publish them a second time (as kafka_ledger_*), a minute late.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.ledger."));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (Monitored app : this.apps) {
      Tags tags = Tags.of("application", app.name());
      Gauge.builder("ledgerpki.streams.ready", app, a -> a.ready() ? 1 : 0)
          .tags(tags)
          .description("1 when the application is RUNNING with its stores restored, else 0")
          .register(registry);
      if (app instanceof StreamsRuntime rt) {
        Gauge.builder("ledgerpki.streams.restoring.partitions", rt, r -> r.restoringPartitions())
            .tags(tags)
            .description("Store partitions being restored from their changelogs")
            .register(registry);
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(rt.streams(), tags);
        binder.bindTo(registry);
        kafkaBinders.add(binder);
      }
    }
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ops-http-" + service);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/health/live", ex -> health(ex, Monitored::live));
    server.createContext("/health/ready", ex -> health(ex, Monitored::ready));
    server.createContext("/metrics", this::metrics);
    server.createContext("/", ex -> answer(ex, 404, "text/plain; charset=utf-8", "not found\n"));
    server.start();
  }

  /**
   * Serves the health and metrics of {@code apps} where {@code config} says ({@value
   * ServiceConfig#HTTP_PORT}, {@value ServiceConfig#HTTP_BIND}); nothing if the port is 0. The one
   * call a Streams service makes.
   *
   * @param service the service's name, e.g. {@code validator/operator-b}
   * @param apps the process's Kafka Streams applications
   * @return the endpoint, which the service closes with itself; empty if none is configured
   * @throws ConfigException if the address cannot be listened on (e.g. the port is taken), naming
   *     the setting
   */
  public static Optional<OpsEndpoint> serve(
      ServiceConfig config, String service, List<? extends Monitored> apps) {
    Optional<InetSocketAddress> address = config.httpAddress();
    if (address.isEmpty()) {
      LOG.info(
          "{}: no health and metrics endpoint ({} is 0 or unset)",
          service,
          ServiceConfig.HTTP_PORT);
      return Optional.empty();
    }
    try {
      return Optional.of(start(address.get(), service, apps));
    } catch (IOException e) {
      throw new ConfigException(
          "settings "
              + ServiceConfig.HTTP_BIND
              + " / "
              + ServiceConfig.HTTP_PORT
              + ": cannot listen on "
              + address.get()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Serves the health and metrics of {@code apps} on {@code address} (port 0: any free port, for
   * tests; see {@link #port}).
   *
   * @throws IOException if the address cannot be listened on
   */
  public static OpsEndpoint start(
      InetSocketAddress address, String service, List<? extends Monitored> apps)
      throws IOException {
    OpsEndpoint e = new OpsEndpoint(service, apps, address);
    LOG.info(
        "{}: health on http://{}:{}/health/live and /health/ready, metrics on /metrics",
        service,
        e.server.getAddress().getAddress().getHostAddress(),
        e.port());
    return e;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The Prometheus text the {@code /metrics} endpoint answers now. */
  public String scrape() {
    synchronized (ledgerMeters) {
      syncLedgerMeters();
      return registry.scrape();
    }
  }

  private void health(HttpExchange ex, Predicate<Monitored> up) throws IOException {
    if (!accept(ex)) {
      return;
    }
    boolean all = true;
    StringBuilder checks = new StringBuilder();
    for (Monitored app : apps) {
      boolean ok = up.test(app);
      all &= ok;
      if (checks.length() > 0) {
        checks.append(',');
      }
      checks
          .append("{\"name\":")
          .append(json(app.name()))
          .append(",\"status\":\"")
          .append(ok ? "UP" : "DOWN")
          .append("\",\"state\":")
          .append(json(app.state()))
          .append('}');
    }
    String body =
        "{\"status\":\""
            + (all ? "UP" : "DOWN")
            + "\",\"service\":"
            + json(service)
            + ",\"checks\":["
            + checks
            + "]}\n";
    answer(ex, all ? 200 : 503, "application/json", body);
  }

  private void metrics(HttpExchange ex) throws IOException {
    if (!accept(ex)) {
      return;
    }
    String body;
    try {
      body = scrape();
    } catch (RuntimeException e) {
      LOG.warn("{}: metrics scrape failed: {}", service, e.toString());
      answer(ex, 500, "text/plain; charset=utf-8", "scrape failed: " + e + "\n");
      return;
    }
    answer(ex, 200, PROMETHEUS_TEXT, body);
  }

  /** Registers the ledger metrics that appeared since the last scrape; drops those that went. */
  private void syncLedgerMeters() {
    Set<MetricKey> seen = new HashSet<>();
    for (Monitored app : apps) {
      for (Map.Entry<MetricName, ? extends Metric> e : app.metrics().entrySet()) {
        MetricName n = e.getKey();
        if (!n.group().startsWith(LEDGER_GROUP_PREFIX)) {
          continue;
        }
        MetricKey key = new MetricKey(app.name(), n);
        seen.add(key);
        if (!ledgerMeters.containsKey(key)) {
          ledgerMeters.put(key, register(app.name(), n, e.getValue()));
        }
      }
    }
    ledgerMeters
        .entrySet()
        .removeIf(
            e -> {
              if (seen.contains(e.getKey())) {
                return false;
              }
              e.getValue().ifPresent(registry::remove);
              return true;
            });
  }

  private Optional<Meter> register(String application, MetricName n, Metric metric) {
    try {
      return Optional.of(meter(application, n, metric));
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot publish Kafka metric {}: {}", service, n, e.toString());
      return Optional.empty();
    }
  }

  private Meter meter(String application, MetricName n, Metric metric) {
    String group = n.group().substring(LEDGER_GROUP_PREFIX.length());
    if (group.endsWith("-metrics")) {
      group = group.substring(0, group.length() - "-metrics".length());
    }
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.of("application", application));
    n.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
    String description =
        n.description() == null || n.description().isBlank() ? null : n.description();
    if (n.name().endsWith("-total")) {
      String name = n.name().substring(0, n.name().length() - "-total".length());
      return FunctionCounter.builder(meterName(group, name), metric, OpsEndpoint::value)
          .tags(tags)
          .description(description)
          .register(registry);
    }
    return Gauge.builder(meterName(group, n.name()), metric, OpsEndpoint::value)
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private static String meterName(String group, String name) {
    return ("ledgerpki." + group + "." + name).replace('-', '.');
  }

  private static double value(Metric m) {
    return m.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Whether to answer: the exact path of the context (not a longer one), GET or HEAD. */
  private static boolean accept(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
      answer(ex, 404, "text/plain; charset=utf-8", "not found\n");
      return false;
    }
    String m = ex.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().add("Allow", "GET, HEAD");
    answer(ex, 405, "text/plain; charset=utf-8", "method " + m + " not allowed\n");
    return false;
  }

  private static void answer(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Stops serving and releases the meters. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    kafkaBinders.forEach(KafkaStreamsMetrics::close);
    registry.close();
  }
}
