package org.ledgerpki.schemas;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;

/**
 * The typed registry of every ledger topic: the one place where topic names are spelled.
 *
 * <p>Each accessor returns a {@link Topic} with the topic's full name ({@code <prefix>ledger.<x>}),
 * its serdes and the settings it is created with (see DESIGN.md, "Topic settings"): every topic is
 * kept forever ({@code retention.ms=-1}), and {@code min.insync.replicas} is set when the
 * replication factor is above 1. The sequencing topic has one partition per issuance log; the
 * others have {@link TopicSettings#partitions()}.
 *
 * <p>Instances are immutable and thread-safe. Give each test its own prefix so that tests do not
 * see each other's records.
 */
public final class Topics {

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final int MAX_NAME_LENGTH = 249;

  private final TopicSettings settings;
  private final Topic<String, Submission> submissions;
  private final Topic<String, Endorsement> endorsements;
  private final Topic<String, Decision> decisions;
  private final Topic<String, LedgerEntry> sequence;
  private final Topic<String, LedgerEntry> entries;
  private final Topic<String, StatusEntry> statusSequence;
  private final Topic<String, StatusEntry> status;
  private final Topic<String, Checkpoint> checkpoints;
  private final Topic<String, Cosignature> cosignatures;
  private final Topic<String, CosignedCheckpoint> cosigned;
  private final Topic<String, Landmark> landmarks;
  private final Topic<String, DeadLetter> dlq;
  private final Topic<String, GovernanceAct> governance;
  private final Topic<String, PolicyChange> policy;

  private Topics(TopicSettings settings, LedgerSerdes serdes) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(serdes, "serdes");
    int n = settings.partitions();
    submissions = topic("ledger.submissions", Submission.class, n, serdes);
    endorsements = topic("ledger.endorsements", Endorsement.class, n, serdes);
    decisions = topic("ledger.decisions", Decision.class, n, serdes);
    sequence = topic("ledger.sequence", LedgerEntry.class, settings.logs(), serdes);
    entries = topic("ledger.entries", LedgerEntry.class, n, serdes);
    statusSequence = topic("ledger.status-sequence", StatusEntry.class, settings.logs(), serdes);
    status = topic("ledger.status", StatusEntry.class, n, serdes);
    checkpoints = topic("ledger.checkpoints", Checkpoint.class, n, serdes);
    cosignatures = topic("ledger.cosignatures", Cosignature.class, n, serdes);
    cosigned = topic("ledger.cosigned", CosignedCheckpoint.class, n, serdes);
    landmarks = topic("ledger.landmarks", Landmark.class, n, serdes);
    dlq = topic("ledger.dlq", DeadLetter.class, n, serdes);
    // One partition each: every party reads the whole governance history in one order.
    governance = topic("ledger.governance", GovernanceAct.class, 1, serdes);
    policy = topic("ledger.policy", PolicyChange.class, 1, serdes);
  }

  /** The ledger topics with no prefix and the {@linkplain TopicSettings#defaults() defaults}. */
  public static Topics create(LedgerSerdes serdes) {
    return new Topics(TopicSettings.defaults(), serdes);
  }

  /**
   * The ledger topics with the given name prefix and otherwise the {@linkplain
   * TopicSettings#defaults() defaults}.
   *
   * @param prefix prepended to every name, e.g. {@code "it-avro."}; empty for none; only {@code
   *     [a-zA-Z0-9._-]}
   */
  public static Topics create(String prefix, LedgerSerdes serdes) {
    return new Topics(TopicSettings.defaults().withPrefix(prefix), serdes);
  }

  /** The ledger topics laid out by {@code settings}, with values serialized by {@code serdes}. */
  public static Topics create(TopicSettings settings, LedgerSerdes serdes) {
    return new Topics(settings, serdes);
  }

  /** The settings these topics were made with. */
  public TopicSettings settings() {
    return settings;
  }

  /** {@code ledger.submissions}: signed submissions, key = hex SHA-256 of the certificate. */
  public Topic<String, Submission> submissions() {
    return submissions;
  }

  /** {@code ledger.endorsements}: validators' verdicts, key = hex SHA-256 of the certificate. */
  public Topic<String, Endorsement> endorsements() {
    return endorsements;
  }

  /** {@code ledger.decisions}: the consortium's decisions, key = hex SHA-256 of the certificate. */
  public Topic<String, Decision> decisions() {
    return decisions;
  }

  /**
   * {@code ledger.sequence}: the issuance stream's internal sequencing topic: accepted certificates
   * with their evidence, not yet given an index ({@code index = -1}, empty {@code entry}), routed
   * to their log; key = log number; one partition per log ({@link TopicSettings#logs()}, partition
   * = log number - 1).
   */
  public Topic<String, LedgerEntry> sequence() {
    return sequence;
  }

  /** {@code ledger.entries}: the ledger, one entry with its evidence per index; key = origin. */
  public Topic<String, LedgerEntry> entries() {
    return entries;
  }

  /**
   * {@code ledger.status-sequence}: the issuance stream's internal sequencing topic for lifecycle
   * events: granted requests with their evidence, not yet given a sequence number ({@code sequence
   * = -1}, empty {@code event}); key = log number; one partition per log, like {@link #sequence()}.
   */
  public Topic<String, StatusEntry> statusSequence() {
    return statusSequence;
  }

  /**
   * {@code ledger.status}: the sequenced lifecycle events of each log with their evidence, kept
   * forever; key = origin (co-partitioned with {@link #entries()} and {@link #checkpoints()}).
   */
  public Topic<String, StatusEntry> status() {
    return status;
  }

  /** {@code ledger.checkpoints}: log-signed checkpoints; key = origin. */
  public Topic<String, Checkpoint> checkpoints() {
    return checkpoints;
  }

  /** {@code ledger.cosignatures}: cosigners' signatures on checkpoints; key = origin. */
  public Topic<String, Cosignature> cosignatures() {
    return cosignatures;
  }

  /** {@code ledger.cosigned}: checkpoints with a quorum of cosignatures; key = origin. */
  public Topic<String, CosignedCheckpoint> cosigned() {
    return cosigned;
  }

  /** {@code ledger.landmarks}: MTC landmarks; key = origin. */
  public Topic<String, Landmark> landmarks() {
    return landmarks;
  }

  /** {@code ledger.dlq}: records a service could not process, with the reason; key = source. */
  public Topic<String, DeadLetter> dlq() {
    return dlq;
  }

  /**
   * {@code ledger.governance}: members' proposals and approvals of the next trust policy
   * (docs/governance.md); key = the proposed serial, decimal; one partition.
   */
  public Topic<String, GovernanceAct> governance() {
    return governance;
  }

  /**
   * {@code ledger.policy}: the policy changes the issuance stream sequenced, each with its
   * approvals and the ledger position from which it applies; key = serial, decimal; one partition;
   * written only by the issuance stream.
   */
  public Topic<String, PolicyChange> policy() {
    return policy;
  }

  /** Every topic, in data-flow order. */
  public List<Topic<String, ?>> all() {
    return List.of(
        submissions,
        endorsements,
        decisions,
        sequence,
        entries,
        statusSequence,
        status,
        checkpoints,
        cosignatures,
        cosigned,
        landmarks,
        dlq,
        governance,
        policy);
  }

  @Override
  public String toString() {
    return "Topics" + all().stream().map(Topic::name).toList();
  }

  private <V extends SpecificRecord> Topic<String, V> topic(
      String baseName, Class<V> valueType, int partitions, LedgerSerdes serdes) {
    Map<String, String> config = new HashMap<>();
    // Kafka is the source of truth: nothing on a ledger topic may age out.
    config.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
    config.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    if (settings.replicationFactor() > 1) {
      config.put(
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
    }
    return new Topic<>(
        settings.prefix() + baseName,
        serdes.keys(),
        serdes.values(valueType),
        config,
        partitions,
        settings.replicationFactor());
  }

  /**
   * Checks that {@code name} may be (part of) a Kafka topic name.
   *
   * @throws IllegalArgumentException if it is empty, longer than 249 characters, {@code "."} or
   *     {@code ".."}, or has a character outside {@code [a-zA-Z0-9._-]}
   */
  static void requireLegalName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()
        || name.length() > MAX_NAME_LENGTH
        || name.equals(".")
        || name.equals("..")
        || !LEGAL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "illegal Kafka topic name (or prefix) \""
              + name
              + "\": use 1 to "
              + MAX_NAME_LENGTH
              + " characters of [a-zA-Z0-9._-]");
    }
  }
}
