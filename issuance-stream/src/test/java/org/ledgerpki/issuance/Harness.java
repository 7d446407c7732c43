package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.policy.PolicyHolder;

/**
 * The issuance topology in a {@link TopologyTestDriver}, with typed inputs and outputs. The driver
 * and the topology share one in-memory {@link LedgerSerdes}, so their schema ids agree. Records the
 * topology writes to {@code ledger.sequence} are fed back to it, as a broker would.
 */
final class Harness implements AutoCloseable {
  final TrustPolicy policy;
  final PolicyHolder holder;
  final LedgerSerdes serdes;
  final Topics topics;
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> submissions;
  final TestInputTopic<String, byte[]> endorsements;
  final TestInputTopic<String, byte[]> sequenceIn;
  final TestInputTopic<String, byte[]> statusSequenceIn;
  final TestOutputTopic<String, Decision> decisions;
  final TestOutputTopic<String, LedgerEntry> sequence;
  final TestOutputTopic<String, LedgerEntry> entries;
  final TestOutputTopic<String, Checkpoint> checkpoints;
  final TestOutputTopic<String, org.ledgerpki.schemas.avro.StatusEntry> status;
  final TestOutputTopic<String, DeadLetter> dlq;
  final TestInputTopic<String, byte[]> governance;
  final TestOutputTopic<String, org.ledgerpki.schemas.avro.PolicyChange> policyChanges;
  private final boolean ownsSerdes;
  private final Path stateDir;

  /** The test consortium's policy and log keys, a fresh in-memory state. */
  Harness() {
    this(TestConsortium.get().policy());
  }

  Harness(TrustPolicy policy) {
    this(policy, TestConsortium.get().log(), LedgerSerdes.inMemory(), null, true);
  }

  /**
   * @param stateDir the state directory, or null for a fresh temporary one, deleted on close
   */
  Harness(
      TrustPolicy policy, LogKeys logKeys, LedgerSerdes serdes, Path stateDir, boolean ownsSerdes) {
    this(PolicyHolder.genesis(policy), logKeys, serdes, stateDir, ownsSerdes);
  }

  /**
   * A harness whose stream starts with the policy history of {@code holder}, as {@code
   * IssuanceService} starts it after reading {@code ledger.policy}.
   */
  Harness(
      PolicyHolder holder,
      LogKeys logKeys,
      LedgerSerdes serdes,
      Path stateDir,
      boolean ownsSerdes) {
    TrustPolicy policy = holder.history().genesis();
    this.holder = holder;
    this.policy = policy;
    this.serdes = serdes;
    this.ownsSerdes = ownsSerdes;
    this.topics = Topics.create(serdes);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "issuance-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    this.stateDir = stateDir == null ? tempDir() : null;
    p.put(StreamsConfig.STATE_DIR_CONFIG, (stateDir == null ? this.stateDir : stateDir).toString());
    driver =
        new TopologyTestDriver(
            IssuanceTopology.build(
                holder,
                topics,
                LogSigner.of(logKeys),
                Clock.systemUTC(),
                IssuanceOptions.defaults()),
            p);
    submissions = input(topics.submissions());
    endorsements = input(topics.endorsements());
    sequenceIn = input(topics.sequence());
    statusSequenceIn = input(topics.statusSequence());
    decisions = output(topics.decisions());
    sequence = output(topics.sequence());
    entries = output(topics.entries());
    checkpoints = output(topics.checkpoints());
    status = output(topics.status());
    dlq = output(topics.dlq());
    governance = input(topics.governance());
    policyChanges = output(topics.policy());
  }

  /** Writes a governance act, keyed by its serial as members do. */
  void act(org.ledgerpki.schemas.avro.GovernanceAct a) {
    governance.pipeInput(Long.toString(a.getSerial()), bytes(topics.governance(), a));
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("issuance-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestInputTopic<String, byte[]> input(Topic<String, ?> t) {
    return driver.createInputTopic(
        t.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> t) {
    return driver.createOutputTopic(
        t.name(), Serdes.String().deserializer(), t.valueSerde().deserializer());
  }

  <V> byte[] bytes(Topic<String, V> t, V value) {
    return t.valueSerde().serializer().serialize(t.name(), value);
  }

  void submit(Submissions.Keyed s) {
    submissions.pipeInput(s.key(), bytes(topics.submissions(), s.submission()));
  }

  void endorse(Endorsement e) {
    endorsements.pipeInput(
        org.ledgerpki.core.Hex.encode(
            org.ledgerpki.schemas.Evidence.bytes(e.getCertificateSha256())),
        bytes(topics.endorsements(), e));
  }

  /** Submits {@code der} as vendor-a and has vendor-a and operator-b endorse it. */
  Submissions.Keyed admit(byte[] der) {
    Submissions.Keyed s = Signed.issue("vendor-a", der);
    submit(s);
    endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
    endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    return s;
  }

  void advance(Duration d) {
    driver.advanceWallClockTime(d);
  }

  /** The value of counter {@code event} ({@code <event>-total}), summed over tasks. */
  double counter(String event) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
      if (m.getKey().group().equals(IssuanceTopology.METRICS_GROUP)
          && m.getKey().name().equals(event + "-total")) {
        sum += ((Number) m.getValue().metricValue()).doubleValue();
      }
    }
    return sum;
  }

  /**
   * The decisions published since the last call; each is checked to be signed by the log, named as
   * its origin, with the key the policy gives it (ADR 0012): every test that reads decisions checks
   * that the stream signs each one it publishes.
   */
  List<Decision> decisions() {
    List<Decision> out = decisions.readValuesToList();
    for (Decision d : out) {
      assertThat(d.getOrigin())
          .as("origin of the decision on %s", d.getSubmissionId())
          .isEqualTo(policy.log().origin());
      assertThat(LogRecords.problem(d, policy.log().ed25519()))
          .as("log signature of the decision on %s", d.getSubmissionId())
          .isNull();
    }
    return out;
  }

  List<LedgerEntry> entries() {
    return entries.readValuesToList();
  }

  @Override
  public void close() {
    driver.close();
    if (ownsSerdes) {
      serdes.close();
    }
    if (stateDir != null) {
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
