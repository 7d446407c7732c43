package org.ledgerpki.issuance;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.KeyFiles;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.OpsEndpoint;
import org.ledgerpki.streams.ServiceConfig;
import org.ledgerpki.streams.ServiceProcess;
import org.ledgerpki.streams.StreamsRuntime;
import org.ledgerpki.streams.policy.PolicyFollower;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuance stream (the consortium's Merkle Tree CA and sequencer), runnable on its own ({@link
 * #main}) or in-process ({@link #start}). Settings, besides the shared ones of {@link
 * ServiceConfig}:
 *
 * <ul>
 *   <li>{@value #LOG_KEY} (env {@code LEDGERPKI_KEYS_LOG}): the log's Ed25519 checkpoint key, a
 *       PKCS#8 PEM file; required by {@link #main};
 *   <li>{@value #LOG_MLDSA_KEY} (env {@code LEDGERPKI_KEYS_LOG_MLDSA}): the log's ML-DSA-44 key, a
 *       PKCS#8 PEM file; required exactly when the policy lists one ({@code log.mldsaKey});
 *   <li>{@value #PUNCTUATE} (default 50ms): how often a checkpoint is considered;
 *   <li>{@value #UNCLAIMED_VERDICTS_TTL} (default 1h, at least 1s): how long the quorum keeps
 *       verdicts on a submission that has not arrived (they go after one to two of these);
 *   <li>{@value #COMMIT_INTERVAL} (default 100ms, 10ms to 60s): how often the transactions commit,
 *       unless the shared {@code ledgerpki.streams.commit-interval} is set, which wins;
 *   <li>{@code ledgerpki.http.port}, {@code ledgerpki.http.bind}: health and metrics ({@link
 *       OpsEndpoint}; off by default).
 * </ul>
 *
 * <p>The checkpoint cadence is the policy's ({@code checkpoints.interval}, {@code .maxBatch}).
 * Kafka Streams runs with exactly-once v2 and {@code application.id = <prefix>ledger-issuance}.
 */
public final class IssuanceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceService.class);

  /** Environment variable naming the properties file when no argument does. */
  public static final String CONFIG_ENV = "LEDGERPKI_CONFIG";

  public static final String LOG_KEY = "ledgerpki.keys.log";
  public static final String LOG_MLDSA_KEY = "ledgerpki.keys.log-mldsa";
  public static final String PUNCTUATE = "ledgerpki.issuance.punctuate";
  public static final String COMMIT_INTERVAL = "ledgerpki.issuance.commit-interval";
  public static final String UNCLAIMED_VERDICTS_TTL = "ledgerpki.issuance.unclaimed-verdicts-ttl";

  /** The application id without the topic prefix. */
  public static final String APPLICATION = "ledger-issuance";

  private static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  private final StreamsRuntime runtime;
  private final LedgerSerdes serdes;
  private final String applicationId;
  private Optional<OpsEndpoint> ops = Optional.empty();

  private IssuanceService(StreamsRuntime runtime, LedgerSerdes serdes, String applicationId) {
    this.runtime = runtime;
    this.serdes = serdes;
    this.applicationId = applicationId;
  }

  /**
   * Runs the issuance stream until the JVM stops ({@link ServiceProcess}: status 70 if its
   * application stopped after an error). Configuration: the properties file named by the first
   * argument, or else by {@value #CONFIG_ENV} (both optional), then {@code LEDGERPKI_*} environment
   * variables. Exits with status 2 on a configuration error, naming the setting.
   */
  public static void main(String[] args) throws Exception {
    IssuanceService service;
    try {
      ServiceConfig config = loadConfig(configFile(args, System.getenv()).orElse(null), Map.of());
      service = start(config, signer(config), options(config.settings()));
    } catch (ConfigException e) {
      System.err.println("issuance-stream: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServiceProcess.run("issuance-stream", service, List.of(service.runtime));
  }

  /**
   * Loads the shared settings and this service's own, with their defaults.
   *
   * @param file a properties file, or null
   * @param overrides settings that win over the file and the environment
   * @throws ConfigException naming the first bad setting
   */
  public static ServiceConfig loadConfig(Path file, Map<String, String> overrides) {
    return ServiceConfig.load(
        file,
        overrides,
        Map.of(PUNCTUATE, "50ms", COMMIT_INTERVAL, "100ms"),
        List.of(LOG_KEY, LOG_MLDSA_KEY, PUNCTUATE, COMMIT_INTERVAL, UNCLAIMED_VERDICTS_TTL));
  }

  /**
   * Reads the log's keys from the files that {@value #LOG_KEY} and {@value #LOG_MLDSA_KEY} name.
   *
   * @throws ConfigException if a file is missing, unreadable, or holds a key of the wrong algorithm
   *     (the message names the setting)
   */
  public static LogSigner signer(ServiceConfig config) {
    Settings s = config.settings();
    KeyPair ed25519 = KeyFiles.read(s.existingFile(LOG_KEY), LOG_KEY);
    KeyPair mlDsa =
        s.optionalFile(LOG_MLDSA_KEY).map(p -> KeyFiles.read(p, LOG_MLDSA_KEY)).orElse(null);
    requireAlgorithm(ed25519, SignatureAlgorithm.ED25519, LOG_KEY);
    if (mlDsa != null) {
      requireAlgorithm(mlDsa, SignatureAlgorithm.ML_DSA_44, LOG_MLDSA_KEY);
    }
    return LogSigner.of(config.policy().log().origin(), ed25519, mlDsa);
  }

  private static void requireAlgorithm(KeyPair key, SignatureAlgorithm want, String setting) {
    SignatureAlgorithm found = SignatureAlgorithm.of(key.getPrivate());
    if (found != want) {
      throw new ConfigException(
          "setting "
              + setting
              + ": the key must be "
              + want.configName()
              + ", found "
              + found.configName());
    }
  }

  /** The tuning in {@code settings}, defaults where a setting is absent. */
  public static IssuanceOptions options(Settings settings) {
    IssuanceOptions o = IssuanceOptions.defaults();
    if (settings.get(PUNCTUATE).isPresent()) {
      Duration d = settings.duration(PUNCTUATE);
      if (d.isZero() || d.isNegative()) {
        throw new ConfigException("setting " + PUNCTUATE + " must be positive, got " + d);
      }
      o = o.withPunctuateEvery(d);
    }
    if (settings.get(UNCLAIMED_VERDICTS_TTL).isPresent()) {
      Duration d = settings.duration(UNCLAIMED_VERDICTS_TTL);
      if (d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigException(
            "setting " + UNCLAIMED_VERDICTS_TTL + " must be at least 1s, got " + d);
      }
      o = o.withUnclaimedVerdictsTtl(d);
    }
    return o;
  }

  /**
   * How often the issuance stream's transactions commit: the shared {@code
   * ledgerpki.streams.commit-interval} if set, else {@value #COMMIT_INTERVAL}, else 100ms.
   *
   * @throws ConfigException naming the setting if it is not a duration from 10ms to 60s
   */
  public static Duration commitInterval(Settings settings) {
    return ServiceConfig.commitInterval(settings, COMMIT_INTERVAL, DEFAULT_COMMIT_INTERVAL);
  }

  /** Starts the issuance stream with the log's keys (for the demo and in-process tests). */
  public static IssuanceService start(ServiceConfig config, LogKeys keys) {
    return start(config, LogSigner.of(keys), options(config.settings()));
  }

  /**
   * Starts the issuance stream with the log's key pairs.
   *
   * @param mlDsa44 null if the policy lists no ML-DSA-44 log key
   */
  public static IssuanceService start(ServiceConfig config, KeyPair ed25519, KeyPair mlDsa44) {
    return start(
        config,
        LogSigner.of(config.policy().log().origin(), ed25519, mlDsa44),
        options(config.settings()));
  }

  /**
   * Checks the keys and the topic layout against the policy, creates the missing ledger topics,
   * builds the topology and starts it. Returns once Kafka Streams is starting; {@code
   * runtime().awaitRunning} waits for it.
   *
   * @throws ConfigException if the keys are not the policy's log keys (naming {@value #LOG_KEY} or
   *     {@value #LOG_MLDSA_KEY}) or the sequencing topic has no partition for the log ({@code
   *     ledgerpki.topics.logs}); nothing has touched Kafka then
   */
  public static IssuanceService start(
      ServiceConfig config, LogSigner signer, IssuanceOptions options) {
    TrustPolicy policy = config.policy();
    TrustPolicy.LogIdentity log = policy.log();
    List<String> mismatches = signer.mismatches(log);
    if (!mismatches.isEmpty()) {
      throw new ConfigException(
          "settings "
              + LOG_KEY
              + " / "
              + LOG_MLDSA_KEY
              + ": the log keys are not those of the trust policy "
              + config.policyFile()
              + ": "
              + String.join("; ", mismatches));
    }
    if (log.number() > config.topicSettings().logs()) {
      throw new ConfigException(
          "setting "
              + ServiceConfig.LOGS
              + " = "
              + config.topicSettings().logs()
              + ": the policy's log number "
              + log.number()
              + " needs at least "
              + log.number()
              + " partitions of the sequencing topic (one per log)");
    }
    String appId = config.topicSettings().prefix() + APPLICATION;
    // The shared ledgerpki.streams.commit-interval, when set, wins (ServiceConfig.commitInterval).
    Duration commit = commitInterval(config.settings());
    LedgerSerdes serdes = config.openSerdes();
    try {
      Topics topics = config.topics(serdes);
      LOG.info(
          "issuance stream (MTC CA {}, log {}, origin {}) starting: policy '{}' serial {} from {}, "
              + "k={} of {} validators, checkpoints every {} or {} entries, signed with Ed25519{}",
          log.caId(),
          log.number(),
          log.origin(),
          policy.consortium(),
          policy.serial(),
          config.policyFile(),
          policy.endorsementQuorum(),
          policy.validatorCount(),
          millis(policy.checkpointInterval()),
          policy.checkpointMaxBatch(),
          signer.hasMlDsa() ? " and ML-DSA-44" : "");
      LOG.info("issuance stream: log key {}", signer.vkey());
      LOG.info(
          "issuance stream: reads {} and {}, writes {}; sequences through {} ({} partitions, log "
              + "{} on partition {}); publishes {} and {}; dead letters to {}; application.id {}, "
              + "commit every {}",
          topics.submissions().name(),
          topics.endorsements().name(),
          topics.decisions().name(),
          topics.sequence().name(),
          topics.sequence().partitions(),
          log.number(),
          log.number() - 1,
          topics.entries().name(),
          topics.checkpoints().name(),
          topics.dlq().name(),
          appId,
          millis(commit));
      StreamsRuntime.provision(config, topics);
      // The policy history from ledger.policy, so that the quorum decides with the policy it had
      // before a restart from its first record on (governance rebuilds the same from its store).
      PolicyHolder holder = PolicyHolder.genesis(policy);
      try (PolicyFollower f =
          PolicyFollower.of(config, topics.policy(), holder, IssuanceTopology.SERVICE)) {
        f.catchUp(Duration.ofSeconds(60));
      }
      StreamsRuntime rt =
          StreamsRuntime.start(
              IssuanceTopology.SERVICE,
              IssuanceTopology.build(holder, topics, signer, Clock.systemUTC(), options),
              StreamsRuntime.properties(config, appId, commit, options.punctuateEvery()));
      IssuanceService service = new IssuanceService(rt, serdes, appId);
      try {
        service.ops = OpsEndpoint.serve(config, IssuanceTopology.SERVICE, List.of(rt));
      } catch (RuntimeException e) {
        rt.close();
        throw e;
      }
      return service;
    } catch (RuntimeException e) {
      serdes.close();
      throw e;
    }
  }

  public StreamsRuntime runtime() {
    return runtime;
  }

  public String applicationId() {
    return applicationId;
  }

  /** The health and metrics endpoint, if {@code ledgerpki.http.port} configures one. */
  public Optional<OpsEndpoint> ops() {
    return ops;
  }

  /**
   * The issuance stream's own counters (group {@value IssuanceTopology#METRICS_GROUP}), by metric
   * name; see docs/issuance-stream.md.
   */
  public Map<MetricName, Metric> metrics() {
    Map<MetricName, Metric> out = new LinkedHashMap<>();
    runtime
        .streams()
        .metrics()
        .forEach(
            (name, metric) -> {
              if (name.group().equals(IssuanceTopology.METRICS_GROUP)) {
                out.put(name, metric);
              }
            });
    return out;
  }

  /** The sum over tasks of counter {@code event} (e.g. {@code endorsements-duplicate}). */
  public double counter(String event) {
    return metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(event + "-total"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  /**
   * Stops Kafka Streams, committing what was processed, and releases the registry client. The
   * instance leaves its consumer group, so that another instance takes its logs over at once
   * instead of after the session timeout.
   */
  @Override
  public void close() {
    ops.ifPresent(OpsEndpoint::close);
    try {
      runtime.close();
    } finally {
      serdes.close();
    }
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  /** The properties file named by {@code args} or {@value #CONFIG_ENV}, if any. */
  static Optional<Path> configFile(String[] args, Map<String, String> env) {
    String file = args.length > 0 ? args[0] : env.get(CONFIG_ENV);
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
  }
}
