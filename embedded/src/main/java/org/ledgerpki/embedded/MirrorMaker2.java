package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka's MirrorMaker 2 in its dedicated mode ({@value #MAIN_CLASS}, the program that Kafka's
 * {@code bin/connect-mirror-maker.sh} runs), as a child JVM on the Kafka jars of the local Maven
 * repository: the same classpath as the {@link EmbeddedKafka} broker, as in a Kafka distribution
 * whose {@code libs/} hold the broker and Connect together. Nothing here copies records: it is
 * Kafka's own replication engine, configured by an {@code mm2.properties} file.
 */
public final class MirrorMaker2 {
  /** The dedicated MirrorMaker 2 driver. */
  public static final String MAIN_CLASS = "org.apache.kafka.connect.mirror.MirrorMaker";

  private MirrorMaker2() {}

  /**
   * Starts MirrorMaker 2 with {@code propertiesFile}.
   *
   * <p>It logs at INFO (client and configuration dumps at WARN) through a {@code log4j2.properties}
   * written into {@code workDir}. It stops with this JVM, even if this JVM is killed.
   *
   * @param name for logs, e.g. {@code mirror}
   * @param propertiesFile an {@code mm2.properties}; requires a readable file
   * @param targetCluster the alias of the cluster this MirrorMaker 2 writes to ({@code
   *     --clusters}): it runs only the flows into that cluster, so nothing of its own is written
   *     elsewhere
   * @param workDir a directory of its own (created if missing)
   * @param jvmOptions heap and other JVM options
   * @param logFile receives its output; null: this JVM's standard output
   * @throws IllegalStateException if the Kafka jars are missing from the local Maven repository
   * @throws UncheckedIOException if the file is unreadable or the process cannot be started
   */
  public static JvmService start(
      String name,
      Path propertiesFile,
      String targetCluster,
      Path workDir,
      List<String> jvmOptions,
      Path logFile) {
    if (!Files.isReadable(propertiesFile)) {
      throw new UncheckedIOException(
          new IOException("MirrorMaker 2 properties " + propertiesFile + ": not a readable file"));
    }
    Path log4j = workDir.resolve("log4j2.properties");
    try {
      Files.createDirectories(workDir);
      Files.writeString(log4j, LOG4J, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + log4j, e);
    }
    List<String> options = new ArrayList<>();
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.add("-Djava.awt.headless=true");
    options.add("-Dlog4j2.configurationFile=" + log4j.toAbsolutePath());
    options.addAll(jvmOptions);
    return JvmService.start(
        name,
        workDir,
        options,
        Resources.brokerClasspath(),
        MAIN_CLASS,
        List.of(propertiesFile.toAbsolutePath().toString(), "--clusters", targetCluster),
        Map.of(),
        logFile);
  }

  private static final String LOG4J =
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
          "logger.clients.name = org.apache.kafka.clients",
          "logger.clients.level = WARN",
          "logger.reflections.name = org.reflections",
          "logger.reflections.level = ERROR",
          "");
}
