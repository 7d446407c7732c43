package org.ledgerpki.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The single entry point to a Kafka broker and a schema registry for integration tests and the
 * demo.
 *
 * <p>Where a Docker engine is available, Kafka runs in a container (Testcontainers, image {@code
 * apache/kafka:<client version>}, or the project's own {@code ledgerpki/kafka} built by {@code
 * docker/build-images.sh} when {@code LEDGERPKI_KAFKA_IMAGE} names it); otherwise it runs as an
 * {@link EmbeddedKafka} child JVM. The schema registry is always an {@link EmbeddedRegistry} child
 * JVM. The choice, and why, is logged. The environment variable or system property {@code
 * LEDGERPKI_KAFKA} chooses explicitly: {@code embedded}, {@code docker}, or {@code auto} (the
 * default); {@code LEDGERPKI_KAFKA_IMAGE} sets the image.
 *
 * <p>Tests share one fixture per JVM through {@link #shared()} (started on first use, stopped by a
 * shutdown hook) or {@link KafkaFixtureExtension}, and give each test its own topic names with
 * {@link #uniquePrefix(String)}.
 */
public final class KafkaFixture implements AutoCloseable {

  /** How the broker runs. */
  public enum Mode {
    /** {@link EmbeddedKafka}: a child JVM from the Kafka jars in the local Maven repository. */
    EMBEDDED,
    /** Testcontainers' {@code KafkaContainer} on a Docker engine. */
    DOCKER
  }

  /** Environment variable or system property that forces a {@link Mode}. */
  public static final String MODE_VARIABLE = "LEDGERPKI_KAFKA";

  /** Environment variable or system property naming the Kafka image in {@link Mode#DOCKER}. */
  public static final String IMAGE_VARIABLE = "LEDGERPKI_KAFKA_IMAGE";

  private static final Logger log = LoggerFactory.getLogger(KafkaFixture.class);
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Object SHARED_LOCK = new Object();
  private static KafkaFixture shared;

  private final Mode mode;
  private final EmbeddedKafka embedded;
  private final GenericContainer<?> container;
  private final EmbeddedRegistry registry;
  private final String bootstrapServers;
  private final Admin admin;
  private volatile boolean closed;

  private KafkaFixture(
      Mode mode, EmbeddedKafka embedded, GenericContainer<?> container, EmbeddedRegistry registry) {
    this.mode = mode;
    this.embedded = embedded;
    this.container = container;
    this.registry = registry;
    this.bootstrapServers =
        embedded != null ? embedded.bootstrapServers() : containerBootstrap(container);
    Map<String, Object> adminConfig = new HashMap<>();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-fixture-admin");
    this.admin = Admin.create(adminConfig);
  }

  /**
   * Starts a broker (Docker or embedded, see the class comment) and a schema registry.
   *
   * @throws IllegalStateException if either does not start (the message says where to look)
   */
  public static KafkaFixture start() {
    long started = System.nanoTime();
    Choice choice = choose();
    log.info("Kafka fixture: {} ({})", choice.mode(), choice.reason());
    // The registry does not need Kafka (in-memory storage): start both at once.
    CompletableFuture<EmbeddedRegistry> registryStart =
        CompletableFuture.supplyAsync(EmbeddedRegistry::start);
    EmbeddedKafka embedded = null;
    GenericContainer<?> container = null;
    try {
      if (choice.mode() == Mode.DOCKER) {
        container = startContainer();
      } else {
        embedded = EmbeddedKafka.start();
      }
    } catch (RuntimeException e) {
      registryStart.thenAccept(KafkaFixture::closeQuietly);
      throw e;
    }
    try {
      KafkaFixture fixture =
          new KafkaFixture(choice.mode(), embedded, container, awaitRegistry(registryStart));
      log.info(
          "Kafka fixture ready in {} ms: bootstrap {}, registry {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          fixture.bootstrapServers(),
          fixture.registryUrl());
      return fixture;
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      if (container != null) {
        container.stop();
      }
      throw e;
    }
  }

  private static EmbeddedRegistry awaitRegistry(CompletableFuture<EmbeddedRegistry> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The fixture shared by every test of this JVM: started on the first call, stopped when the JVM
   * exits. Callers must not close it.
   */
  public static KafkaFixture shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null || shared.closed) {
        KafkaFixture fixture = start();
        Runtime.getRuntime()
            .addShutdownHook(new Thread(fixture::closeShared, "ledgerpki-kafka-fixture-shutdown"));
        shared = fixture;
      }
      return shared;
    }
  }

  /**
   * A topic-name prefix no other test of this JVM gets, e.g. {@code avrothroughbrokerit-3-1a2b.};
   * pass it to {@code Topics.create(prefix, serdes)}.
   *
   * @param testName a readable name (letters and digits are kept, the rest dropped)
   */
  public static String uniquePrefix(String testName) {
    String clean = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String random = UUID.randomUUID().toString().substring(0, 4);
    return (clean.isEmpty() ? "test" : clean)
        + "-"
        + PREFIXES.incrementAndGet()
        + "-"
        + random
        + ".";
  }

  /** How the broker runs. */
  public Mode mode() {
    return mode;
  }

  /** The Kafka bootstrap servers. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The registry's base URL; give it to {@code LedgerSerdes.registry(url)}. */
  public String registryUrl() {
    return registry.url();
  }

  /** The schema registry. */
  public EmbeddedRegistry registry() {
    return registry;
  }

  /** An Admin client of the cluster, shared; closed by {@link #close()}, not by callers. */
  public Admin admin() {
    return admin;
  }

  /** The embedded cluster, when {@link #mode()} is {@link Mode#EMBEDDED}. */
  public java.util.Optional<EmbeddedKafka> embeddedKafka() {
    return java.util.Optional.ofNullable(embedded);
  }

  /**
   * Producer settings for a ledger service: {@code acks=all} with idempotence. Add the serdes as
   * instances ({@code new KafkaProducer<>(props, keySerializer, valueSerializer)}).
   */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return p;
  }

  /**
   * {@link #producerProperties()} plus a {@code transactional.id}.
   *
   * @param transactionalId unique per producer instance
   */
  public Map<String, Object> transactionalProducerProperties(String transactionalId) {
    Map<String, Object> p = producerProperties();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Objects.requireNonNull(transactionalId));
    return p;
  }

  /**
   * Consumer settings: reads committed records only ({@code read_committed}), from the earliest
   * offset, without auto-commit.
   *
   * @param groupId the consumer group
   */
  public Map<String, Object> consumerProperties(String groupId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId));
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return p;
  }

  /** Stops the registry and the broker. The {@linkplain #shared() shared} fixture ignores it. */
  @Override
  public void close() {
    synchronized (SHARED_LOCK) {
      if (this == shared) {
        return;
      }
    }
    doClose();
  }

  @Override
  public String toString() {
    return "KafkaFixture[" + mode + ", " + bootstrapServers + ", registry " + registryUrl() + "]";
  }

  private void closeShared() {
    doClose();
  }

  private synchronized void doClose() {
    if (closed) {
      return;
    }
    closed = true;
    admin.close(Duration.ofSeconds(5));
    closeQuietly(registry);
    closeQuietly(embedded);
    if (container != null) {
      container.stop();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("could not close {}: {}", closeable, e.toString());
    }
  }

  // --- choosing the broker --------------------------------------------------------------------

  record Choice(Mode mode, String reason) {}

  static Choice choose() {
    String forced = setting(MODE_VARIABLE);
    if (forced != null && !forced.isBlank() && !forced.equalsIgnoreCase("auto")) {
      Mode mode =
          switch (forced.strip().toLowerCase(Locale.ROOT)) {
            case "embedded" -> Mode.EMBEDDED;
            case "docker" -> Mode.DOCKER;
            default ->
                throw new IllegalArgumentException(
                    MODE_VARIABLE + " must be embedded, docker or auto, got \"" + forced + "\"");
          };
      return new Choice(mode, MODE_VARIABLE + "=" + forced);
    }
    String unavailable = DockerProbe.whyUnavailable();
    return unavailable == null
        ? new Choice(Mode.DOCKER, "a Docker engine is available")
        : new Choice(Mode.EMBEDDED, "no Docker engine: " + unavailable);
  }

  private static GenericContainer<?> startContainer() {
    String image = setting(IMAGE_VARIABLE);
    if (image == null || image.isBlank()) {
      image = "apache/kafka:" + AppInfoParser.getVersion();
    }
    log.info("Starting Kafka in a container ({})", image);
    GenericContainer<?> container;
    if (image.startsWith("ledgerpki/")) {
      // The project's own image (docker/build-images.sh): present locally, never pulled.
      container = new LocalKafkaContainer(image);
    } else {
      container =
          new KafkaContainer(image)
              .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
              .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
              .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
    }
    container.start();
    return container;
  }

  private static String containerBootstrap(GenericContainer<?> container) {
    return container instanceof LocalKafkaContainer local
        ? local.bootstrapServers()
        : ((KafkaContainer) container).getBootstrapServers();
  }

  static String setting(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }
}
