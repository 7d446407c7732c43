package org.ledgerpki.inquiry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.inquiry.index.FollowerState;
import org.ledgerpki.inquiry.index.Journal;
import org.ledgerpki.inquiry.index.LedgerFollower;
import org.ledgerpki.inquiry.index.LedgerIndex;
import org.ledgerpki.inquiry.index.LedgerTopic;
import org.ledgerpki.inquiry.index.PolicyLedger;
import org.ledgerpki.inquiry.index.UnprovenLimits;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.config.Settings;

/**
 * The inquiry node: at start-up it checks its configuration (failing fast, naming the setting),
 * loads the trust policy, opens the store, starts following the ledger and registers its metrics;
 * at shutdown it stops the follower. The queries read {@link #policy()}, {@link #index()} and
 * {@link #state()}.
 */
@ApplicationScoped
public class InquiryNode {
  private static final Logger log = Logger.getLogger(InquiryNode.class);

  /** The exit status once the ledger follower stopped on an error ({@code EX_SOFTWARE}). */
  public static final int FOLLOWER_FAILED = 70;

  // One description for both kinds: Prometheus shows one HELP line per metric name.
  private static final String UNPROVEN_HELP =
      "Records held beyond the logs' newest verified cosigned checkpoints, by kind (at most"
          + " ledgerpki.inquiry.max-unproven-entries and -status-events per log)";

  @Inject InquiryConfig config;
  @Inject MeterRegistry metrics;

  private volatile TrustPolicy policy;
  private volatile TrustBundle bundle;
  private volatile LedgerIndex index;
  private volatile PolicyLedger policies;
  private final FollowerState state = new FollowerState();
  private LedgerSerdes serdes;
  private LedgerFollower follower;

  void onStart(@Observes StartupEvent event) {
    Path policyPath = path("ledgerpki.policy", config.policy());
    this.policy = loadPolicy(policyPath);
    this.bundle = TrustBundle.fromPolicy(policy);
    this.policies = new PolicyLedger(policy, Signatures.defaults());
    String bootstrap = required("ledgerpki.kafka.bootstrap", config.kafka().bootstrap());
    String registry = required("ledgerpki.registry.url", config.registry().url());
    String prefix = config.topics().prefix().orElse("").strip();
    Path storeDir = path("ledgerpki.inquiry.store-dir", config.inquiry().storeDir());
    positive("ledgerpki.inquiry.next-update", config.inquiry().nextUpdate());
    positive("ledgerpki.inquiry.retry-after", config.inquiry().retryAfter());
    UnprovenLimits limits =
        new UnprovenLimits(
            atLeastOne(
                "ledgerpki.inquiry.max-unproven-entries", config.inquiry().maxUnprovenEntries()),
            atLeastOne(
                "ledgerpki.inquiry.max-unproven-status-events",
                config.inquiry().maxUnprovenStatusEvents()));
    TopicSettings topicSettings;
    try {
      topicSettings = TopicSettings.defaults().withPrefix(prefix);
    } catch (IllegalArgumentException e) {
      throw bad("ledgerpki.topics.prefix", e.getMessage());
    }
    try {
      serdes = LedgerSerdes.registry(registry);
    } catch (IllegalArgumentException e) {
      throw bad("ledgerpki.registry.url", e.getMessage());
    }
    Topics topics = Topics.create(topicSettings, serdes);
    Journal journal;
    try {
      journal = Journal.open(storeDir);
    } catch (UncheckedIOException e) {
      throw bad("ledgerpki.inquiry.store-dir", e.getMessage());
    }
    try {
      // Each cosigned checkpoint is verified with the policy it names (its cosigners, its m).
      this.index = new LedgerIndex(new CheckpointVerifier(bundle), policies, limits);
    } catch (MalformedInputException e) {
      throw bad("ledgerpki.policy", "its keys do not make a trust bundle: " + e.getMessage());
    }
    log.infof(
        "inquiry node '%s': genesis policy %s (consortium %s, serial %d, sha256 %s, log %s,"
            + " %d-of-n cosigners), Kafka %s, registry %s, topics %s %s %s %s %s, store %s, answers"
            + " fresh for %s",
        config.inquiry().node(),
        policyPath,
        policy.consortium(),
        policy.serial(),
        org.ledgerpki.core.Hex.encode(policy.sha256()),
        policy.log().origin(),
        policy.cosignerQuorum(),
        bootstrap,
        registry,
        topics.entries().name(),
        topics.cosigned().name(),
        topics.landmarks().name(),
        topics.decisions().name(),
        topics.policy().name(),
        storeDir.toAbsolutePath(),
        config.inquiry().nextUpdate());
    registerMetrics(topics);
    follower =
        new LedgerFollower(
            new LedgerFollower.Settings(
                bootstrap,
                "ledgerpki-inquiry-" + config.inquiry().node(),
                // TLS, SASL and other client settings: LEDGERPKI_KAFKA_* variables.
                Map.copyOf(Settings.kafkaClientProperties(System.getenv()))),
            topics,
            index,
            policies,
            journal,
            state);
    boolean exit = config.inquiry().exitOnFailure();
    state.whenFailed(
        reason -> {
          if (exit) {
            log.errorf(
                "the ledger follower stopped (%s): exiting with status %d so that the node's"
                    + " supervisor starts it again",
                reason, FOLLOWER_FAILED);
            Quarkus.asyncExit(FOLLOWER_FAILED);
          } else {
            log.errorf(
                "the ledger follower stopped (%s): the node's answers will go stale; its liveness"
                    + " check is DOWN (ledgerpki.inquiry.exit-on-failure=false)",
                reason);
          }
        });
    follower.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    if (follower != null) {
      follower.close();
    }
    if (serdes != null) {
      serdes.close();
    }
  }

  private void registerMetrics(Topics topics) {
    for (LedgerTopic t : LedgerTopic.values()) {
      String name =
          switch (t) {
            case ENTRIES -> topics.entries().name();
            case COSIGNED -> topics.cosigned().name();
            case LANDMARKS -> topics.landmarks().name();
            case DECISIONS -> topics.decisions().name();
            case STATUS -> topics.status().name();
            case POLICY -> topics.policy().name();
          };
      Gauge.builder("ledgerpki.inquiry.lag.records", state, s -> s.lag(t))
          .description("Records of the topic not yet read by the inquiry node")
          .tag("topic", name)
          .register(metrics);
    }
    Gauge.builder("ledgerpki.inquiry.caught.up", state, s -> s.caughtUp() ? 1 : 0)
        .description("1 once the node has caught up with the ledger as it stood at start-up")
        .register(metrics);
    FunctionCounter.builder("ledgerpki.inquiry.skipped.records", state, FollowerState::skipped)
        .description("Records that could not be decoded or applied, and were skipped")
        .register(metrics);
    FunctionCounter.builder(
            "ledgerpki.inquiry.refused.records",
            this,
            n -> n.index.refusedCount() + n.policies.refusedCount())
        .description("Records refused: contradicting the index or not verifying")
        .register(metrics);
    FunctionCounter.builder(
            "ledgerpki.inquiry.policy.refused", this, n -> n.policies.refusedCount())
        .description("Policy changes of ledger.policy refused: they do not verify (PolicyChain)")
        .register(metrics);
    FunctionCounter.builder(
            "ledgerpki.inquiry.unsigned.records", this, n -> n.index.unsignedCount())
        .description(
            "Entries, status events and decisions refused on arrival: no valid signature of their"
                + " log (also"
                + " in ledgerpki.inquiry.refused.records)")
        .register(metrics);
    FunctionCounter.builder("ledgerpki.inquiry.foreign.records", this, n -> n.index.foreignCount())
        .description("Records of logs the trust policy does not name, ignored")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.unproven.records", this, n -> n.index.unproven().entries())
        .description(UNPROVEN_HELP)
        .tag("kind", "entries")
        .register(metrics);
    Gauge.builder(
            "ledgerpki.inquiry.unproven.records", this, n -> n.index.unproven().statusEvents())
        .description(UNPROVEN_HELP)
        .tag("kind", "status-events")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.paused.partitions", state, s -> s.pausedPartitions())
        .description(
            "Partitions not read now: a log holds as many unproven records as the node allows")
        .register(metrics);
    FunctionCounter.builder("ledgerpki.inquiry.pauses", state, FollowerState::pauses)
        .description("Times a partition was paused for holding too many unproven records")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.policy.serial", this, n -> n.policies.latest().serial())
        .description("Serial of the newest policy of the verified chain")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.index.certificates", this, n -> n.index.certificateCount())
        .description("Certificates in a log")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.index.entries", this, n -> n.index.entryCount())
        .description("Log entries, null entries included")
        .register(metrics);
    Gauge.builder("ledgerpki.inquiry.index.decisions", this, n -> n.index.decisionCount())
        .description("Certificates with an issuance decision")
        .register(metrics);
    Gauge.builder(
            "ledgerpki.inquiry.index.cosigned.size",
            this,
            n ->
                n.index.logs().stream()
                    .mapToLong(l -> l.latestCheckpoint() == null ? 0 : l.latestCheckpoint().size())
                    .sum())
        .description("Tree size of the latest cosigned checkpoint, summed over logs")
        .register(metrics);
  }

  private static TrustPolicy loadPolicy(Path p) {
    if (!Files.isRegularFile(p)) {
      throw bad("ledgerpki.policy", p.toAbsolutePath() + ": no such file");
    }
    try {
      // From the file's exact bytes: the genesis policy's hash is theirs (docs/governance.md).
      return TrustPolicyReader.parse(Files.readAllBytes(p), p.toString());
    } catch (IOException e) {
      throw bad("ledgerpki.policy", "cannot read " + p + ": " + e.getMessage());
    } catch (PolicyException e) {
      throw bad("ledgerpki.policy", e.getMessage());
    }
  }

  private static String required(String key, String value) {
    if (value == null || value.isBlank()) {
      throw bad(key, "must not be empty");
    }
    return value.strip();
  }

  private static Path path(String key, String value) {
    try {
      return Path.of(required(key, value));
    } catch (InvalidPathException e) {
      throw bad(key, "'" + value + "' is not a path: " + e.getMessage());
    }
  }

  private static void positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw bad(key, "must be positive, got " + d);
    }
  }

  private static long atLeastOne(String key, long n) {
    if (n < 1) {
      throw bad(key, "must be at least 1, got " + n);
    }
    return n;
  }

  private static IllegalStateException bad(String key, String problem) {
    return new IllegalStateException(
        "bad configuration: "
            + key
            + " (env "
            + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')
            + "): "
            + problem);
  }

  /** The genesis trust policy the node is configured with. */
  public TrustPolicy policy() {
    return policy;
  }

  /** The trust bundle of the genesis policy: what the index verifies checkpoints with. */
  public TrustBundle bundle() {
    return bundle;
  }

  /** The verified policy chain, from the genesis policy to the newest change read. */
  public PolicyLedger policies() {
    return policies;
  }

  /** The trust bundle of the newest policy of the verified chain ({@code /v1/trust}). */
  public TrustBundle newestBundle() {
    return TrustBundle.fromPolicy(policies.latest());
  }

  /** The index. */
  public LedgerIndex index() {
    return index;
  }

  /** The follower's state. */
  public FollowerState state() {
    return state;
  }

  /** The configuration. */
  public InquiryConfig config() {
    return config;
  }
}
