package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The configuration files of an {@link EmbeddedKafka} node: a KRaft combined node on the loopback
 * interface, with internal topics replicated {@code min(3, size)} times, no topic auto-creation,
 * and settings for a small machine and fast failover.
 */
final class KafkaNodeConfig {
  private KafkaNodeConfig() {}

  /**
   * Writes {@code server.properties} and {@code log4j2.properties} into {@code n}'s directory
   * (created if missing), for a combined node of {@code cluster}; {@code overrides} win over the
   * defaults.
   *
   * @throws UncheckedIOException if a file cannot be written
   */
  static void write(KafkaNode n, List<KafkaNode> cluster, Map<String, String> overrides) {
    int replication = Math.min(3, cluster.size());
    int minIsr = replication > 1 ? 2 : 1;
    String voters =
        cluster.stream()
            .map(v -> v.id + "@" + Resources.LOOPBACK + ":" + v.controllerPort)
            .collect(Collectors.joining(","));
    Map<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(n.id));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://"
            + Resources.LOOPBACK
            + ":"
            + n.brokerPort
            + ",CONTROLLER://"
            + Resources.LOOPBACK
            + ":"
            + n.controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + Resources.LOOPBACK + ":" + n.brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", n.dir.resolve("data").toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", Integer.toString(replication));
    // Internal topics: replicated as far as the cluster allows, and few partitions, so that the
    // first consumer group or transaction does not wait for 50 partitions to be created.
    p.put("offsets.topic.replication.factor", Integer.toString(replication));
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", Integer.toString(replication));
    p.put("transaction.state.log.min.isr", Integer.toString(minIsr));
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
    p.put("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
    p.put("share.coordinator.state.topic.num.partitions", "5");
    // Small machine: a 4 MiB cleaner buffer (the default 128 MiB would need a large heap) and
    // fewer threads.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("num.replica.fetchers", "1");
    // Fast reactions for tests and the demo: no initial rebalance delay, and a crashed node is
    // fenced (and its partitions' leadership moved) after 3 s instead of 9 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    p.putAll(overrides);

    Properties properties = new Properties();
    properties.putAll(p);
    String log4j =
        String.join(
            "\n",
            "status = warn",
            "appender.out.type = Console",
            "appender.out.name = OUT",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = OUT",
            "logger.config.name = org.apache.kafka.common.config.AbstractConfig",
            "logger.config.level = WARN",
            "logger.statechange.name = state.change.logger",
            "logger.statechange.level = WARN",
            "");
    try {
      Files.createDirectories(n.dir);
      try (Writer out = Files.newBufferedWriter(n.propertiesFile(), StandardCharsets.UTF_8)) {
        properties.store(out, "Kafka node " + n.id + " of an EmbeddedKafka cluster");
      }
      Files.writeString(n.dir.resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the configuration of Kafka node " + n.id, e);
    }
  }
}
