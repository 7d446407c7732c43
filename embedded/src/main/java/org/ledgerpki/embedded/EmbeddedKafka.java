package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster in KRaft mode, run as child JVMs on the loopback interface, from the
 * Kafka jars in the local Maven repository (no Docker, no download at run time).
 *
 * <p>Every node is a combined node ({@code process.roles=broker,controller}), so a cluster of 3
 * keeps its controller quorum and its data with one node down. Node ids run from 1 to {@link
 * #size()}. Each node has its own directory below {@link #dataDir()} with its {@code
 * server.properties}, its data and its log file ({@link #logFile(int)}).
 *
 * <p>Topic defaults follow the cluster size: internal topics (offsets, transactions, share state)
 * are replicated {@code min(3, size)} times with {@code min.insync.replicas} 2 when replicated, 1
 * otherwise. Topics are not auto-created: the applications create theirs.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   String bootstrap = kafka.bootstrapServers();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the nodes (SIGTERM, then SIGKILL after {@link
 * Builder#stopTimeout}) and deletes a temporary data directory; nodes left running when the JVM
 * exits are stopped by a shutdown hook, and they exit by themselves if this JVM is killed.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final long POLL_MS = 100;

  private final Builder settings;
  private final Path dataDir;
  private final boolean temporary;
  private final String clusterId;
  private final List<NodeState> nodes;
  private volatile boolean closed;

  private EmbeddedKafka(Builder settings, Path dataDir, boolean temporary, String clusterId) {
    this.settings = settings;
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.clusterId = clusterId;
    int[] ports = Resources.freePorts(2 * settings.nodes);
    List<NodeState> list = new ArrayList<>();
    for (int i = 0; i < settings.nodes; i++) {
      int id = i + 1;
      list.add(new NodeState(id, ports[2 * i], ports[2 * i + 1], dataDir.resolve("node-" + id)));
    }
    this.nodes = List.copyOf(list);
  }

  /** Starts a single combined node in a temporary directory, with the default settings. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  /**
   * Starts a cluster of {@code nodes} combined nodes in a temporary directory.
   *
   * @param nodes {@code >= 1}; 3 tolerates one node down
   */
  public static EmbeddedKafka startCluster(int nodes) {
    return builder().nodes(nodes).start();
  }

  /** Settings for a cluster; {@link Builder#start()} starts it. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bootstrap servers of every node, e.g. {@code 127.0.0.1:41234,127.0.0.1:41236}. */
  public String bootstrapServers() {
    return nodes.stream()
        .map(n -> Resources.LOOPBACK + ":" + n.brokerPort)
        .collect(Collectors.joining(","));
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** The KRaft cluster id. */
  public String clusterId() {
    return clusterId;
  }

  /** The directory holding every node's directory. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The log file of node {@code node} (its stdout and stderr).
   *
   * @param node a node id, {@code 1 <= node <= size()}
   */
  public Path logFile(int node) {
    return node(node).logFile();
  }

  /**
   * The process id of node {@code node}'s JVM, for measuring its CPU time.
   *
   * @param node a node id, {@code 1 <= node <= size()}
   * @throws IllegalStateException if it is not running
   */
  public long pid(int node) {
    ChildJvm jvm = node(node).jvm;
    if (jvm == null || !jvm.isAlive()) {
      throw new IllegalStateException("Kafka node " + node + " is not running");
    }
    return jvm.pid();
  }

  /**
   * Whether node {@code node}'s JVM is running.
   *
   * @param node a node id, {@code 1 <= node <= size()}
   */
  public boolean isRunning(int node) {
    ChildJvm jvm = node(node).jvm;
    return jvm != null && jvm.isAlive();
  }

  /**
   * Kills node {@code node} with SIGKILL ({@code Process.destroyForcibly}), as a crash would, and
   * waits until its process is gone. Its data stays; {@link #restart(int)} brings it back.
   *
   * @param node a node id, {@code 1 <= node <= size()}
   */
  public synchronized void kill(int node) {
    NodeState n = node(node);
    if (n.jvm != null && n.jvm.isAlive()) {
      n.jvm.kill();
      log.info("Killed Kafka node {} (SIGKILL)", node);
    }
  }

  /**
   * Stops node {@code node} cleanly (SIGTERM; SIGKILL after the stop timeout).
   *
   * @param node a node id, {@code 1 <= node <= size()}
   */
  public synchronized void stop(int node) {
    NodeState n = node(node);
    if (n.jvm != null && n.jvm.isAlive()) {
      n.jvm.stop(settings.stopTimeout);
      log.info("Stopped Kafka node {}", node);
    }
  }

  /**
   * Starts node {@code node} again with its data and ports (stopping it first if it runs), and
   * waits until it has rejoined the cluster.
   *
   * @param node a node id, {@code 1 <= node <= size()}
   * @throws IllegalStateException if it does not rejoin within the startup timeout (the message
   *     gives its log file)
   */
  public synchronized void restart(int node) {
    requireOpen();
    NodeState n = node(node);
    stop(node);
    long started = System.nanoTime();
    launch(n);
    awaitReady(List.of(n), System.nanoTime() + settings.startupTimeout.toNanos());
    log.info(
        "Restarted Kafka node {} in {} ms; log: {}",
        node,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        n.logFile());
  }

  /**
   * Stops every node (SIGTERM to all, then SIGKILL to those still running after the stop timeout)
   * and deletes the data directory if it was temporary. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    stopAll(nodes);
    if (temporary) {
      Resources.deleteRecursively(dataDir);
    }
    log.info(
        "Kafka stopped in {} ms{}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        temporary ? "" : "; data kept in " + dataDir);
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", " + size() + " node(s), " + dataDir + "]";
  }

  // --- start-up -------------------------------------------------------------------------------

  private EmbeddedKafka startAll() {
    long started = System.nanoTime();
    log.info(
        "Starting Kafka (KRaft, {} combined node{}) in {}",
        nodes.size(),
        nodes.size() == 1 ? "" : "s",
        dataDir);
    try {
      for (NodeState n : nodes) {
        writeConfig(n);
      }
      for (NodeState n : nodes) {
        launch(n);
      }
      awaitReady(nodes, started + settings.startupTimeout.toNanos());
    } catch (RuntimeException e) {
      closed = true;
      stopAll(nodes);
      throw e;
    }
    log.info(
        "Kafka ready at {} in {} ms; logs: {}",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        nodes.size() == 1 ? logFile(1) : dataDir.resolve("node-*/kafka.log"));
    return this;
  }

  private void launch(NodeState n) {
    List<String> jvmOptions = new ArrayList<>();
    jvmOptions.add("-Xms32m");
    jvmOptions.add("-Xmx" + settings.heap);
    jvmOptions.add("-XX:+UseSerialGC");
    // C1 only: starts in about half the time on two cores; Builder.jvmOption can undo it.
    jvmOptions.add("-XX:TieredStopAtLevel=1");
    jvmOptions.add("-XX:+ExitOnOutOfMemoryError");
    jvmOptions.add("-Djava.awt.headless=true");
    jvmOptions.add("-Dlog4j2.configurationFile=" + n.dir.resolve("log4j2.properties"));
    jvmOptions.addAll(settings.jvmOptions);
    n.jvm =
        ChildJvm.start(
            "kafka-" + n.id,
            n.dir,
            jvmOptions,
            Resources.brokerClasspath(),
            List.of(
                "--kafka-format",
                clusterId,
                n.propertiesFile().toString(),
                "kafka.Kafka",
                n.propertiesFile().toString()),
            n.logFile());
  }

  private void awaitReady(Collection<NodeState> waitingFor, long deadline) {
    // First the broker ports, so that the Admin client does not log connection failures.
    for (NodeState n : waitingFor) {
      while (!Resources.accepts(n.brokerPort)) {
        checkProgress(n, deadline, "accept connections on port " + n.brokerPort);
        Resources.pause(POLL_MS);
      }
    }
    Set<Integer> expected = waitingFor.stream().map(n -> n.id).collect(Collectors.toSet());
    try (Admin admin = Admin.create(adminConfig())) {
      while (true) {
        Set<Integer> registered = registeredNodes(admin);
        if (registered.containsAll(expected)) {
          return;
        }
        for (NodeState n : waitingFor) {
          checkProgress(n, deadline, "register with the cluster (registered: " + registered + ")");
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

  private void checkProgress(NodeState n, long deadline, String what) {
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
              + settings.startupTimeout.toSeconds()
              + " s; see "
              + n.logFile()
              + ":\n"
              + ChildJvm.tail(n.logFile(), 30));
    }
  }

  private Map<String, Object> adminConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    return config;
  }

  private void writeConfig(NodeState n) {
    int replication = Math.min(3, nodes.size());
    int minIsr = replication > 1 ? 2 : 1;
    String voters =
        nodes.stream()
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
    p.putAll(settings.brokerProperties);

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

  // --- helpers --------------------------------------------------------------------------------

  private void stopAll(Collection<NodeState> stopping) {
    List<ChildJvm> running =
        stopping.stream().map(n -> n.jvm).filter(j -> j != null && j.isAlive()).toList();
    running.forEach(ChildJvm::terminate);
    long deadline = System.nanoTime() + settings.stopTimeout.toNanos();
    for (ChildJvm jvm : running) {
      if (!jvm.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        log.warn(
            "{} did not stop within {} s of SIGTERM; killing it",
            jvm.name(),
            settings.stopTimeout.toSeconds());
        jvm.kill();
      }
    }
  }

  private NodeState node(int node) {
    if (node < 1 || node > nodes.size()) {
      throw new IllegalArgumentException(
          "node id must be in [1, " + nodes.size() + "], got " + node);
    }
    return nodes.get(node - 1);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this EmbeddedKafka is closed");
    }
  }

  private static String clusterIdOf(Path dataDir) {
    Path file = dataDir.resolve(CLUSTER_ID_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String id = Uuid.randomUuid().toString();
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write " + file, e);
    }
  }

  /** One node: its ports and directory, and its JVM while it runs. */
  private static final class NodeState {
    final int id;
    final int brokerPort;
    final int controllerPort;
    final Path dir;
    volatile ChildJvm jvm;

    NodeState(int id, int brokerPort, int controllerPort, Path dir) {
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

  /** Settings of an {@link EmbeddedKafka}; every setting has a default. */
  public static final class Builder {
    private int nodes = 1;
    private Path dataDir;
    private String heap = "256m";
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> brokerProperties = new TreeMap<>();

    private Builder() {}

    /**
     * The number of combined (broker and controller) nodes; default 1.
     *
     * @param nodes {@code 1 <= nodes <= 9}
     */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes must be in [1, 9], got " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /**
     * Keep the data in {@code dir} (created if missing, reused if it holds a cluster from an
     * earlier run, never deleted); default: a temporary directory, deleted by {@link #close()}.
     */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Maximum heap of each node, in {@code -Xmx} syntax; default {@code 256m}. */
    public Builder heap(String heap) {
      if (!heap.matches("[0-9]+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 256m or 1g, got " + heap);
      }
      this.heap = heap;
      return this;
    }

    /** How long to wait for the nodes to be ready; default 60 s. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = positive(timeout, "startupTimeout");
      return this;
    }

    /** How long a node may take to stop after SIGTERM before it gets SIGKILL; default 10 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = positive(timeout, "stopTimeout");
      return this;
    }

    /** Adds a JVM option for every node (after the defaults, so it wins). */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** Sets a broker property for every node, overriding the fixture's value. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Starts the nodes and waits until every one has registered with the cluster.
     *
     * @throws IllegalStateException if a node exits or is not ready within the startup timeout (the
     *     message names the node's log file and quotes its end)
     */
    public EmbeddedKafka start() {
      boolean temporary = dataDir == null;
      Path dir;
      try {
        dir =
            temporary
                ? Files.createTempDirectory("ledgerpki-kafka-")
                : Files.createDirectories(dataDir.toAbsolutePath());
      } catch (IOException e) {
        throw new UncheckedIOException("could not create the Kafka data directory", e);
      }
      Builder frozen = copy();
      return new EmbeddedKafka(frozen, dir, temporary, clusterIdOf(dir)).startAll();
    }

    private Builder copy() {
      Builder b = new Builder();
      b.nodes = nodes;
      b.dataDir = dataDir;
      b.heap = heap;
      b.startupTimeout = startupTimeout;
      b.stopTimeout = stopTimeout;
      b.jvmOptions.addAll(jvmOptions);
      b.brokerProperties.putAll(brokerProperties);
      return b;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
