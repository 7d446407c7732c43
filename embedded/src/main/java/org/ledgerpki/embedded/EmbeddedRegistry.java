package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apicurio Registry (the app jar the build fetched from Maven Central, 3.0.9) run as a child JVM
 * on a free loopback port: the schema registry of the embedded fixture. It serves Apicurio's core
 * API ({@link #registryV3Url()}) and the Confluent-compatible API ({@link #ccompatUrl()}), whose
 * schema ids are Apicurio content ids (legacy id mode off), the ids the serdes write (ADR 0004).
 *
 * <p>Storage is in memory by default: schemas last as long as the process. With {@link
 * Builder#kafkaStorage(String)} the registry keeps them in a Kafka topic ({@code kafkasql-journal})
 * instead, so that they survive restarts together with the records that use them.
 *
 * <p>{@link #close()} stops the process (SIGTERM, then SIGKILL) and deletes its working directory;
 * a registry left running when the JVM exits is stopped by a shutdown hook, and it exits by itself
 * if this JVM is killed.
 */
public final class EmbeddedRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
  private static final String RUNNER_SUFFIX = "-runner.jar";
  private static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";

  private final int port;
  private final Path workDir;
  private final ChildJvm jvm;
  private final Duration stopTimeout;
  private volatile boolean closed;

  private EmbeddedRegistry(int port, Path workDir, ChildJvm jvm, Duration stopTimeout) {
    this.port = port;
    this.workDir = workDir;
    this.jvm = jvm;
    this.stopTimeout = stopTimeout;
  }

  /** Starts a registry with in-memory storage and the default settings. */
  public static EmbeddedRegistry start() {
    return builder().start();
  }

  /** Settings for a registry; {@link Builder#start()} starts it. */
  public static Builder builder() {
    return new Builder();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41240}. */
  public String url() {
    return "http://" + Resources.LOOPBACK + ":" + port;
  }

  /** The Confluent-compatible API: {@code <url>/apis/ccompat/v7}. */
  public String ccompatUrl() {
    return url() + "/apis/ccompat/v7";
  }

  /** Apicurio's core API, which the serdes use: {@code <url>/apis/registry/v3}. */
  public String registryV3Url() {
    return url() + "/apis/registry/v3";
  }

  /** The registry's log file (its stdout and stderr). */
  public Path logFile() {
    return workDir.resolve("registry.log");
  }

  /** Whether the registry process runs. */
  public boolean isRunning() {
    return jvm.isAlive();
  }

  /** Stops the registry and deletes its working directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    jvm.stop(stopTimeout);
    Resources.deleteRecursively(workDir);
    log.info(
        "Schema registry stopped in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Override
  public String toString() {
    return "EmbeddedRegistry[" + url() + "]";
  }

  /** Settings of an {@link EmbeddedRegistry}; every setting has a default. */
  public static final class Builder {
    private String heap = "256m";
    private String kafkaBootstrapServers;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder() {}

    /** Adds a JVM option (after the defaults, so it wins), e.g. a Quarkus {@code -D} setting. */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** Maximum heap, in {@code -Xmx} syntax; default {@code 256m}. */
    public Builder heap(String heap) {
      if (!heap.matches("[0-9]+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 256m or 1g, got " + heap);
      }
      this.heap = heap;
      return this;
    }

    /**
     * Keep the schemas in the Kafka cluster at {@code bootstrapServers} (Apicurio's {@code
     * kafkasql} storage) instead of in memory.
     */
    public Builder kafkaStorage(String bootstrapServers) {
      this.kafkaBootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /** How long to wait for the registry to be ready; default 60 s. */
    public Builder startupTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive, got " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /** How long the registry may take to stop after SIGTERM before it gets SIGKILL; 10 s. */
    public Builder stopTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("stopTimeout must be positive, got " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Starts the registry and waits until {@code /health/ready} reports it ready.
     *
     * @throws IllegalStateException if the process exits or is not ready within the startup timeout
     *     (the message names the log file and quotes its end)
     */
    public EmbeddedRegistry start() {
      long started = System.nanoTime();
      Path runner = runnerJar(Resources.registryHome());
      Path workDir;
      try {
        workDir = Files.createTempDirectory("ledgerpki-registry-");
      } catch (IOException e) {
        throw new UncheckedIOException("could not create the registry's working directory", e);
      }
      int port = Resources.freePorts(1)[0];
      List<String> options = new ArrayList<>();
      options.add("-Xms32m");
      options.add("-Xmx" + heap);
      options.add("-XX:+UseSerialGC");
      // C1 only: starts in about half the time on two cores.
      options.add("-XX:TieredStopAtLevel=1");
      options.add("-XX:+ExitOnOutOfMemoryError");
      options.add("-Djava.awt.headless=true");
      options.add("-Dquarkus.http.host=" + Resources.LOOPBACK);
      options.add("-Dquarkus.http.port=" + port);
      options.add("-Dquarkus.banner.enabled=false");
      // Pin the id contract the serdes rely on: ccompat ids are content ids.
      options.add("-Dapicurio.ccompat.legacy-id-mode.enabled=false");
      if (kafkaBootstrapServers != null) {
        options.add("-Dapicurio.storage.kind=kafkasql");
        options.add("-Dapicurio.kafkasql.bootstrap.servers=" + kafkaBootstrapServers);
      }
      options.addAll(jvmOptions);
      Path logFile = workDir.resolve("registry.log");
      log.info(
          "Starting the schema registry ({}, {} storage) on port {}; log: {}",
          runner.getFileName(),
          kafkaBootstrapServers == null ? "in-memory" : "Kafka",
          port,
          logFile);
      ChildJvm jvm =
          ChildJvm.start(
              "schema-registry",
              workDir,
              options,
              List.of(runner.toString()),
              List.of(MAIN_CLASS),
              logFile);
      EmbeddedRegistry registry = new EmbeddedRegistry(port, workDir, jvm, stopTimeout);
      try {
        awaitReady(registry, started + startupTimeout.toNanos());
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
      log.info(
          "Schema registry ready at {} in {} ms",
          registry.url(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return registry;
    }

    private static Path runnerJar(Path home) {
      try (var files = Files.list(home)) {
        return files
            .filter(f -> f.getFileName().toString().endsWith(RUNNER_SUFFIX))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no *"
                            + RUNNER_SUFFIX
                            + " in "
                            + home
                            + "; build the embedded module again (./mvnw -pl embedded -am"
                            + " package)"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + home, e);
      }
    }

    private void awaitReady(EmbeddedRegistry registry, long deadline) {
      try (HttpClient http =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
        awaitReady(registry, deadline, http);
      }
    }

    private void awaitReady(EmbeddedRegistry registry, long deadline, HttpClient http) {
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create(registry.url() + "/health/ready"))
              .timeout(Duration.ofSeconds(2))
              .build();
      while (true) {
        if (!registry.jvm.isAlive()) {
          throw new IllegalStateException(
              "the schema registry exited (code "
                  + registry.jvm.exitCode()
                  + ") before it was ready; see "
                  + registry.logFile()
                  + ":\n"
                  + ChildJvm.tail(registry.logFile(), 30));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the schema registry did not become ready within "
                  + startupTimeout.toSeconds()
                  + " s; see "
                  + registry.logFile()
                  + ":\n"
                  + ChildJvm.tail(registry.logFile(), 30));
        }
        if (Resources.accepts(registry.port)) {
          try {
            if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              return;
            }
          } catch (IOException e) {
            // Not listening yet, or restarting its HTTP layer: try again.
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the registry", e);
          }
        }
        Resources.pause(100);
      }
    }
  }
}
