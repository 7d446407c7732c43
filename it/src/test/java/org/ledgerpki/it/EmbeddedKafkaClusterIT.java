package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 3-node mode of {@link EmbeddedKafka}: with replication factor 3 and {@code
 * min.insync.replicas=2}, writes with {@code acks=all} and reads go on while one node is down
 * (SIGKILL), and the node catches up after its restart.
 */
class EmbeddedKafkaClusterIT {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaClusterIT.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final LogKeys LOG = TestConsortium.get().log();

  private static EmbeddedKafka cluster;
  private static Admin admin;
  private static LedgerSerdes serdes;

  @BeforeAll
  static void startCluster() {
    cluster = EmbeddedKafka.startCluster(3);
    admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    // This test is about the brokers, not the registry: in-memory schemas suffice.
    serdes = LedgerSerdes.inMemory();
  }

  @AfterAll
  static void stopCluster() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (serdes != null) {
      serdes.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void writesAndReadsSurviveOneNodeKilledAndItCatchesUp() throws Exception {
    Topics topics =
        Topics.create(
            TopicSettings.forCluster(3).withPrefix("cluster-it.").withPartitions(3), serdes);
    Topic<String, LedgerEntry> entries = topics.entries();
    assertThat(entries.config()).containsEntry("min.insync.replicas", "2");
    new TopicProvisioner(admin, TIMEOUT).ensure(List.of(entries));
    awaitFullIsr(entries.name(), Set.of(1, 2, 3));

    List<LedgerEntry> sent = new ArrayList<>();
    try (KafkaProducer<String, LedgerEntry> producer = producer(entries)) {
      send(producer, entries, 0, 10, sent);

      int victim = leaderOfPartition0(entries.name());
      long killedAt = System.nanoTime();
      cluster.kill(victim);
      assertThat(cluster.isRunning(victim)).isFalse();

      // acks=all with two of three replicas in sync: still accepted.
      send(producer, entries, 10, 20, sent);
      log.info(
          "20 entries acknowledged {} ms after node {} was killed",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt),
          victim);
      assertThat(readAll(entries)).containsExactlyInAnyOrderElementsOf(sent);

      cluster.restart(victim);
      awaitFullIsr(entries.name(), Set.of(1, 2, 3));
      send(producer, entries, 20, 25, sent);
    }
    assertThat(readAll(entries)).containsExactlyInAnyOrderElementsOf(sent);
  }

  private static KafkaProducer<String, LedgerEntry> producer(Topic<String, LedgerEntry> topic) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            45_000);
    return new KafkaProducer<>(
        config, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  private static void send(
      KafkaProducer<String, LedgerEntry> producer,
      Topic<String, LedgerEntry> topic,
      int from,
      int to,
      List<LedgerEntry> sent)
      throws ExecutionException, InterruptedException {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (int i = from; i < to; i++) {
      // Signed with the log's key, as the issuance stream writes every entry (ADR 0012).
      LedgerEntry entry =
          LogRecords.sign(
              LedgerEntry.newBuilder()
                  .setOrigin(LOG.origin())
                  .setLogNumber(LOG.number())
                  .setIndex(i)
                  .setEntry(ByteBuffer.wrap(new byte[] {(byte) i}))
                  .setSequencedAt(Instant.ofEpochMilli(1_767_225_600_000L + i))
                  .build(),
              LOG.ed25519().getPrivate());
      // Spread over the partitions, so that some lose their leader.
      acks.add(producer.send(new ProducerRecord<>(topic.name(), "key-" + i, entry)));
      sent.add(entry);
    }
    for (java.util.concurrent.Future<?> ack : acks) {
      ack.get();
    }
  }

  private static List<LedgerEntry> readAll(Topic<String, LedgerEntry> topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<String, LedgerEntry> consumer =
        new KafkaConsumer<>(
            config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<LedgerEntry> read = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "did not read " + topic.name() + " to its end within " + TIMEOUT);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
      }
      return read;
    }
  }

  private static int leaderOfPartition0(String topic) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    Node leader = description.partitions().get(0).leader();
    assertThat(leader).as("partition 0 of " + topic + " has a leader").isNotNull();
    return leader.id();
  }

  /** Waits until every partition of {@code topic} has all of {@code nodes} in its ISR. */
  private static void awaitFullIsr(String topic, Set<Integer> nodes) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      boolean full = true;
      for (TopicPartitionInfo partition : description.partitions()) {
        Set<Integer> isr = partition.isr().stream().map(Node::id).collect(Collectors.toSet());
        full &= isr.equals(nodes);
      }
      if (full) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "ISR of " + topic + " not " + nodes + " within " + TIMEOUT + ": " + description);
      }
      Thread.sleep(100);
    }
  }
}
