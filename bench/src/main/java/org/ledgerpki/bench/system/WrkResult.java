package org.ledgerpki.bench.system;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code wrk --latency} run printed: requests per second, latency percentiles, request
 * count, and the responses and socket errors that were not answers.
 *
 * @param requestsPerSecond the "Requests/sec" line
 * @param p50Micros the 50% line of the latency distribution, in microseconds
 * @param p99Micros the 99% line, in microseconds
 * @param requests the "N requests in" count
 * @param non2xx the "Non-2xx or 3xx responses" count (0 if absent)
 * @param socketErrors the sum of the "Socket errors" counts (0 if absent)
 */
public record WrkResult(
    double requestsPerSecond,
    double p50Micros,
    double p99Micros,
    long requests,
    long non2xx,
    long socketErrors) {

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern COUNT = Pattern.compile("(\\d+) requests in ");
  private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  /**
   * Parses wrk's output.
   *
   * @throws IllegalArgumentException if it has no rate or no 50%/99% latency lines
   */
  public static WrkResult parse(String output) {
    Matcher rate = RATE.matcher(output);
    Matcher count = COUNT.matcher(output);
    if (!rate.find() || !count.find()) {
      throw new IllegalArgumentException("not the output of a wrk run:\n" + output);
    }
    long socket = 0;
    Matcher s = SOCKET.matcher(output);
    if (s.find()) {
      for (int i = 1; i <= 4; i++) {
        socket += Long.parseLong(s.group(i));
      }
    }
    Matcher n = NON2XX.matcher(output);
    return new WrkResult(
        Double.parseDouble(rate.group(1)),
        percentile(output, "50"),
        percentile(output, "99"),
        Long.parseLong(count.group(1)),
        n.find() ? Long.parseLong(n.group(1)) : 0,
        socket);
  }

  /** The "NN% 1.23ms" line of the latency distribution, in microseconds. */
  private static double percentile(String output, String p) {
    Matcher m =
        Pattern.compile("^\\s*" + p + "%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE)
            .matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "wrk printed no " + p + "% latency line (was --latency given?):\n" + output);
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v;
      case "ms" -> v * 1e3;
      case "s" -> v * 1e6;
      default -> v * 60e6;
    };
  }

  /** One line: rate, p50 and p99 in ms, and the counts. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   (%d requests, %d non-2xx, %d socket errors)",
        requestsPerSecond,
        p50Micros / 1e3,
        p99Micros / 1e3,
        requests,
        non2xx,
        socketErrors);
  }
}
