package org.ledgerpki.it;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Reads a service's counters from its Kafka Streams metrics, and waits on them: the barrier an
 * adversarial test waits on (the defence's own count), instead of a fixed sleep.
 */
final class Counters {
  private Counters() {}

  /**
   * The sum of the metrics named {@code name} in group {@code group} whose tags include all of
   * {@code tags} (given as key-value pairs).
   */
  static double sum(
      Map<MetricName, ? extends Metric> metrics, String group, String name, String... tags) {
    double total = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      MetricName m = e.getKey();
      if (!m.group().equals(group) || !m.name().equals(name)) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i + 1 < tags.length; i += 2) {
        match &= tags[i + 1].equals(m.tags().get(tags[i]));
      }
      if (match) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  /**
   * Reads {@code read} until {@code done} holds for it or {@code timeout} passes.
   *
   * @return the last value read (the caller asserts on it, so a timeout fails with the values)
   */
  static <T> T await(Supplier<T> read, Predicate<T> done, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    T v = read.get();
    while (!done.test(v) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      v = read.get();
    }
    return v;
  }
}
