package org.ledgerpki.streams;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a service's process: it runs while its Kafka Streams applications are alive, and ends
 * when the JVM is asked to stop (SIGTERM, Ctrl-C) or when one of them stops after an error.
 *
 * <p>An application that Kafka Streams stopped (an unexpected error, or more transient broker
 * conditions than {@link StreamsRuntime} replaces a thread for) does no more work, but a process
 * that merely waited would stay up with it: its supervisor (Docker's restart policy, systemd,
 * Kubernetes) sees a running process and restarts nothing, and the pipeline stalls behind it until
 * someone notices. So the process exits with {@value #STOPPED_BY_ERROR} ({@code EX_SOFTWARE}), its
 * shutdown hook closing what it opened; the supervisor starts it again, and exactly-once processing
 * resumes from the last commit.
 */
public final class ServiceProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

  /** The exit status after an application stopped by an error ({@code EX_SOFTWARE}). */
  public static final int STOPPED_BY_ERROR = 70;

  /** How often the applications' liveness is looked at. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private ServiceProcess() {}

  /**
   * Runs {@code service} until the JVM stops, closing {@code resources} on the way out; exits the
   * JVM with {@value #STOPPED_BY_ERROR} as soon as one of {@code apps} is no longer live.
   */
  public static void run(String service, AutoCloseable resources, List<? extends Monitored> apps)
      throws InterruptedException {
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  try {
                    resources.close();
                  } catch (Exception e) {
                    LOG.warn("{}: closing on the way out: {}", service, e.toString());
                  }
                },
                service + "-shutdown"));
    Monitored stopped = awaitStopped(apps, stopping::get, CHECK_EVERY);
    if (stopped != null) {
      LOG.error(
          "{}: application {} stopped ({}); exiting with status {} so that its supervisor starts"
              + " the service again",
          service,
          stopped.name(),
          stopped.state(),
          STOPPED_BY_ERROR);
      System.exit(STOPPED_BY_ERROR);
    }
  }

  /**
   * Waits until one of {@code apps} is not live, and returns it; returns null once {@code stopping}
   * is true (the process is being stopped, and its applications with it).
   */
  static Monitored awaitStopped(
      List<? extends Monitored> apps, BooleanSupplier stopping, Duration every)
      throws InterruptedException {
    while (!stopping.getAsBoolean()) {
      for (Monitored app : apps) {
        if (!app.live()) {
          return stopping.getAsBoolean() ? null : app;
        }
      }
      Thread.sleep(every.toMillis());
    }
    return null;
  }
}
