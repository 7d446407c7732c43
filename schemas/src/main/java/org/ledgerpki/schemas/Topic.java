package org.ledgerpki.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic of the ledger: its name, the serdes of its keys and values, the topic-level
 * configuration it is created with, its partition count and its replication factor.
 *
 * <p>Instances come from {@link Topics}; code outside this package never spells a topic name. The
 * serdes are owned by the {@link LedgerSerdes} that made them: they are already configured, and
 * closing them is a no-op (close the {@code LedgerSerdes} instead).
 *
 * @param name the full topic name, prefix included; a legal Kafka topic name
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 * @param config topic-level settings (for example {@code retention.ms}); immutable
 * @param partitions partition count the topic is created with; {@code >= 1}
 * @param replicationFactor replication factor the topic is created with; {@code >= 1}
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    Map<String, String> config,
    int partitions,
    short replicationFactor) {

  /**
   * Validates and freezes the components.
   *
   * @throws IllegalArgumentException if the name is not a legal Kafka topic name, or {@code
   *     partitions < 1}, or {@code replicationFactor < 1}
   */
  public Topic {
    Topics.requireLegalName(name);
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    config = Map.copyOf(config);
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": partitions must be >= 1, got " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": replication factor must be >= 1, got " + replicationFactor);
    }
  }

  /**
   * The Admin request that creates this topic with its partitions, replication factor and settings.
   */
  public NewTopic newTopic() {
    return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor))
        .configs(config);
  }

  @Override
  public String toString() {
    return name
        + "(partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", config="
        + new java.util.TreeMap<>(config)
        + ")";
  }
}
