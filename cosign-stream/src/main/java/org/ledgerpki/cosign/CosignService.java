package org.ledgerpki.cosign;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.aggregator.AggregatorTopology;
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
 * A member organisation's cosign-stream: its cosigner ({@link CosignerTopology}) and an instance of
 * the shared aggregator ({@link AggregatorTopology}), as two Kafka Streams applications in one
 * process. Runnable on its own ({@link #main}) or in-process ({@link #start}).
 *
 * <p>Settings, besides the shared ones of {@link ServiceConfig}:
 *
 * <ul>
 *   <li>{@code ledgerpki.org} ({@code LEDGERPKI_ORG}): the member id; required, and the member must
 *       have the cosigner role in the trust policy.
 *   <li>{@code ledgerpki.keys.cosigner-ed25519}: PKCS#8 PEM file of the Ed25519 {@code
 *       cosignature/v1} key; required, and it must be the key of the policy's {@code
 *       cosigner.ed25519} vkey.
 *   <li>{@code ledgerpki.keys.cosigner-mldsa44}: PKCS#8 PEM file of the ML-DSA-44 {@code
 *       subtree/v1} key; optional (without it the cosigner signs neither subtrees for standalone
 *       certificates nor landmarks), and if given it must be the key of the policy's {@code
 *       cosigner.mldsa44} vkey.
 *   <li>{@value #COMMIT_INTERVAL} (default 100ms, 10ms to 60s): how often the cosigner's and the
 *       aggregator's transactions commit, unless the shared {@code
 *       ledgerpki.streams.commit-interval} is set, which wins.
 *   <li>{@code ledgerpki.http.port}, {@code ledgerpki.http.bind}: one health and metrics endpoint
 *       for both applications ({@link OpsEndpoint}; off by default).
 * </ul>
 */
public final class CosignService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CosignService.class);

  public static final String ORG = "ledgerpki.org";
  public static final String ED25519_KEY = "ledgerpki.keys.cosigner-ed25519";
  public static final String MLDSA_KEY = "ledgerpki.keys.cosigner-mldsa44";
  public static final String COMMIT_INTERVAL = "ledgerpki.cosign.commit-interval";

  /** The commit interval when neither {@value #COMMIT_INTERVAL} nor the shared one is set. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

  /** The settings this service reads besides the shared ones. */
  public static final List<String> KEYS = List.of(ORG, ED25519_KEY, MLDSA_KEY, COMMIT_INTERVAL);

  private final StreamsRuntime cosigner;
  private final StreamsRuntime aggregator;
  private final LedgerSerdes serdes;
  private final Optional<OpsEndpoint> ops;
  private PolicyFollower follower;

  private CosignService(
      StreamsRuntime cosigner,
      StreamsRuntime aggregator,
      LedgerSerdes serdes,
      Optional<OpsEndpoint> ops) {
    this.cosigner = cosigner;
    this.aggregator = aggregator;
    this.serdes = serdes;
    this.ops = ops;
  }

  /**
   * Runs a cosign-stream until the JVM stops ({@link ServiceProcess}: status 70 if one of its
   * applications stopped after an error). Arguments: an optional properties file; environment
   * variables override it (for example {@code LEDGERPKI_ORG}). Exits with status 2 on a
   * configuration error, naming the setting.
   */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    CosignService service;
    try {
      ServiceConfig config = ServiceConfig.load(file, Map.of(), Map.of(), KEYS);
      // The keys are checked against the policy in force on ledger.policy, not the genesis file:
      // a member admitted later, or one whose cosigner key was rotated, starts the same way.
      service = start(config, policy -> memberKeys(config, policy));
    } catch (ConfigException e) {
      System.err.println("cosign-stream: " + e.getMessage());
      System.exit(2);
      return;
    }
    ServiceProcess.run("cosign-stream", service, List.of(service.cosigner, service.aggregator));
  }

  /**
   * How often the cosigner's and the aggregator's transactions commit: the shared {@code
   * ledgerpki.streams.commit-interval} if set, else {@value #COMMIT_INTERVAL}, else {@link
   * #DEFAULT_COMMIT_INTERVAL}.
   *
   * @throws ConfigException naming the setting if it is not a duration from 10ms to 60s
   */
  public static Duration commitInterval(Settings settings) {
    return ServiceConfig.commitInterval(settings, COMMIT_INTERVAL, DEFAULT_COMMIT_INTERVAL);
  }

  /**
   * The cosigner keys named by the settings {@value #ORG}, {@value #ED25519_KEY} and {@value
   * #MLDSA_KEY}, checked against the genesis policy file.
   *
   * @throws ConfigException naming the first setting that is missing or wrong
   */
  public static MemberKeys memberKeys(ServiceConfig config) {
    return memberKeys(config, config.policy());
  }

  /**
   * The cosigner keys named by the settings {@value #ORG}, {@value #ED25519_KEY} and {@value
   * #MLDSA_KEY}, checked against {@code policy} (the one in force: docs/governance.md).
   *
   * @throws ConfigException naming the first setting that is missing or wrong
   */
  public static MemberKeys memberKeys(ServiceConfig config, TrustPolicy policy) {
    String org = config.settings().require(ORG);
    TrustPolicy.Member member = cosignerMember(policy, org);
    KeyPair ed25519 = KeyFiles.read(config.settings().existingFile(ED25519_KEY), ED25519_KEY);
    KeyPair mlDsa =
        config
            .settings()
            .optionalFile(MLDSA_KEY)
            .map(p -> KeyFiles.read(p, MLDSA_KEY))
            .orElse(null);
    MemberKeys keys =
        new MemberKeys(
            member.id(),
            member.name(),
            member.organization(),
            member.plmns(),
            member.roles(),
            null,
            null,
            member.cosigner().trustAnchorId(),
            ed25519,
            mlDsa);
    check(config, policy, keys);
    return keys;
  }

  /**
   * Starts the cosigner of {@code keys.id()} and an aggregator instance; the ledger topics are
   * created first if missing. Returns once both applications are started (not yet running).
   *
   * @throws ConfigException if the member is unknown or no cosigner, or its keys are not those of
   *     the policy in force (the genesis file, then every change on {@code ledger.policy})
   */
  public static CosignService start(ServiceConfig config, MemberKeys keys) {
    return start(
        config,
        policy -> {
          check(config, policy, keys);
          return keys;
        });
  }

  /**
   * Starts a cosign-stream whose keys {@code keysFor} gives (and checks) for the policy in force:
   * the verified chain on {@code ledger.policy} is read to its end first, so that a cosigner
   * admitted by governance, or one whose key was rotated, starts with its new keys (the old ones
   * are refused). A change that rotates this cosigner's key while it runs makes the aggregator
   * ignore its cosignatures from the switch on; restart it with the new key.
   */
  public static CosignService start(
      ServiceConfig config, java.util.function.Function<TrustPolicy, MemberKeys> keysFor) {
    // A bad value fails here, before anything touches Kafka.
    Duration commit = commitInterval(config.settings());
    LedgerSerdes serdes = config.openSerdes();
    Topics topics;
    PolicyHolder holder = PolicyHolder.genesis(config.policy());
    PolicyFollower follower = null;
    MemberKeys keys;
    try {
      topics = config.topics(serdes);
      StreamsRuntime.provision(config, topics);
      // The verified policy chain (docs/governance.md): read to the end before the streams start,
      // then followed; a checkpoint or entry that needs a change not read yet refreshes it.
      follower = PolicyFollower.of(config, topics.policy(), holder, "cosign-stream");
      follower.catchUp(Duration.ofSeconds(60));
      keys = keysFor.apply(holder.latest());
    } catch (RuntimeException e) {
      if (follower != null) {
        follower.close();
      }
      serdes.close();
      throw e;
    }
    return start(config, commit, keys, serdes, topics, holder, follower);
  }

  private static CosignService start(
      ServiceConfig config,
      Duration commit,
      MemberKeys keys,
      LedgerSerdes serdes,
      Topics topics,
      PolicyHolder holder,
      PolicyFollower follower) {
    TrustPolicy policy = holder.latest();
    String org = keys.id();
    String prefix = config.topicSettings().prefix();
    String cosignerId = CosignerTopology.applicationId(prefix, org);
    String aggregatorId = AggregatorTopology.applicationId(prefix);
    LOG.info(
        "cosign-stream of '{}' starting: cosigner {} ({}; Ed25519 cosignature/v1{}), policy {}"
            + " serial {} ({} and ledger.policy), log {}, m={} of {} cosigners, k={}, landmarks"
            + " every {}",
        org,
        keys.trustAnchorId(),
        keys.cosignerName(),
        keys.cosignerMlDsa44() == null
            ? ", no ML-DSA-44 key: no subtree or landmark signatures"
            : " and ML-DSA-44 subtree/v1",
        policy.consortium(),
        policy.serial(),
        config.policyFile(),
        policy.log().origin(),
        policy.cosignerQuorum(),
        policy.members(Role.COSIGNER).size(),
        policy.endorsementQuorum(),
        policy.landmarkInterval());
    LOG.info(
        "cosign-stream of '{}': cosigner {} reads {}, {}, {} and writes {}; aggregator {} reads {},"
            + " {} and writes {}, {}; dead letters to {}; both commit every {} ms",
        org,
        cosignerId,
        topics.entries().name(),
        topics.checkpoints().name(),
        topics.landmarks().name(),
        topics.cosignatures().name(),
        aggregatorId,
        topics.checkpoints().name(),
        topics.cosignatures().name(),
        topics.cosigned().name(),
        topics.landmarks().name(),
        topics.dlq().name(),
        commit.toMillis());
    StreamsRuntime cosigner = null;
    try {
      follower.refreshing(Duration.ofSeconds(2)).start();
      cosigner =
          StreamsRuntime.start(
              "cosigner/" + org,
              CosignerTopology.build(holder, keys, topics, Clock.systemUTC()),
              StreamsRuntime.properties(config, cosignerId, commit));
      Properties aggregatorProps = StreamsRuntime.properties(config, aggregatorId, commit);
      // Every organisation runs an instance of the shared aggregator; give each its own state
      // directory, so that several can share a host (or a JVM, as in the demo).
      aggregatorProps.put(
          StreamsConfig.STATE_DIR_CONFIG,
          config.stateDir().resolve(aggregatorId + "." + org).toString());
      StreamsRuntime aggregator =
          StreamsRuntime.start(
              "aggregator/" + org,
              AggregatorTopology.build(holder, topics, Clock.systemUTC()),
              aggregatorProps);
      try {
        CosignService service =
            new CosignService(
                cosigner,
                aggregator,
                serdes,
                OpsEndpoint.serve(config, "cosign-stream/" + org, List.of(cosigner, aggregator)));
        service.follower = follower;
        return service;
      } catch (RuntimeException e) {
        aggregator.close();
        throw e;
      }
    } catch (RuntimeException e) {
      if (cosigner != null) {
        cosigner.close();
      }
      follower.close();
      serdes.close();
      throw e;
    }
  }

  /**
   * Checks that {@code keys} are those of a cosigner member of {@code policy}.
   *
   * @throws ConfigException naming the setting to fix
   */
  static void check(ServiceConfig config, TrustPolicy policy, MemberKeys keys) {
    TrustPolicy.Member member = cosignerMember(policy, keys.id());
    TrustPolicy.CosignerIdentity c = member.cosigner();
    if (keys.trustAnchorId() == null || !keys.trustAnchorId().equals(c.trustAnchorId())) {
      throw new ConfigException(
          "setting "
              + ORG
              + " = "
              + keys.id()
              + ": the policy names cosigner "
              + c.trustAnchorId()
              + ", the keys are for "
              + keys.trustAnchorId());
    }
    if (keys.cosignerEd25519() == null
        || !sameKey(keys.cosignerEd25519().getPublic(), c.ed25519(), SignatureAlgorithm.ED25519)) {
      throw new ConfigException(
          "setting "
              + ED25519_KEY
              + ": this is not the Ed25519 cosigner key of '"
              + keys.id()
              + "' in "
              + where(config, policy)
              + " (vkey "
              + c.ed25519Vkey()
              + ")");
    }
    KeyPair mlDsa = keys.cosignerMlDsa44();
    if (mlDsa != null) {
      if (c.mldsa44() == null) {
        throw new ConfigException(
            "setting "
                + MLDSA_KEY
                + ": '"
                + keys.id()
                + "' has no ML-DSA-44 cosigner key in "
                + where(config, policy)
                + "; remove the setting or add the key to the policy");
      }
      if (!sameKey(mlDsa.getPublic(), c.mldsa44(), SignatureAlgorithm.ML_DSA_44)) {
        throw new ConfigException(
            "setting "
                + MLDSA_KEY
                + ": this is not the ML-DSA-44 cosigner key of '"
                + keys.id()
                + "' in "
                + where(config, policy));
      }
    } else if (c.mldsa44() != null) {
      LOG.warn(
          "'{}' has an ML-DSA-44 cosigner key in the policy but setting {} is not set: it will"
              + " sign no subtrees for standalone certificates and no landmarks",
          keys.id(),
          MLDSA_KEY);
    }
  }

  /** Where {@code policy} comes from, for an error message. */
  private static String where(ServiceConfig config, TrustPolicy policy) {
    return policy.serial() == config.policy().serial()
        ? config.policyFile().toString()
        : "the policy in force (serial " + policy.serial() + ", from ledger.policy)";
  }

  private static TrustPolicy.Member cosignerMember(TrustPolicy policy, String org) {
    Optional<TrustPolicy.Member> member = policy.member(org);
    if (member.isEmpty()) {
      throw new ConfigException(
          "setting "
              + ORG
              + " = "
              + org
              + ": not a member of "
              + policy.consortium()
              + " (policy serial "
              + policy.serial()
              + ")");
    }
    if (!member.get().has(Role.COSIGNER)) {
      throw new ConfigException(
          "setting " + ORG + " = " + org + ": this member has no cosigner role in the policy");
    }
    return member.get();
  }

  private static boolean sameKey(PublicKey a, PublicKey b, SignatureAlgorithm alg) {
    try {
      if (SignatureAlgorithm.of(a) != alg || SignatureAlgorithm.of(b) != alg) {
        return false;
      }
      return alg == SignatureAlgorithm.ED25519
          ? Arrays.equals(Keys.ed25519Raw(a), Keys.ed25519Raw(b))
          : Arrays.equals(Keys.mlDsaRaw(a), Keys.mlDsaRaw(b));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The cosigner application. */
  public StreamsRuntime cosigner() {
    return cosigner;
  }

  /** This process's instance of the shared aggregator application. */
  public StreamsRuntime aggregator() {
    return aggregator;
  }

  /** The health and metrics endpoint of both applications, if {@code ledgerpki.http.port} says. */
  public Optional<OpsEndpoint> ops() {
    return ops;
  }

  /** Waits until both applications are RUNNING; false on timeout. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    return cosigner.awaitRunning(timeout)
        && aggregator.awaitRunning(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public void close() {
    ops.ifPresent(OpsEndpoint::close);
    try {
      cosigner.close();
    } finally {
      try {
        aggregator.close();
      } finally {
        try {
          if (follower != null) {
            follower.close();
          }
        } finally {
          serdes.close();
        }
      }
    }
  }
}
