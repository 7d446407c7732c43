package org.ledgerpki.embedded;

import java.nio.file.Path;

/** One node of an {@link EmbeddedKafka}: its ports and directory, and its JVM while it runs. */
final class KafkaNode {
  final int id;
  final int brokerPort;
  final int controllerPort;
  final Path dir;
  volatile ChildJvm jvm;

  KafkaNode(int id, int brokerPort, int controllerPort, Path dir) {
    this.id = id;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.dir = dir;
  }

  Path propertiesFile() {
    return dir.resolve("server.properties");
  }

  Path logFile() {
    return dir.resolve("kafka.log");
  }
}
