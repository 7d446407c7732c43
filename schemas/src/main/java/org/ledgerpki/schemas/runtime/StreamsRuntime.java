package org.ledgerpki.schemas.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application of the ledger: exactly-once v2, idempotent {@code acks=all}
 * producers, replication of internal topics as configured, the ledger topics created if missing,
 * and a clear log of state changes. A fatal error stops the client and is logged, never swallowed.
 */
public final class StreamsRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsRuntime.class);

  private final String name;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;

  private StreamsRuntime(String name, KafkaStreams streams) {
    this.name = name;
    this.streams = streams;
  }

  /**
   * The Streams properties of an application.
   *
   * @param applicationId the consumer group and state prefix; each organisation's service has its
   *     own
   * @param commitInterval how often transactions commit (latency vs throughput)
   */
  public static Properties properties(
      ServiceConfig config, String applicationId, Duration commitInterval) {
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
    streams.setStateListener(
        (now, before) -> {
          LOG.info("{}: {} -> {}", name, before, now);
          if (now == KafkaStreams.State.RUNNING) {
            rt.running.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          if (transientBrokerCondition(e)
              && rt.replacements.incrementAndGet() <= MAX_REPLACEMENTS) {
            // Exactly-once: the thread's open transaction is aborted and its tasks resume from
            // the last commit on the new thread, so nothing is lost or written twice.
            LOG.warn(
                "{}: replacing a stream thread after a transient broker condition ({} of at most"
                    + " {}): {}",
                name,
                rt.replacements.get(),
                MAX_REPLACEMENTS,
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

  /** Stream threads replaced after transient broker conditions before the client gives up. */
  static final int MAX_REPLACEMENTS = 10;

  private final java.util.concurrent.atomic.AtomicInteger replacements =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Whether {@code e} comes from a broker condition that passes by itself: a retriable Kafka error,
   * or a group coordinator that is still loading its state. The classic consumer reports the latter
   * from SyncGroup as a plain {@code KafkaException} ("Unexpected error from SyncGroup: The
   * coordinator is loading ..."), which Streams does not retry; it happens on a freshly started or
   * busy broker.
   */
  static boolean transientBrokerCondition(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.RetriableException) {
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

  /** The error that stopped the application, or null. */
  public Throwable failure() {
    return failure;
  }

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
