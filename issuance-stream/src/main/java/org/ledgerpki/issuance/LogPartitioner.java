package org.ledgerpki.issuance;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * Routes an accepted certificate to its log's partition of {@code ledger.sequence}: partition = log
 * number - 1, so that one task sequences one log.
 */
final class LogPartitioner implements StreamPartitioner<String, LedgerEntry> {

  /**
   * {@inheritDoc}
   *
   * @throws StreamsException if the topic has fewer partitions than the log number: the topic was
   *     created for fewer logs ({@code ledgerpki.topics.logs}); sending the entry elsewhere would
   *     mix two logs
   */
  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, LedgerEntry value, int numPartitions) {
    int log = value.getLogNumber();
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
