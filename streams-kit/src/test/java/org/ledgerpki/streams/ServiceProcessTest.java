package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {
  /** An application whose liveness a test sets; live until {@code stopAfter} has passed. */
  static class Scripted implements Monitored {
    private final long stopAt;
    private final String name;

    Scripted(String name, Duration stopAfter) {
      this.name = name;
      this.stopAt = System.nanoTime() + stopAfter.toNanos();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String state() {
      return live() ? "RUNNING" : "ERROR";
    }

    @Override
    public boolean live() {
      return System.nanoTime() < stopAt;
    }

    @Override
    public boolean ready() {
      return live();
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
      return Map.of();
    }
  }

  @Test
  void theFirstApplicationThatStopsIsNamed() throws InterruptedException {
    Scripted keepsRunning = new Scripted("cosigner", Duration.ofDays(1));
    Scripted stops = new Scripted("aggregator", Duration.ofMillis(150));
    Monitored stopped =
        ServiceProcess.awaitStopped(
            List.of(keepsRunning, stops), () -> false, Duration.ofMillis(10));
    assertThat(stopped).isSameAs(stops);
  }

  @Test
  void aProcessBeingStoppedIsNotAnError() throws InterruptedException {
    AtomicBoolean stopping = new AtomicBoolean();
    Scripted app = new Scripted("validator", Duration.ofMillis(100));
    // SIGTERM arrives, and the shutdown hook closes the application: not live, but not a failure.
    stopping.set(true);
    assertThat(ServiceProcess.awaitStopped(List.of(app), stopping::get, Duration.ofMillis(10)))
        .isNull();
    Scripted gone = new Scripted("validator", Duration.ZERO);
    assertThat(ServiceProcess.awaitStopped(List.of(gone), stopping::get, Duration.ofMillis(10)))
        .isNull();
  }

  /** A service process of one application that stops after the time its argument gives. */
  public static final class Main {
    public static void main(String[] args) throws InterruptedException {
      Duration stopAfter = Duration.parse(args[0]);
      AtomicBoolean watched = new AtomicBoolean();
      Scripted app =
          new Scripted("app", stopAfter) {
            @Override
            public boolean live() {
              // Looked at only once the shutdown hook is in place: the test may signal from now.
              if (!watched.getAndSet(true)) {
                System.out.println("watching");
              }
              return super.live();
            }
          };
      ServiceProcess.run(
          "test-service", () -> System.out.println("resources closed"), List.of(app));
      System.out.println("run returned");
    }
  }

  @TempDir Path dir;

  private Path out() {
    return dir.resolve("out.txt");
  }

  /** Starts {@link Main}; its standard output goes to {@link #out} (destroy closes the pipe). */
  private Process start(String stopAfter) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            stopAfter)
        .redirectOutput(out().toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Test
  void aProcessWhoseApplicationStoppedExitsWithStatus70AfterClosingItsResources() throws Exception {
    Process p = start("PT0.3S");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(out());
    assertThat(p.exitValue()).isEqualTo(ServiceProcess.STOPPED_BY_ERROR);
    assertThat(out).contains("resources closed").doesNotContain("run returned");
  }

  @Test
  void aProcessAskedToStopClosesItsResourcesAndDoesNotReportAFailure() throws Exception {
    Process p = start("P1D");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out()).contains("watching") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(p.isAlive()).isTrue();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(out());
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(out).contains("resources closed");
  }
}
