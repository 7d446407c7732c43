package org.ledgerpki.issuance;

import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Routes an accepted certificate to its log's partition of {@code ledger.sequence}, or a granted
 * lifecycle request to its log's partition of {@code ledger.status-sequence}: partition = log
 * number - 1, so that one task sequences one log.
 */
final class LogPartitioner<V> implements StreamPartitioner<String, V> {
  private final ToIntFunction<V> logNumber;

  private LogPartitioner(ToIntFunction<V> logNumber) {
    this.logNumber = logNumber;
  }

  /** For {@code ledger.sequence}. */
  static LogPartitioner<LedgerEntry> entries() {
    return new LogPartitioner<>(LedgerEntry::getLogNumber);
  }

  /** For {@code ledger.status-sequence}. */
  static LogPartitioner<StatusEntry> status() {
    return new LogPartitioner<>(StatusEntry::getLogNumber);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StreamsException if the topic has fewer partitions than the log number: the topic was
   *     created for fewer logs ({@code ledgerpki.topics.logs}); sending the entry elsewhere would
   *     mix two logs
   */
  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
    int log = logNumber.applyAsInt(value);
    if (log < 1 || log > numPartitions) {
      throw new StreamsException(
          "log number "
              + log
              + " has no partition in "
              + topic
              + " ("
              + numPartitions
              + " partitions, one per log); create it with at least "
              + log
              + " partitions (ledgerpki.topics.logs)");
    }
    return Optional.of(Set.of(log - 1));
  }
}
