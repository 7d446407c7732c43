package org.ledgerpki.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the build wrote for the fixture (see embedded/pom.xml), and small helpers. */
final class Resources {

  static final String LOOPBACK = "127.0.0.1";

  private static final String BROKER_CLASSPATH = "org/ledgerpki/embedded/broker.classpath";
  private static final String REGISTRY_LOCATION = "org/ledgerpki/embedded/registry.location";

  private Resources() {}

  /**
   * The classpath of a Kafka broker: kafka_2.13, its dependencies and log4j 2, in the local Maven
   * repository.
   *
   * @throws IllegalStateException if the resource or a jar it lists is missing (the message says
   *     how to fix it)
   */
  static List<String> brokerClasspath() {
    List<String> entries =
        Arrays.stream(read(BROKER_CLASSPATH).strip().split(java.io.File.pathSeparator))
            .filter(entry -> !entry.isBlank())
            .toList();
    List<String> missing =
        entries.stream().filter(entry -> !Files.isRegularFile(Path.of(entry))).toList();
    if (entries.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException(
          "the Kafka broker's jars are missing from the local Maven repository: "
              + missing
              + "; build the embedded module again (./mvnw -pl embedded -am package) to fetch them");
    }
    return entries;
  }

  /**
   * The directory holding {@code apicurio-registry-app-<version>-runner.jar} and its {@code lib/}.
   *
   * @throws IllegalStateException if it is missing (the message says how to fix it)
   */
  static Path registryHome() {
    Path home = Path.of(read(REGISTRY_LOCATION).strip());
    if (!Files.isDirectory(home)) {
      throw new IllegalStateException(
          "the Apicurio Registry app is missing at "
              + home
              + "; build the embedded module again (./mvnw -pl embedded -am package) to fetch it");
    }
    return home;
  }

  private static String read(String resource) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + resource
                + " is missing from the classpath; it is generated when the embedded module is"
                + " built (./mvnw -pl embedded -am package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + resource, e);
    }
  }

  /**
   * {@code count} distinct TCP ports that were free on the loopback interface a moment ago. Another
   * process may take one before the child binds it; the child then fails to start and says so in
   * its log.
   */
  static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("could not find free ports on " + LOOPBACK, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a probe socket cannot matter.
        }
      }
    }
  }

  /** Whether something accepts TCP connections on {@code port} of the loopback interface. */
  static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes {@code dir} and everything below it; logs nothing, fails quietly on leftovers. */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }

  /** Sleeps for {@code millis}; keeps the interrupt flag. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
