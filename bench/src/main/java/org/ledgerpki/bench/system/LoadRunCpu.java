package org.ledgerpki.bench.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * CPU of one load run: the server's, wrk's (both from {@link CpuSampler}, within wrk's lifetime),
 * and how busy the whole machine was (from /proc/stat; other jobs included).
 */
record LoadRunCpu(long serverNanos, long wrkNanos, long windowNanos, double machineBusy) {
  static LoadRunCpu of(
      CpuSampler sampler, Predicate<CpuSampler.Proc> server, long[] end, long[] start) {
    long busy = end[0] - start[0];
    long total = busy + end[1] - start[1];
    return new LoadRunCpu(
        sampler.cpuNanos(server),
        sampler.cpuNanos(p -> p.comm().equals("wrk")),
        sampler.windowNanos(),
        total == 0 ? 0 : (double) busy / total);
  }

  String summary(WrkResult w) {
    double secs = windowNanos / 1e9;
    return String.format(
        Locale.ROOT,
        "server %.0f µs CPU per answer (%.2f cores), wrk %.2f cores, machine %.0f%% busy",
        secs == 0 ? 0 : serverNanos / 1e3 / (w.requestsPerSecond() * secs),
        secs == 0 ? 0 : serverNanos / 1e9 / secs,
        secs == 0 ? 0 : wrkNanos / 1e9 / secs,
        100 * machineBusy);
  }

  /** Busy and idle jiffies of the whole machine (the first line of /proc/stat). */
  static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      long all = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        all += Long.parseLong(f[i]);
      }
      return new long[] {all - idle, idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
