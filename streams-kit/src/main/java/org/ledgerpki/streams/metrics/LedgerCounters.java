package org.ledgerpki.streams.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.ledgerpki.streams.OpsEndpoint;

/**
 * A processor's counters and ages, registered with the Streams metrics of the processor's thread
 * (so they are reported with the client's other metrics, over JMX, in {@code
 * TopologyTestDriver.metrics()} and by {@link OpsEndpoint}). Counter {@code <name>} is metric
 * {@code <name>-total}; age {@code <name>} is metric {@code <name>-age-seconds}, the seconds since
 * {@link #touch} last recorded it (NaN before the first). Each distinct tag set has its own sensor.
 * A group starting with {@code ledger-} is published by {@link OpsEndpoint} as {@code
 * ledgerpki_<group without ledger- and -metrics>_<name>_total}.
 *
 * <p>Two ways to tag them, one per constructor:
 *
 * <ul>
 *   <li>{@linkplain #LedgerCounters(StreamsMetrics, String, String) per member}: group {@code
 *       <scope>-metrics}, tags {@code thread-id} and {@code <scope>-id} (the organisation or the
 *       aggregator) and any extra tags such as {@code reason}; a counter appears on first use.
 *   <li>{@linkplain #perTask per task}: group as given, tags {@code task-id} and {@code processor};
 *       the counters are declared up front (so they read 0 before the first event), counted with
 *       {@link #inc} and removed by {@link #close} when the processor closes.
 * </ul>
 *
 * <p>Used by one stream thread; not thread-safe.
 */
public final class LedgerCounters {
  private final StreamsMetrics metrics;
  private final String group;
  private final Supplier<Map<String, String>> baseTags;
  private final Map<String, Sensor> sensors = new HashMap<>();
  private final Map<String, Sensor> declared = new HashMap<>();

  /**
   * Counters of one processor, tagged by member.
   *
   * @param metrics the processor context's metrics
   * @param scope e.g. {@code ledger-cosigner}; the metric group is {@code <scope>-metrics}
   * @param entity the value of the {@code <scope>-id} tag, e.g. the organisation
   */
  public LedgerCounters(StreamsMetrics metrics, String scope, String entity) {
    this(
        metrics,
        scope + "-metrics",
        () -> {
          Map<String, String> tags = new LinkedHashMap<>();
          tags.put("thread-id", Thread.currentThread().getName());
          tags.put(scope + "-id", entity);
          return tags;
        });
  }

  private LedgerCounters(
      StreamsMetrics metrics, String group, Supplier<Map<String, String>> baseTags) {
    this.metrics = metrics;
    this.group = group;
    this.baseTags = baseTags;
  }

  /**
   * Counters of one processor of one task, declared up front: metric {@code <event>-total} in
   * {@code group}, tagged {@code task-id} and {@code processor}.
   *
   * @param events event name to description
   */
  public static LedgerCounters perTask(
      ProcessingContext context, String group, String processor, Map<String, String> events) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("task-id", context.taskId().toString());
    tags.put("processor", processor);
    LedgerCounters c = new LedgerCounters(context.metrics(), group, () -> tags);
    events.forEach(
        (event, description) ->
            c.declared.put(event, c.sensor(event, "-total", description, new String[0], false)));
    return c;
  }

  /**
   * Adds one to counter {@code name} (metric {@code <name>-total}).
   *
   * @param tags extra tags as key-value pairs, e.g. {@code "reason", "root-mismatch"}
   */
  public void count(String name, String description, String... tags) {
    sensor(name, "-total", description, tags, false).record(1);
  }

  /** Adds one to a counter declared by {@link #perTask}. */
  public void inc(String event) {
    declared("counter", event, "-total").record(1);
  }

  /** Adds {@code n} to a counter declared by {@link #perTask}. */
  public void add(String event, long n) {
    declared("counter", event, "-total").record(n);
  }

  /**
   * Records that event {@code name} happened now: metric {@code <name>-age-seconds} is then the
   * seconds since the last such event (NaN before the first), e.g. since the last checkpoint
   * cosigned.
   *
   * @param tags extra tags as key-value pairs
   */
  public void touch(String name, String description, String... tags) {
    sensor(name, "-age-seconds", description, tags, true).record();
  }

  /** Declares age {@code name} now (NaN until the first {@link #touch(String)}). */
  public void addAge(String name, String description) {
    declared.put(
        name + "-age-seconds", sensor(name, "-age-seconds", description, new String[0], true));
  }

  /** Records that event {@code name}, declared by {@link #addAge}, happened now. */
  public void touch(String name) {
    declared("age", name, "-age-seconds").record();
  }

  /** Unregisters every counter and age of this instance. */
  public void close() {
    sensors.values().forEach(metrics::removeSensor);
    sensors.clear();
    declared.clear();
  }

  private Sensor declared(String kind, String name, String suffix) {
    Sensor s = declared.get(suffix.equals("-total") ? name : name + suffix);
    if (s == null) {
      throw new IllegalArgumentException("unknown " + kind + " " + name);
    }
    return s;
  }

  private Sensor sensor(
      String name, String suffix, String description, String[] tags, boolean age) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags come in key-value pairs, found " + tags.length);
    }
    Map<String, String> tagMap = baseTags.get();
    StringBuilder id = new StringBuilder(group);
    tagMap.values().forEach(v -> id.append('.').append(v));
    id.append('.').append(name).append(suffix);
    for (String t : tags) {
      id.append('.').append(t);
    }
    return sensors.computeIfAbsent(
        id.toString(),
        n -> {
          Map<String, String> all = new LinkedHashMap<>(tagMap);
          for (int i = 0; i < tags.length; i += 2) {
            all.put(tags[i], tags[i + 1]);
          }
          Sensor s = metrics.addSensor(n, Sensor.RecordingLevel.INFO);
          MetricName metric = new MetricName(name + suffix, group, description, all);
          if (age) {
            s.add(metric, new SecondsSince());
          } else {
            s.add(metric, new CumulativeSum());
          }
          return s;
        });
  }
}
