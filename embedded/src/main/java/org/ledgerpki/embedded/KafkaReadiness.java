package org.ledgerpki.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Waiting for {@link EmbeddedKafka} nodes to be ready: first their broker ports, then their
 * registration with the cluster, failing fast with the node's log when a node exits.
 */
final class KafkaReadiness {
  private static final long POLL_MS = 100;

  private KafkaReadiness() {}

  /**
   * Waits until every node of {@code waitingFor} accepts connections and has registered with the
   * cluster at {@code bootstrapServers}.
   *
   * @param deadline a {@link System#nanoTime()} value
   * @param startupTimeout the timeout {@code deadline} was computed from, for messages
   * @throws IllegalStateException if a node exits or the deadline passes; the message names the
   *     node's log file and quotes its end
   */
  static void await(
      Collection<KafkaNode> waitingFor,
      String bootstrapServers,
      long deadline,
      Duration startupTimeout) {
    // First the broker ports, so that the Admin client does not log connection failures.
    for (KafkaNode n : waitingFor) {
      while (!Resources.accepts(n.brokerPort)) {
        checkProgress(n, deadline, startupTimeout, "accept connections on port " + n.brokerPort);
        Resources.pause(POLL_MS);
      }
    }
    Set<Integer> expected = waitingFor.stream().map(n -> n.id).collect(Collectors.toSet());
    try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
      while (true) {
        Set<Integer> registered = registeredNodes(admin);
        if (registered.containsAll(expected)) {
          return;
        }
        for (KafkaNode n : waitingFor) {
          checkProgress(
              n,
              deadline,
              startupTimeout,
              "register with the cluster (registered: " + registered + ")");
        }
        Resources.pause(POLL_MS);
      }
    }
  }

  private static Set<Integer> registeredNodes(Admin admin) {
    try {
      Collection<Node> found =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
              .nodes()
              .get(3, TimeUnit.SECONDS);
      return found.stream().map(Node::id).collect(Collectors.toSet());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    } catch (Exception e) {
      return Set.of();
    }
  }

  private static void checkProgress(
      KafkaNode n, long deadline, Duration startupTimeout, String what) {
    if (n.jvm == null || !n.jvm.isAlive()) {
      throw new IllegalStateException(
          "Kafka node "
              + n.id
              + " exited (code "
              + (n.jvm == null ? "?" : n.jvm.exitCode())
              + ") before it could "
              + what
              + "; see "
              + n.logFile()
              + ":\n"
              + ChildJvm.tail(n.logFile(), 30));
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "Kafka node "
              + n.id
              + " did not "
              + what
              + " within "
              + startupTimeout.toSeconds()
              + " s; see "
              + n.logFile()
              + ":\n"
              + ChildJvm.tail(n.logFile(), 30));
    }
  }

  private static Map<String, Object> adminConfig(String bootstrapServers) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return config;
  }
}
