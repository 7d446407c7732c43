package org.ledgerpki.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.config.Settings;

/**
 * A member's view of the governance topics, read directly from Kafka: the verified policy chain of
 * {@code ledger.policy} (from the genesis policy the services are configured with), the acts on
 * {@code ledger.governance}, and writing an act. Used by {@code ledgerpki policy} and the demo.
 */
public final class GovernanceTopics implements GovernanceLedger, AutoCloseable {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private final String bootstrap;
  private final LedgerSerdes serdes;
  private final Topics topics;

  public GovernanceTopics(String bootstrap, String registry, String prefix) {
    this.bootstrap = bootstrap;
    this.serdes = LedgerSerdes.registry(registry);
    this.topics =
        Topics.create(TopicSettings.defaults().withPrefix(prefix == null ? "" : prefix), serdes);
  }

  /** The chain read from {@code ledger.policy}, and what in it did not verify. */
  public record Chain(PolicyHistory history, List<String> refused) {}

  /**
   * Reads {@code ledger.policy} to its end and verifies it from {@code genesis}, step by step
   * ({@code PolicyChain}). A record that repeats a serial already held with the same hash is
   * ignored; one that does not verify is listed in {@link Chain#refused()} and skipped.
   *
   * @throws IllegalStateException if the topic does not exist or cannot be read to its end in time
   */
  public Chain chain(TrustPolicy genesis) {
    PolicyHistory h = PolicyHistory.genesis(genesis);
    List<String> refused = new ArrayList<>();
    for (ConsumerRecord<String, PolicyChange> r : readAll(topics.policy())) {
      if (r.value() == null) {
        continue;
      }
      org.ledgerpki.core.policy.PolicyChange c = Governance.toCore(r.value());
      Optional<PolicyHistory.Entry> held = h.bySerial(c.serial());
      if (held.isPresent()
          && java.util.Arrays.equals(held.get().policy().sha256(), c.policySha256())) {
        continue;
      }
      try {
        h = h.extend(c, Signatures.defaults());
      } catch (GovernanceException e) {
        refused.add("offset " + r.offset() + ", serial " + c.serial() + ": " + e.getMessage());
      }
    }
    return new Chain(h, refused);
  }

  @Override
  public List<GovernanceAct> acts() {
    List<GovernanceAct> out = new ArrayList<>();
    for (ConsumerRecord<String, GovernanceAct> r : readAll(topics.governance())) {
      if (r.value() != null) {
        out.add(r.value());
      }
    }
    return out;
  }

  /** Writes {@code act} to {@code ledger.governance} (acks=all, idempotent); returns its offset. */
  @Override
  public long write(GovernanceAct act) throws Exception {
    Properties p = new Properties();
    p.putAll(Settings.kafkaClientProperties(System.getenv()));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    Topic<String, GovernanceAct> t = topics.governance();
    try (KafkaProducer<String, GovernanceAct> producer =
        new KafkaProducer<>(p, t.keySerde().serializer(), t.valueSerde().serializer())) {
      return producer
          .send(new ProducerRecord<>(t.name(), Governance.key(act.getSerial()), act))
          .get()
          .offset();
    }
  }

  @Override
  public String governanceTopic() {
    return topics.governance().name();
  }

  /** The name of {@code ledger.policy} under the prefix. */
  public String policyTopic() {
    return topics.policy().name();
  }

  private <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic) {
    Map<String, Object> p = new HashMap<>(Settings.kafkaClientProperties(System.getenv()));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> c =
        new KafkaConsumer<>(
            p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<PartitionInfo> infos;
      try {
        infos = c.partitionsFor(topic.name(), Duration.ofSeconds(15));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        infos = null;
      }
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic "
                + topic.name()
                + " does not exist on "
                + bootstrap
                + " (is the consortium running there, and is the topic prefix right?)");
      }
      List<TopicPartition> parts =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      Instant deadline = Instant.now().plus(READ_TIMEOUT);
      while (!reached(c, end)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "could not read " + topic.name() + " to its end within " + READ_TIMEOUT);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    serdes.close();
  }
}
