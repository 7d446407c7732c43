package org.ledgerpki.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application of the ledger: exactly-once v2, idempotent {@code acks=all}
 * producers, replication of internal topics as configured, the ledger topics created if missing,
 * and a clear log of state changes. A fatal error stops the client and is logged, never swallowed.
 */
public final class StreamsRuntime implements Monitored, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRuntime.class);

  private final String name;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;

  /** Store partitions being restored from their changelogs (global stores too), by name. */
  private final Set<String> restoring = ConcurrentHashMap.newKeySet();

  private StreamsRuntime(String name, KafkaStreams streams) {
    this.name = name;
    this.streams = streams;
  }

  /**
   * The Streams properties of an application.
   *
   * @param applicationId the consumer group and state prefix; each organisation's service has its
   *     own
   * @param commitInterval how often transactions commit (latency vs throughput): the service's
   *     interval as {@link ServiceConfig#commitInterval(org.ledgerpki.schemas.config.Settings,
   *     String, Duration)} resolves it (the shared {@link ServiceConfig#COMMIT_INTERVAL} wins
   *     there, not here)
   * @param timers the wall-clock punctuation intervals of the application's processors, if any: a
   *     stream thread runs its punctuators and its commits only between polls, so the poll time is
   *     at most the shortest of these and of the commit interval ({@link #pollTime})
   */
  public static Properties properties(
      ServiceConfig config, String applicationId, Duration commitInterval, Duration... timers) {
    Properties p = new Properties();
    // Security and other client settings from configuration first; the ledger's own win.
    p.putAll(config.settings().kafkaClient());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(
        StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicSettings().replicationFactor());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config, applicationId).toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.POLL_MS_CONFIG, pollTime(commitInterval, timers).toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 8L * 1024 * 1024);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    // A crashed instance's tasks move to another instance after the session timeout: 10 s rather
    // than the default 45 s, so that a standby sequencer or cosigner takes over quickly.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    return p;
  }

  /** Kafka Streams' default {@code poll.ms}: how long a stream thread waits for input. */
  static final Duration DEFAULT_POLL = Duration.ofMillis(100);

  /**
   * How long a stream thread blocks waiting for input: Kafka Streams' default (100 ms), or less if
   * the commit interval or a wall-clock timer is shorter. A thread commits, and runs its wall-clock
   * punctuators, only between polls; with the default poll a quiet application commits a record it
   * has processed up to 100 ms late whatever its commit interval, so on a path of several
   * exactly-once hops (a revocation crosses six) a short commit interval bought nothing until the
   * poll followed it.
   */
  static Duration pollTime(Duration commitInterval, Duration... timers) {
    Duration poll = DEFAULT_POLL;
    if (commitInterval.compareTo(poll) < 0) {
      poll = commitInterval;
    }
    for (Duration t : timers) {
      if (t.isPositive() && t.compareTo(poll) < 0) {
        poll = t;
      }
    }
    return poll;
  }

  private static Path stateDir(ServiceConfig config, String applicationId) {
    return config.stateDir().resolve(applicationId);
  }

  /** Creates the ledger topics that are missing, logging what it created. */
  public static void provision(ServiceConfig config, Topics topics) {
    Properties p = new Properties();
    p.putAll(config.settings().kafkaClient());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      new TopicProvisioner(admin, Duration.ofSeconds(60)).ensure(topics);
    }
  }

  /** Starts {@code topology} and returns at once; {@link #awaitRunning} waits for it. */
  public static StreamsRuntime start(String name, Topology topology, Properties props) {
    KafkaStreams streams = new KafkaStreams(topology, props);
    StreamsRuntime rt = new StreamsRuntime(name, streams);
    streams.setGlobalStateRestoreListener(rt.new Restoration());
    streams.setStateListener(
        (now, before) -> {
          LOG.info("{}: {} -> {}", name, before, now);
          if (now == KafkaStreams.State.RUNNING) {
            rt.running.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          if (transientBrokerCondition(e) && rt.replacements.tryTake()) {
            // Exactly-once: the thread's open transaction is aborted and its tasks resume from
            // the last commit on the new thread, so nothing is lost or written twice.
            LOG.warn(
                "{}: replacing a stream thread after a transient broker condition ({} of at most"
                    + " {} within {}): {}",
                name,
                rt.replacements.spent(),
                MAX_REPLACEMENTS,
                REPLACEMENT_WINDOW,
                rootMessage(e));
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          rt.failure = e;
          LOG.error("{}: stopping after an unexpected error", name, e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    return rt;
  }

  /**
   * Stream threads replaced after transient broker conditions within {@link #REPLACEMENT_WINDOW}
   * before the client gives up.
   */
  static final int MAX_REPLACEMENTS = 10;

  static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

  private final ReplacementBudget replacements =
      new ReplacementBudget(MAX_REPLACEMENTS, REPLACEMENT_WINDOW, System::nanoTime);

  /**
   * Whether {@code e} comes from a broker condition that passes by itself: a retriable Kafka error,
   * or a group coordinator that is still loading its state. The classic consumer reports the latter
   * from SyncGroup as a plain {@code KafkaException} ("Unexpected error from SyncGroup: The
   * coordinator is loading ..."), which Streams does not retry; it happens on a freshly started or
   * busy broker.
   *
   * <p>Also a transaction the broker aborted under the thread: when a broker is lost, a thread can
   * stall past its transaction timeout while the transaction coordinator moves, and the new
   * coordinator aborts the open transaction. The commit then fails with {@code
   * InvalidTxnStateException} (KAFKA-19690 reports the same condition) or {@code
   * TransactionAbortableException}, which Kafka Streams takes as fatal. Nothing of that transaction
   * was committed, so a new thread, with a new producer, resumes from the last commit: exactly-once
   * holds (the compose test's R1 kills a broker under load and found two services stopped by it).
   */
  static boolean transientBrokerCondition(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.RetriableException
          || t instanceof org.apache.kafka.common.errors.InvalidTxnStateException
          || t instanceof org.apache.kafka.common.errors.TransactionAbortableException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null
          && (m.contains("The coordinator is loading")
              || m.contains("The coordinator is not available")
              || m.contains("This is not the correct coordinator"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** Waits until the application is RUNNING; false on timeout. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** How many store partitions are being restored from their changelogs now. */
  public int restoringPartitions() {
    return restoring.size();
  }

  /** The client's state, and how many store partitions are still being restored. */
  @Override
  public String state() {
    int n = restoring.size();
    return streams.state() + (n == 0 ? "" : ", restoring " + n + " store partition(s)");
  }

  /**
   * Alive while the client is created, rebalancing or running: false once an error stopped it (or
   * it was closed). A stream thread replaced after a transient broker condition keeps it alive.
   */
  @Override
  public boolean live() {
    KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.CREATED || s.isRunningOrRebalancing();
  }

  /**
   * Ready when RUNNING with no store partition being restored: Kafka Streams' state updater
   * restores in the background, so RUNNING alone does not mean caught up.
   */
  @Override
  public boolean ready() {
    return streams.state() == KafkaStreams.State.RUNNING && restoring.isEmpty();
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return streams.metrics();
  }

  /** Tracks the store partitions under restoration, for {@link #ready}. */
  private final class Restoration implements StateRestoreListener {
    private String key(TopicPartition tp, String store) {
      return store + "@" + tp;
    }

    @Override
    public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
      restoring.add(key(tp, store));
    }

    @Override
    public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {}

    @Override
    public void onRestoreEnd(TopicPartition tp, String store, long total) {
      restoring.remove(key(tp, store));
      if (total > 0) {
        LOG.info("{}: restored {} records of store {} from {}", name, total, store, tp);
      }
    }

    @Override
    public void onRestoreSuspended(TopicPartition tp, String store, long total) {
      // The task moved away (or is closing): it no longer holds this instance back.
      restoring.remove(key(tp, store));
    }
  }

  /** The error that stopped the application, or null. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Stops the application, committing what it processed. It leaves its consumer group, so that
   * another instance takes its tasks over at once instead of after the session timeout.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
