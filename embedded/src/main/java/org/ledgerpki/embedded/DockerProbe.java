package org.ledgerpki.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;

/** Finds out, quickly and without throwing, whether a Docker engine can run containers. */
final class DockerProbe {

  private static final long ASK_TIMEOUT_SECONDS = 15;

  private DockerProbe() {}

  /** Null if a Docker engine answers; otherwise why not, for the log. */
  static String whyUnavailable() {
    if (surelyAbsent()) {
      return "DOCKER_HOST is unset and there is no Docker socket (/var/run/docker.sock)";
    }
    // Something is configured: let Testcontainers try every way it knows, within a time bound.
    FutureTask<Boolean> ask =
        new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
    Thread thread = new Thread(ask, "docker-probe");
    thread.setDaemon(true);
    thread.start();
    try {
      return ask.get(ASK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          ? null
          : "Testcontainers found no working Docker environment";
    } catch (TimeoutException e) {
      thread.interrupt();
      return "the Docker engine did not answer within " + ASK_TIMEOUT_SECONDS + " s";
    } catch (ExecutionException e) {
      return "Testcontainers failed to probe Docker: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while probing Docker";
    }
  }

  /**
   * A cheap negative on Linux: no {@code DOCKER_HOST}, no Testcontainers overrides and no socket
   * where Docker, rootless Docker or Docker Desktop put it. Elsewhere, never sure.
   */
  private static boolean surelyAbsent() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return false;
    }
    if (System.getenv("DOCKER_HOST") != null
        || System.getenv("TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE") != null) {
      return false;
    }
    Path home = Path.of(System.getProperty("user.home", "/"));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    return !Files.exists(Path.of("/var/run/docker.sock"))
        && !Files.exists(home.resolve(".docker/run/docker.sock"))
        && !Files.exists(home.resolve(".docker/desktop/docker.sock"))
        && !Files.exists(home.resolve(".testcontainers.properties"))
        && (runtimeDir == null || !Files.exists(Path.of(runtimeDir, "docker.sock")));
  }
}
