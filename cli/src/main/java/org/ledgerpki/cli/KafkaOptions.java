package org.ledgerpki.cli;

import picocli.CommandLine.Option;

/** Where the consortium's Kafka cluster and schema registry are. */
public final class KafkaOptions {
  @Option(
      names = "--bootstrap",
      defaultValue = "${env:LEDGERPKI_KAFKA_BOOTSTRAP:-localhost:9092}",
      description =
          "Kafka bootstrap servers (env LEDGERPKI_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(
      names = "--registry",
      defaultValue = "${env:LEDGERPKI_REGISTRY_URL:-http://localhost:8081}",
      description =
          "Schema registry base URL (env LEDGERPKI_REGISTRY_URL; default: ${DEFAULT-VALUE}).")
  String registry;

  @Option(
      names = "--topic-prefix",
      defaultValue = "${env:LEDGERPKI_TOPICS_PREFIX:-}",
      description = "Prefix of the ledger topics (env LEDGERPKI_TOPICS_PREFIX; default: none).")
  String topicPrefix;
}
