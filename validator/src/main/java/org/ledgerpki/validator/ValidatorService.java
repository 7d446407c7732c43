package org.ledgerpki.validator;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
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
 * A member organisation's validator node, runnable on its own ({@link #main}) or in-process ({@link
 * #start}). Settings, besides the shared ones of {@link ServiceConfig}: {@code ledgerpki.org} (the
 * member id) and {@code ledgerpki.keys.endorsement} (its PKCS#8 PEM endorsement key); {@code
 * ledgerpki.validator.max-batch} and {@code .linger} tune batching; {@value #COMMIT_INTERVAL}
 * (default 100ms, 10ms to 60s) is how often its transactions commit, unless the shared {@code
 * ledgerpki.streams.commit-interval} is set, which wins; {@code ledgerpki.http.port} serves health
 * and metrics ({@link OpsEndpoint}).
 */
public final class ValidatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

  public static final String ORG = "ledgerpki.org";
  public static final String KEY = "ledgerpki.keys.endorsement";
  public static final String MAX_BATCH = "ledgerpki.validator.max-batch";
  public static final String LINGER = "ledgerpki.validator.linger";
  public static final String COMMIT_INTERVAL = "ledgerpki.validator.commit-interval";

  /** The commit interval when neither {@value #COMMIT_INTERVAL} nor the shared one is set. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  private final StreamsRuntime runtime;
  private final LedgerSerdes serdes;
  private final Optional<OpsEndpoint> ops;

  private ValidatorService(StreamsRuntime runtime, LedgerSerdes serdes, Optional<OpsEndpoint> ops) {
    this.runtime = runtime;
    this.serdes = serdes;
    this.ops = ops;
  }

  /**
   * Runs a validator until the JVM stops ({@link ServiceProcess}: status 70 if its application
   * stopped after an error). Arguments: an optional properties file; environment variables override
   * it (for example {@code LEDGERPKI_ORG}).
   */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    ServiceConfig config;
    ValidatorService service;
    try {
      config =
          ServiceConfig.load(
              file,
              Map.of(),
              Map.of(MAX_BATCH, "512", LINGER, "20ms"),
              List.of(ORG, KEY, MAX_BATCH, LINGER, COMMIT_INTERVAL));
      String org = config.settings().require(ORG);
      KeyPair key = KeyFiles.read(config.settings().existingFile(KEY), KEY);
      ValidatorOptions options =
          new ValidatorOptions(
              config.settings().integer(MAX_BATCH, 1, 100_000), config.settings().duration(LINGER));
      service = start(config, org, key, options);
    } catch (ConfigException e) {
      System.err.println("validator: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServiceProcess.run("validator", service, List.of(service.runtime));
  }

  /**
   * Starts a validator for member {@code org} with its endorsement key.
   *
   * @throws ConfigException if the member is unknown, is not a validator, or the key is not one of
   *     its endorsement keys in the policy
   */
  public static ValidatorService start(
      ServiceConfig config, String org, KeyPair key, ValidatorOptions options) {
    // A bad value fails here, before anything touches Kafka.
    Duration commit = commitInterval(config.settings());
    LedgerSerdes serdes = config.openSerdes();
    try {
      return start(config, org, key, options, commit, serdes);
    } catch (RuntimeException e) {
      serdes.close();
      throw e;
    }
  }

  private static ValidatorService start(
      ServiceConfig config,
      String org,
      KeyPair key,
      ValidatorOptions options,
      Duration commit,
      LedgerSerdes serdes) {
    Topics topics = config.topics(serdes);
    StreamsRuntime.provision(config, topics);
    // The newest policy on the ledger decides who this member is now (admitted, rotated key).
    PolicyHolder holder = PolicyHolder.genesis(config.policy());
    try (PolicyFollower f =
        PolicyFollower.of(config, topics.policy(), holder, "validator/" + org)) {
      f.catchUp(Duration.ofSeconds(60));
    }
    TrustPolicy policy = holder.latest();
    TrustPolicy.Member member =
        policy
            .member(org)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "setting "
                            + ORG
                            + " = "
                            + org
                            + ": not a member of "
                            + policy.consortium()));
    if (!member.has(Role.VALIDATOR)) {
      throw new ConfigException(
          "setting " + ORG + " = " + org + ": this member has no validator role in the policy");
    }
    if (!member.endorsementKeys().contains(key.getPublic())) {
      throw new ConfigException(
          "setting "
              + KEY
              + ": this key is not an endorsement key of '"
              + org
              + "' in the policy (serial "
              + policy.serial()
              + ", genesis "
              + config.policyFile()
              + ")");
    }
    String appId = config.topicSettings().prefix() + "ledger-validator-" + org;
    LOG.info(
        "validator of '{}' ({}) starting: policy {} serial {} from {}, profile {}, k={} of {} validators",
        org,
        member.name(),
        policy.consortium(),
        policy.serial(),
        config.policyFile(),
        policy.profile().configName(),
        policy.endorsementQuorum(),
        policy.validatorCount());
    LOG.info(
        "validator of '{}': reads {}, writes {} and {}, application.id {}, batches of up to {} signed every {}",
        org,
        topics.submissions().name(),
        topics.endorsements().name(),
        topics.dlq().name(),
        appId,
        options.maxBatch(),
        options.linger());
    BatchSigner signer = new BatchSigner(org, key.getPrivate(), key.getPublic());
    StreamsRuntime rt =
        StreamsRuntime.start(
            "validator/" + org,
            ValidatorTopology.build(holder, topics, signer, Clock.systemUTC(), options),
            StreamsRuntime.properties(config, appId, commit, options.linger()));
    try {
      return new ValidatorService(rt, serdes, OpsEndpoint.serve(config, rt.name(), List.of(rt)));
    } catch (RuntimeException e) {
      rt.close();
      serdes.close();
      throw e;
    }
  }

  /**
   * How often the validator's transactions commit: the shared {@code
   * ledgerpki.streams.commit-interval} if set, else {@value #COMMIT_INTERVAL}, else {@link
   * #DEFAULT_COMMIT_INTERVAL}.
   *
   * @throws ConfigException naming the setting if it is not a duration from 10ms to 60s
   */
  public static Duration commitInterval(Settings settings) {
    return ServiceConfig.commitInterval(settings, COMMIT_INTERVAL, DEFAULT_COMMIT_INTERVAL);
  }

  public StreamsRuntime runtime() {
    return runtime;
  }

  /** The health and metrics endpoint, if {@code ledgerpki.http.port} configures one. */
  public Optional<OpsEndpoint> ops() {
    return ops;
  }

  @Override
  public void close() {
    ops.ifPresent(OpsEndpoint::close);
    runtime.close();
    serdes.close();
  }
}
