package org.ledgerpki.schemas;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the serdes of the ledger topics: keys are UTF-8 strings; values are the generated Avro
 * classes of {@code org.ledgerpki.schemas.avro}, written in the Confluent-compatible {@link
 * WireFormat} by Apicurio's Avro serdes.
 *
 * <p>Two modes (see {@code docs/adr/0004-avro-wire-format.md}):
 *
 * <ul>
 *   <li>{@link #registry(String)}: against a real Apicurio Registry (or another registry with
 *       Apicurio's v3 API). A writer registers the value schema under the subject {@code
 *       <topic>-value} the first time it writes to a topic, and frames the record with the 4-byte
 *       content id, which is the id the registry's Confluent-compatible API serves.
 *   <li>{@link #inMemory()}: the same serdes and framing, with the schemas kept in an {@link
 *       InMemorySchemaRegistry} in this JVM; for unit tests.
 * </ul>
 *
 * <p>The serdes are configured once, here, are thread-safe and are shared: ask for them as often as
 * needed ({@link #values(Class)} returns the same instance per class). Their own {@code configure}
 * and {@code close} do nothing; {@link #close()} on this object releases the HTTP client, after
 * which its serdes must not be used.
 *
 * <p>A value that cannot be read (wrong framing, unknown schema id, corrupt body, other type) fails
 * with a {@link org.apache.kafka.common.errors.SerializationException} whose message names the
 * topic and the fault; consumers see it as a {@code RecordDeserializationException} and route the
 * record to the dead-letter topic.
 */
public final class LedgerSerdes implements AutoCloseable {

  /** Package of the generated Avro classes. */
  public static final String AVRO_PACKAGE = "org.ledgerpki.schemas.avro";

  /** Path of Apicurio Registry's core v3 API below the registry's base URL. */
  public static final String REGISTRY_V3_PATH = "/apis/registry/v3";

  private static final Logger log = LoggerFactory.getLogger(LedgerSerdes.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  static {
    trustGeneratedClasses();
  }

  private final String description;
  private final Supplier<Map<String, Object>> valueConfig;
  private final Vertx vertx;
  private final InMemorySchemaRegistry memory;
  private final ConcurrentMap<Class<?>, AvroValueSerde<?>> values = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private LedgerSerdes(
      String description,
      Supplier<Map<String, Object>> valueConfig,
      Vertx vertx,
      InMemorySchemaRegistry memory) {
    this.description = description;
    this.valueConfig = valueConfig;
    this.vertx = vertx;
    this.memory = memory;
  }

  /**
   * Serdes against the registry at {@code registryUrl}, registering schemas as they are first
   * written.
   *
   * @param registryUrl the registry's base URL (e.g. {@code http://127.0.0.1:8081}) or its v3 API
   *     URL ({@code .../apis/registry/v3})
   */
  public static LedgerSerdes registry(String registryUrl) {
    return registry(registryUrl, Map.of());
  }

  /**
   * Serdes against the registry at {@code registryUrl}, with Apicurio serde settings overridden or
   * added by {@code overrides} (for example {@code apicurio.registry.auth.username}, or {@code
   * apicurio.registry.auto-register=false} where the schemas are registered ahead of time).
   *
   * @param registryUrl the registry's base URL or its v3 API URL
   * @param overrides Apicurio serde settings ({@code apicurio.registry.*}) that win over the
   *     defaults described in ADR 0004; changing the framing settings breaks the wire format
   */
  public static LedgerSerdes registry(String registryUrl, Map<String, ?> overrides) {
    String url = v3Url(registryUrl);
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setUseDaemonThread(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
    Map<String, Object> base = commonConfig();
    base.put(SchemaResolverConfig.REGISTRY_URL, url);
    base.put(SchemaResolverConfig.VERTX_INSTANCE, vertx);
    base.putAll(overrides);
    Map<String, Object> frozen = Map.copyOf(base);
    log.info("Avro serdes use the schema registry at {} (subjects <topic>-value)", url);
    return new LedgerSerdes(
        "registry " + url, () -> new HashMap<>(frozen), vertx, /* memory= */ null);
  }

  /** Serdes with a fresh {@link InMemorySchemaRegistry}: for unit tests, no registry needed. */
  public static LedgerSerdes inMemory() {
    return inMemory(new InMemorySchemaRegistry());
  }

  /**
   * Serdes that keep their schemas in {@code registry}; share it between the writers and readers of
   * one test.
   */
  public static LedgerSerdes inMemory(InMemorySchemaRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Map<String, Object> frozen = Map.copyOf(commonConfig());
    return new LedgerSerdes(
        "in-memory schema registry",
        () -> {
          Map<String, Object> config = new HashMap<>(frozen);
          // One resolver per serializer or deserializer; they share the registry.
          config.put(SerdeConfig.SCHEMA_RESOLVER, new InMemorySchemaResolver(registry));
          return config;
        },
        /* vertx= */ null,
        registry);
  }

  /** The serde of record keys: plain UTF-8 strings, no framing. */
  public Serde<String> keys() {
    return Serdes.String();
  }

  /**
   * The serde of values of the generated class {@code type}.
   *
   * @param type a generated class of {@value #AVRO_PACKAGE}
   * @throws IllegalStateException if this object is closed
   */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> Serde<T> values(Class<T> type) {
    if (closed.get()) {
      throw new IllegalStateException("LedgerSerdes (" + description + ") is closed");
    }
    return (Serde<T>) values.computeIfAbsent(type, t -> new AvroValueSerde<>(type, valueConfig));
  }

  /** The in-memory registry of an {@link #inMemory()} instance; empty for a real registry. */
  public Optional<InMemorySchemaRegistry> inMemoryRegistry() {
    return Optional.ofNullable(memory);
  }

  /** The Apicurio serde settings these serdes were configured with (without live objects). */
  Map<String, Object> settings() {
    Map<String, Object> settings = new HashMap<>(valueConfig.get());
    settings.remove(SchemaResolverConfig.VERTX_INSTANCE);
    settings.remove(SerdeConfig.SCHEMA_RESOLVER);
    return settings;
  }

  /** Releases the registry client; the serdes made by this object must not be used afterwards. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true) || vertx == null) {
      return;
    }
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("the registry client of {} did not close cleanly: {}", description, e.toString());
    }
  }

  @Override
  public String toString() {
    return "LedgerSerdes[" + description + "]";
  }

  /** The settings both modes share; ADR 0004 explains each one. */
  private static Map<String, Object> commonConfig() {
    Map<String, Object> config = new HashMap<>();
    // Subject (artifact) per topic value, like Confluent's TopicNameStrategy: "<topic>-value".
    config.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, TopicIdStrategy.class.getName());
    // The writer registers its schema; if that content exists, it reuses the version.
    config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, Boolean.TRUE);
    config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "FIND_OR_CREATE_VERSION");
    // Without auto-registration, find the version by content, never "whatever is latest".
    config.put(SchemaResolverConfig.FIND_LATEST_ARTIFACT, Boolean.FALSE);
    // Register one self-contained schema per subject, not nested types as references, so that
    // plain Avro readers and Confluent tooling can use what /schemas/ids/{id} returns.
    config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, Boolean.TRUE);
    // Confluent framing: magic byte, 4-byte id = content id (what the ccompat API calls the id).
    config.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
    config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
    config.put(KafkaSerdeConfig.ENABLE_HEADERS, Boolean.FALSE);
    config.put(AvroSerdeConfig.AVRO_ENCODING, AvroSerdeConfig.AVRO_ENCODING_BINARY);
    // Read into the generated classes, not GenericRecord.
    config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, Boolean.TRUE);
    config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
    return config;
  }

  /**
   * {@code registryUrl} as the v3 API URL the Apicurio client expects.
   *
   * @throws IllegalArgumentException if it is not an http(s) URL
   */
  static String v3Url(String registryUrl) {
    Objects.requireNonNull(registryUrl, "registryUrl");
    String url = registryUrl.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException(
          "registry URL must start with http:// or https://, got \"" + registryUrl + "\"");
    }
    return url.contains("/apis/") ? url : url + REGISTRY_V3_PATH;
  }

  /**
   * Lets Avro instantiate the generated classes when it reads records. Avro 1.12 only builds
   * classes of trusted packages; the system property {@code org.apache.avro.SERIALIZABLE_PACKAGES}
   * is read once, when Avro's validator class loads, so it may already be too late here. The
   * validator's API works whenever it is called.
   */
  private static void trustGeneratedClasses() {
    ClassSecurityValidator.ClassSecurityPredicate generated =
        type -> type.getName().startsWith(AVRO_PACKAGE + ".");
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), generated));
  }
}
