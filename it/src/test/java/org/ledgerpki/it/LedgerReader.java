package org.ledgerpki.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.ledgerpki.schemas.Topic;

/** Reads a ledger topic from the beginning (read_committed) into a list, as a test observer. */
final class LedgerReader<V> implements AutoCloseable {
  private final KafkaConsumer<String, V> consumer;
  private final List<V> values = new ArrayList<>();

  LedgerReader(String bootstrap, Topic<String, V> topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer =
        new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo pi : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
      parts.add(new TopicPartition(pi.topic(), pi.partition()));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Everything read so far, after polling once more. */
  List<V> poll() {
    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
      values.add(r.value());
    }
    return values;
  }

  /**
   * Polls until {@code done} holds for what was read, or the timeout passes.
   *
   * @return what was read
   */
  List<V> until(Predicate<List<V>> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!done.test(poll()) && Instant.now().isBefore(deadline)) {
      // poll() waits up to 200 ms for records.
    }
    return values;
  }

  /**
   * Polls until this reader has read up to the end offsets as they are now (for this read_committed
   * reader, the last stable offsets: an open transaction's records are not waited for), or the
   * timeout passes.
   *
   * @return what was read
   */
  List<V> untilEnd(Duration timeout) {
    Map<TopicPartition, Long> ends = endOffsets();
    Instant deadline = Instant.now().plus(timeout);
    do {
      poll();
    } while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())
        && Instant.now().isBefore(deadline));
    return values;
  }

  Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(consumer.assignment());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
