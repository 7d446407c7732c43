package org.ledgerpki.schemas;

import java.util.Objects;

/**
 * How the ledger topics are laid out on a cluster: a name prefix, partition counts and replication.
 *
 * <p>The defaults ({@link #defaults()}) fit the embedded single broker: no prefix, one partition,
 * one log, replication factor 1. A production cluster uses replication factor 3 and {@code
 * min.insync.replicas=2} (see {@link #forCluster(int)}).
 *
 * @param prefix prepended to every topic name (for example a per-test prefix such as {@code
 *     "t42."}); empty for none; only the characters legal in a Kafka topic name
 * @param partitions partition count of the topics that are not per log; {@code >= 1}
 * @param logs number of issuance logs, that is the partition count of the sequencing topic (one
 *     partition per log); {@code 1 <= logs <= 65535} (the MTC log number range)
 * @param replicationFactor replication factor of every topic; {@code >= 1}
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic when {@code replicationFactor
 *     > 1}; {@code 1 <= minInsyncReplicas <= replicationFactor}; ignored (not set) when the
 *     replication factor is 1
 */
public record TopicSettings(
    String prefix, int partitions, int logs, short replicationFactor, int minInsyncReplicas) {

  /** The highest MTC log number; log numbers run from 1 to this value. */
  public static final int MAX_LOGS = 65535;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException if a value is out of range (the message names it)
   */
  public TopicSettings {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty()) {
      Topics.requireLegalName(prefix);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    if (logs < 1 || logs > MAX_LOGS) {
      throw new IllegalArgumentException("logs must be in [1, " + MAX_LOGS + "], got " + logs);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor must be >= 1, got " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "minInsyncReplicas must be in [1, replicationFactor="
              + replicationFactor
              + "], got "
              + minInsyncReplicas);
    }
  }

  /** No prefix, one partition, one log, replication factor 1: the embedded single broker. */
  public static TopicSettings defaults() {
    return new TopicSettings("", 1, 1, (short) 1, 1);
  }

  /**
   * Settings for a cluster with the given replication factor, and {@code min.insync.replicas} set
   * to a majority of the replicas (2 of 3).
   *
   * @param replicationFactor {@code >= 1}
   */
  public static TopicSettings forCluster(int replicationFactor) {
    if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
      throw new IllegalArgumentException(
          "replicationFactor must be in [1, " + Short.MAX_VALUE + "], got " + replicationFactor);
    }
    return new TopicSettings("", 1, 1, (short) replicationFactor, replicationFactor / 2 + 1);
  }

  /** These settings with another prefix (see the record's contract for legal values). */
  public TopicSettings withPrefix(String prefix) {
    return new TopicSettings(prefix, partitions, logs, replicationFactor, minInsyncReplicas);
  }

  /** These settings with another partition count for the topics that are not per log. */
  public TopicSettings withPartitions(int partitions) {
    return new TopicSettings(prefix, partitions, logs, replicationFactor, minInsyncReplicas);
  }

  /** These settings with another number of issuance logs. */
  public TopicSettings withLogs(int logs) {
    return new TopicSettings(prefix, partitions, logs, replicationFactor, minInsyncReplicas);
  }
}
