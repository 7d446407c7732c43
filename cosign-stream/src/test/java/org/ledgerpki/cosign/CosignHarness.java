package org.ledgerpki.cosign;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.cosign.aggregator.AggregatorTopology;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * Cosigners and an aggregator on {@link TopologyTestDriver}s that share one {@link LedgerSerdes}
 * (and so one in-memory schema registry), with the plumbing between them that Kafka would do:
 * {@link #relay()} moves cosignatures to the aggregator and allocated landmarks back to the
 * cosigners.
 */
public final class CosignHarness implements AutoCloseable {
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  /** A clock the tests move (heartbeats); it starts at {@link #CLOCK}'s instant. */
  public static final class MovingClock extends Clock {
    private volatile Instant now = CLOCK.instant();

    public void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** The clock of every cosigner and of the aggregator of this harness. */
  public final MovingClock clock = new MovingClock();

  public final LedgerSerdes serdes = LedgerSerdes.inMemory();
  public final Topics topics = Topics.create(serdes);
  public final TrustPolicy policy;

  /** The policy history every cosigner and the aggregator of this harness hold. */
  public final org.ledgerpki.streams.policy.PolicyHolder holder;

  public final Map<String, Cosigner> cosigners = new LinkedHashMap<>();
  public final Aggregator aggregator;

  /** Everything the aggregator published, in order. */
  public final List<CosignedCheckpoint> cosigned = new ArrayList<>();

  public final List<Landmark> landmarks = new ArrayList<>();

  /** The test consortium's policy, with the cosigners operator-b and operator-c. */
  public static CosignHarness operatorsBAndC(Path stateDir) {
    return new CosignHarness(
        TestLedger.TC.policy(),
        stateDir,
        List.of(TestLedger.TC.member("operator-b"), TestLedger.TC.member("operator-c")));
  }

  public CosignHarness(TrustPolicy policy, Path stateDir, List<MemberKeys> members) {
    this.policy = policy;
    this.holder = org.ledgerpki.streams.policy.PolicyHolder.genesis(policy);
    for (MemberKeys m : members) {
      cosigners.put(m.id(), new Cosigner(m, stateDir));
    }
    this.aggregator = new Aggregator(stateDir);
  }

  public Cosigner cosigner(String id) {
    return cosigners.get(id);
  }

  /** Sends an entry to every cosigner. */
  public void entry(LedgerEntry e) {
    cosigners.values().forEach(c -> c.entry(e));
  }

  /** Sends a status event to every cosigner. */
  public void status(org.ledgerpki.schemas.avro.StatusEntry e) {
    cosigners.values().forEach(c -> c.status(e));
  }

  public void entries(List<LedgerEntry> es) {
    es.forEach(this::entry);
  }

  /** Sends a checkpoint to every cosigner and to the aggregator. */
  public void checkpoint(Checkpoint c) {
    cosigners.values().forEach(x -> x.checkpoint(c));
    aggregator.checkpoint(c);
  }

  /**
   * Moves cosignatures to the aggregator and allocated landmarks to the cosigners until nothing
   * moves; collects what the aggregator publishes in {@link #cosigned} and {@link #landmarks}.
   */
  public void relay() {
    relay(cosigners.keySet());
  }

  /** As {@link #relay()}, with only {@code landmarkFollowers} receiving the landmarks. */
  public void relay(java.util.Set<String> landmarkFollowers) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Cosigner c : cosigners.values()) {
        for (Cosignature s : c.cosignatures.readValuesToList()) {
          c.published.add(s);
          aggregator.cosignature(s);
          moved = true;
        }
      }
      cosigned.addAll(aggregator.cosigned.readValuesToList());
      for (Landmark l : aggregator.landmarks.readValuesToList()) {
        landmarks.add(l);
        cosigners.values().stream()
            .filter(c -> landmarkFollowers.contains(c.keys.id()))
            .forEach(c -> c.landmark(l));
        moved = true;
      }
    }
  }

  public <V extends SpecificRecord> byte[] bytes(Topic<String, V> topic, V value) {
    return topic.valueSerde().serializer().serialize(topic.name(), value);
  }

  private static Properties properties(String applicationId, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(applicationId).toString());
    return p;
  }

  private TestInputTopic<String, byte[]> input(TopologyTestDriver d, Topic<String, ?> topic) {
    return d.createInputTopic(
        topic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  private <V> TestOutputTopic<String, V> output(TopologyTestDriver d, Topic<String, V> topic) {
    return d.createOutputTopic(
        topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** The value of metric {@code name} with the given tags (all of them must match); 0 if none. */
  public static double metric(TopologyTestDriver d, String name, String... tags) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : d.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (!n.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < tags.length; i += 2) {
        all &= tags[i + 1].equals(n.tags().get(tags[i]));
      }
      if (all) {
        sum += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return sum;
  }

  /** One organisation's cosigner. */
  public final class Cosigner {
    public final MemberKeys keys;
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, byte[]> entries;
    public final TestInputTopic<String, byte[]> checkpoints;
    public final TestInputTopic<String, byte[]> landmarkInput;
    public final TestInputTopic<String, byte[]> statusInput;
    public final TestOutputTopic<String, Cosignature> cosignatures;
    public final TestOutputTopic<String, DeadLetter> dlq;

    /** What {@link #relay()} took from {@link #cosignatures}. */
    public final List<Cosignature> published = new ArrayList<>();

    public Cosigner(MemberKeys keys, Path stateDir) {
      this.keys = keys;
      Topology t = CosignerTopology.build(holder, keys, topics, clock);
      driver = new TopologyTestDriver(t, properties("cosigner-" + keys.id(), stateDir));
      entries = input(driver, topics.entries());
      checkpoints = input(driver, topics.checkpoints());
      landmarkInput = input(driver, topics.landmarks());
      statusInput = input(driver, topics.status());
      cosignatures = output(driver, topics.cosignatures());
      dlq = output(driver, topics.dlq());
    }

    public void entry(LedgerEntry e) {
      entries.pipeInput(e.getOrigin(), bytes(topics.entries(), e));
    }

    public void checkpoint(Checkpoint c) {
      checkpoints.pipeInput(c.getOrigin(), bytes(topics.checkpoints(), c));
    }

    public void status(org.ledgerpki.schemas.avro.StatusEntry e) {
      statusInput.pipeInput(e.getOrigin(), bytes(topics.status(), e));
    }

    public void landmark(Landmark l) {
      landmarkInput.pipeInput(l.getOrigin(), bytes(topics.landmarks(), l));
    }

    public double metric(String name, String... tags) {
      return CosignHarness.metric(driver, name, tags);
    }
  }

  /** The shared aggregator. */
  public final class Aggregator {
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, byte[]> checkpoints;
    public final TestInputTopic<String, byte[]> cosignatureInput;
    public final TestOutputTopic<String, CosignedCheckpoint> cosigned;
    public final TestOutputTopic<String, Landmark> landmarks;
    public final TestOutputTopic<String, DeadLetter> dlq;

    public Aggregator(Path stateDir) {
      Topology t = AggregatorTopology.build(holder, topics, clock);
      driver = new TopologyTestDriver(t, properties("aggregator", stateDir));
      checkpoints = input(driver, topics.checkpoints());
      cosignatureInput = input(driver, topics.cosignatures());
      cosigned = output(driver, topics.cosigned());
      landmarks = output(driver, topics.landmarks());
      dlq = output(driver, topics.dlq());
    }

    public void checkpoint(Checkpoint c) {
      checkpoints.pipeInput(c.getOrigin(), bytes(topics.checkpoints(), c));
    }

    public void cosignature(Cosignature c) {
      cosignatureInput.pipeInput(c.getOrigin(), bytes(topics.cosignatures(), c));
    }

    public double metric(String name, String... tags) {
      return CosignHarness.metric(driver, name, tags);
    }
  }

  @Override
  public void close() {
    for (Cosigner c : cosigners.values()) {
      c.driver.close();
    }
    aggregator.driver.close();
    serdes.close();
  }
}
