package org.ledgerpki.streams;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;

/**
 * The settings every ledger service shares: where Kafka and the schema registry are, the trust
 * policy, the topic layout and the state directory. Each service adds its own settings (its
 * organisation, its key files). The health and metrics endpoint's settings, {@code
 * ledgerpki.http.port} and {@code ledgerpki.http.bind}, are checked when the settings are loaded
 * and read by {@link #httpAddress()}.
 *
 * @param settings all settings, for the service's own keys
 * @param bootstrapServers {@code ledgerpki.kafka.bootstrap}
 * @param registryUrl {@code ledgerpki.registry.url}
 * @param policyFile {@code ledgerpki.policy}
 * @param policy the trust policy, checked
 * @param topicSettings {@code ledgerpki.topics.prefix}, {@code .partitions}, {@code .logs}, {@code
 *     .replication}
 * @param stateDir {@code ledgerpki.state.dir}
 */
public record ServiceConfig(
    Settings settings,
    String bootstrapServers,
    String registryUrl,
    Path policyFile,
    TrustPolicy policy,
    TopicSettings topicSettings,
    Path stateDir) {

  public static final String BOOTSTRAP = "ledgerpki.kafka.bootstrap";
  public static final String REGISTRY = "ledgerpki.registry.url";
  public static final String POLICY = "ledgerpki.policy";
  public static final String PREFIX = "ledgerpki.topics.prefix";
  public static final String PARTITIONS = "ledgerpki.topics.partitions";
  public static final String LOGS = "ledgerpki.topics.logs";
  public static final String REPLICATION = "ledgerpki.topics.replication";
  public static final String STATE_DIR = "ledgerpki.state.dir";

  /**
   * Port of the Streams services' health and metrics endpoint ({@link OpsEndpoint}); 0, the
   * default, serves none.
   */
  public static final String HTTP_PORT = "ledgerpki.http.port";

  /** Address that endpoint listens on (default 127.0.0.1; 0.0.0.0 in a container). */
  public static final String HTTP_BIND = "ledgerpki.http.bind";

  /**
   * How often every Streams application of the service commits its transaction (a duration, 10ms to
   * 60s); unset, each service keeps its own default (100ms). Longer means fewer transactions and
   * transaction markers per record (throughput, and less load on a replicated cluster) at the cost
   * of latency. When set, it wins over a service's own setting (such as {@code
   * ledgerpki.issuance.commit-interval}).
   */
  public static final String COMMIT_INTERVAL = "ledgerpki.streams.commit-interval";

  /** The shared setting names. */
  public static List<String> keys() {
    return List.of(
        BOOTSTRAP,
        REGISTRY,
        POLICY,
        PREFIX,
        PARTITIONS,
        LOGS,
        REPLICATION,
        STATE_DIR,
        HTTP_PORT,
        HTTP_BIND,
        COMMIT_INTERVAL);
  }

  /**
   * Defaults: one partition, one log, replication 1, state under the system temp directory, no
   * health and metrics endpoint (and 127.0.0.1 once a port is set).
   */
  public static Map<String, String> defaults() {
    return Map.of(
        PARTITIONS, "1",
        LOGS, "1",
        REPLICATION, "1",
        STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "ledgerpki-state").toString(),
        HTTP_PORT, "0",
        HTTP_BIND, "127.0.0.1");
  }

  /**
   * Loads the shared settings from a properties file (optional), the environment and overrides.
   *
   * @param serviceKeys the service's own setting names, also read from the environment
   * @throws ConfigException naming the first bad setting
   */
  public static ServiceConfig load(
      Path file,
      Map<String, String> overrides,
      Map<String, String> serviceDefaults,
      List<String> serviceKeys) {
    List<String> all = new ArrayList<>(keys());
    all.addAll(serviceKeys);
    Map<String, String> defaults = new java.util.HashMap<>(defaults());
    defaults.putAll(serviceDefaults);
    Settings s = Settings.load(defaults, file, System.getenv(), overrides, all);
    return from(s);
  }

  /**
   * The commit interval of {@link #COMMIT_INTERVAL} if set, else the service's own default.
   *
   * @throws ConfigException naming the setting if it is not a duration from 10ms to 60s
   */
  public static java.time.Duration commitInterval(Settings s, java.time.Duration serviceDefault) {
    return s.get(COMMIT_INTERVAL).isPresent() ? interval(s, COMMIT_INTERVAL) : serviceDefault;
  }

  /**
   * The commit interval of a service that has its own setting for it: {@link #COMMIT_INTERVAL} if
   * set (the shared setting wins), else {@code serviceKey} if set, else {@code serviceDefault}.
   * Both settings are checked the same way.
   *
   * @param serviceKey the service's own setting, e.g. {@code ledgerpki.validator.commit-interval}
   * @throws ConfigException naming the setting used (and its environment variable) if it is not a
   *     duration from 10ms to 60s
   */
  public static java.time.Duration commitInterval(
      Settings s, String serviceKey, java.time.Duration serviceDefault) {
    if (s.get(COMMIT_INTERVAL).isPresent()) {
      return interval(s, COMMIT_INTERVAL);
    }
    return s.get(serviceKey).isPresent() ? interval(s, serviceKey) : serviceDefault;
  }

  private static java.time.Duration interval(Settings s, String key) {
    java.time.Duration d = s.duration(key);
    if (d.toMillis() < 10 || d.toMillis() > 60_000) {
      throw new ConfigException(
          "setting "
              + key
              + " ("
              + Settings.envName(key)
              + "): must be from 10ms to 60s, found "
              + s.get(key).orElseThrow());
    }
    return d;
  }

  /** Interprets already-loaded settings. */
  public static ServiceConfig from(Settings s) {
    Path policyFile = s.existingFile(POLICY);
    TrustPolicy policy;
    try {
      policy =
          TrustPolicyReader.parse(
              Files.readString(policyFile, StandardCharsets.UTF_8), policyFile.toString());
    } catch (IOException e) {
      throw new ConfigException(
          "setting " + POLICY + ": cannot read " + policyFile + ": " + e.getMessage(), e);
    } catch (PolicyException e) {
      throw new ConfigException("trust policy rejected: " + e.getMessage(), e);
    }
    int replication = s.integer(REPLICATION, 1, 32);
    httpAddress(s); // fail at start-up, before anything touches Kafka
    commitInterval(s, java.time.Duration.ofMillis(100));
    TopicSettings topics =
        new TopicSettings(
            s.get(PREFIX).orElse(""),
            s.integer(PARTITIONS, 1, 10_000),
            s.integer(LOGS, 1, TopicSettings.MAX_LOGS),
            (short) replication,
            replication == 1 ? 1 : replication / 2 + 1);
    return new ServiceConfig(
        s,
        s.require(BOOTSTRAP),
        s.require(REGISTRY),
        policyFile,
        policy,
        topics,
        Path.of(s.require(STATE_DIR)));
  }

  /**
   * Where the health and metrics endpoint listens: {@value #HTTP_BIND} and {@value #HTTP_PORT}, or
   * empty if the port is 0 or unset.
   *
   * @throws ConfigException if the port is not an integer in 0..65535 or the address is not an IP
   *     address or a resolvable host name, naming the setting
   */
  public Optional<InetSocketAddress> httpAddress() {
    return httpAddress(settings);
  }

  private static Optional<InetSocketAddress> httpAddress(Settings s) {
    if (s.get(HTTP_PORT).isEmpty()) {
      return Optional.empty();
    }
    int port = s.integer(HTTP_PORT, 0, 65_535);
    if (port == 0) {
      return Optional.empty();
    }
    String bind = s.get(HTTP_BIND).orElse("127.0.0.1");
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByName(bind), port));
    } catch (UnknownHostException e) {
      throw new ConfigException(
          "setting "
              + HTTP_BIND
              + " (env "
              + Settings.envName(HTTP_BIND)
              + ") = '"
              + bind
              + "': not an IP address or a known host name",
          e);
    }
  }

  /** Opens the registry-backed serdes. */
  public LedgerSerdes openSerdes() {
    return LedgerSerdes.registry(registryUrl);
  }

  /** The topics, with these settings. */
  public Topics topics(LedgerSerdes serdes) {
    return Topics.create(topicSettings, serdes);
  }
}
