package org.ledgerpki.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Another JVM service of the consortium run as a child process (the demo's inquiry node): its
 * output goes to a log file, it gets its configuration from environment variables, and it dies with
 * this JVM even if this JVM is killed.
 */
public final class JvmService implements AutoCloseable {
  private final ChildJvm child;

  private JvmService(ChildJvm child) {
    this.child = child;
  }

  /**
   * Starts {@code mainClass} on {@code classpath} in a new JVM.
   *
   * @param workDir a directory of the child's own
   * @param environment extra environment variables (its configuration)
   * @param logFile receives its standard output and error
   */
  public static JvmService start(
      String name,
      Path workDir,
      List<String> jvmOptions,
      List<String> classpath,
      String mainClass,
      Map<String, String> environment,
      Path logFile) {
    return start(name, workDir, jvmOptions, classpath, mainClass, List.of(), environment, logFile);
  }

  /** As above, with arguments for {@code mainClass}. */
  public static JvmService start(
      String name,
      Path workDir,
      List<String> jvmOptions,
      List<String> classpath,
      String mainClass,
      List<String> arguments,
      Map<String, String> environment,
      Path logFile) {
    List<String> childArgs = new java.util.ArrayList<>();
    childArgs.add(mainClass);
    childArgs.addAll(arguments);
    return new JvmService(
        ChildJvm.start(name, workDir, jvmOptions, classpath, childArgs, environment, logFile));
  }

  /**
   * A TCP port that was free on the loopback interface a moment ago, for a child's listener.
   * Another process may take it before the child binds it; the child then fails to start and says
   * so in its log.
   */
  public static int freeLoopbackPort() {
    return Resources.freePorts(1)[0];
  }

  /**
   * Runs {@code orderlyStop} when this JVM exits (Ctrl-C, SIGTERM, System.exit), before the child
   * JVMs are stopped, so that what depends on them (services on an embedded broker) stops first.
   */
  public static void atExit(Runnable orderlyStop) {
    ChildJvm.atExit(orderlyStop);
  }

  /** Kills the process (SIGKILL): no shutdown hook runs, as in a crash. */
  public void kill() {
    child.kill();
  }

  /**
   * Polls {@code url} until it answers 200, the process exits, or {@code timeout} passes.
   *
   * @return true once it answered 200
   * @throws IllegalStateException if the process exited, with the tail of its log
   */
  public boolean awaitHttpOk(URI url, Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!child.isAlive()) {
        throw new IllegalStateException(
            child.name()
                + " exited with code "
                + child.exitCode()
                + "; its log "
                + child.logFile()
                + " ends with:\n"
                + child.logTail(30));
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    return false;
  }

  /**
   * Waits up to {@code timeout} for the process to exit.
   *
   * @return its exit code, or null if it is still running
   */
  public Integer awaitExit(Duration timeout) {
    return child.awaitExit(timeout) ? child.exitCode() : null;
  }

  /** The log file; null if its output goes to this JVM's standard output. */
  public Path logFile() {
    return child.logFile();
  }

  public boolean isAlive() {
    return child.isAlive();
  }

  public long pid() {
    return child.pid();
  }

  /** The last lines of its log. */
  public String logTail(int lines) {
    return child.logTail(lines);
  }

  @Override
  public void close() {
    child.stop(Duration.ofSeconds(10));
  }
}
