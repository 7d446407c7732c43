package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

  private final Builder settings;
  private final Path dataDir;
  private final boolean temporary;
  private final String clusterId;
  private final List<KafkaNode> nodes;
  private volatile boolean closed;

  private EmbeddedKafka(Builder settings, Path dataDir, boolean temporary, String clusterId) {
    this.settings = settings;
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.clusterId = clusterId;
    int[] ports = Resources.freePorts(2 * settings.nodes);
    List<KafkaNode> list = new ArrayList<>();
    for (int i = 0; i < settings.nodes; i++) {
      int id = i + 1;
      list.add(new KafkaNode(id, ports[2 * i], ports[2 * i + 1], dataDir.resolve("node-" + id)));
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
    KafkaNode n = node(node);
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
    KafkaNode n = node(node);
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
    KafkaNode n = node(node);
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
      for (KafkaNode n : nodes) {
        KafkaNodeConfig.write(n, nodes, settings.brokerProperties);
      }
      for (KafkaNode n : nodes) {
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

  private void launch(KafkaNode n) {
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

  private void awaitReady(Collection<KafkaNode> waitingFor, long deadline) {
    KafkaReadiness.await(waitingFor, bootstrapServers(), deadline, settings.startupTimeout);
  }

  // --- helpers --------------------------------------------------------------------------------

  private void stopAll(Collection<KafkaNode> stopping) {
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

  private KafkaNode node(int node) {
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
