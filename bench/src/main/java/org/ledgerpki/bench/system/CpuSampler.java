package org.ledgerpki.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of this JVM's descendant processes (Linux {@code /proc}), polled every 200 ms while a
 * load run goes on, so that the CPU each side of a benchmark spent during the run can be told
 * apart: the server under test and the load generator. A snapshot counts only while a process
 * matching {@code window} (the load generator) is alive, so set-up work before and after the run is
 * not counted. Elsewhere than Linux it measures nothing.
 */
final class CpuSampler implements AutoCloseable {
  /** A process in one snapshot: its name, command line and CPU time so far. */
  record Proc(long pid, String comm, String cmdline, long cpuNanos) {}

  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private final Predicate<Proc> window;
  private final Thread thread;

  private record Snap(long nanoTime, Map<Long, Proc> procs) {}

  private final List<Snap> snapshots = new ArrayList<>();
  private volatile boolean running = true;

  /** Starts polling; {@code window} picks the process whose lifetime bounds the measurement. */
  CpuSampler(Predicate<Proc> window) {
    this.window = window;
    this.thread = new Thread(this::run, "cpu-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long t = System.nanoTime();
      Map<Long, Proc> snap = snapshot();
      if (snap.values().stream().anyMatch(window)) {
        synchronized (snapshots) {
          snapshots.add(new Snap(t, snap));
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Map<Long, Proc> snapshot() {
    Map<Long, Proc> out = new HashMap<>();
    ProcessHandle.current()
        .descendants()
        .forEach(
            h -> {
              Proc p = read(h.pid());
              if (p != null) {
                out.put(p.pid(), p);
              }
            });
    return out;
  }

  /** The process's comm, command line and utime + stime, or null if it is gone. */
  static Proc read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String comm = stat.substring(open + 1, close);
      String[] f = stat.substring(close + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      String cmd =
          new String(
                  Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
      return new Proc(pid, comm, cmd, ticks * TICK_NANOS);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** CPU nanoseconds spent, between the first and last snapshot in the window, by the matches. */
  long cpuNanos(Predicate<Proc> which) {
    synchronized (snapshots) {
      if (snapshots.size() < 2) {
        return 0;
      }
      Map<Long, Proc> first = snapshots.get(0).procs();
      Map<Long, Proc> last = snapshots.get(snapshots.size() - 1).procs();
      long sum = 0;
      for (Proc p : last.values()) {
        if (which.test(p)) {
          Proc before = first.get(p.pid());
          sum += p.cpuNanos() - (before == null ? 0 : before.cpuNanos());
        }
      }
      return sum;
    }
  }

  /** Wall time between the first and last snapshot in the window, in nanoseconds. */
  long windowNanos() {
    synchronized (snapshots) {
      return snapshots.size() < 2
          ? 0
          : snapshots.get(snapshots.size() - 1).nanoTime() - snapshots.get(0).nanoTime();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
