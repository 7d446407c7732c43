package org.ledgerpki.schemas.runtime;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * A processor's counters, registered with the Streams metrics of the processor's thread (so they
 * are reported with the client's other metrics, over JMX and by {@link OpsEndpoint}): metric {@code
 * <name>-total} in group {@code <scope>-metrics}, tagged {@code thread-id}, {@code <scope>-id} (the
 * organisation or the aggregator) and any extra tags such as {@code reason}. Each distinct tag set
 * has its own sensor, created on first use. A scope starting with {@code ledger-} is published by
 * {@link OpsEndpoint} as {@code ledgerpki_<scope without ledger->_<name>_total}.
 *
 * <p>Used by one stream thread; not thread-safe.
 */
public final class LedgerCounters {
  private final StreamsMetrics metrics;
  private final String scope;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();

  /**
   * Counters of one processor.
   *
   * @param metrics the processor context's metrics
   * @param scope e.g. {@code ledger-cosigner}; the metric group is {@code <scope>-metrics}
   * @param entity the value of the {@code <scope>-id} tag, e.g. the organisation
   */
  public LedgerCounters(StreamsMetrics metrics, String scope, String entity) {
    this.metrics = metrics;
    this.scope = scope;
    this.entity = entity;
  }

  /**
   * Adds one to counter {@code name} (metric {@code <name>-total}).
   *
   * @param tags extra tags as key-value pairs, e.g. {@code "reason", "root-mismatch"}
   */
  public void count(String name, String description, String... tags) {
    sensor(name, "-total", description, tags, false).record(1);
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

  private Sensor sensor(
      String name, String suffix, String description, String[] tags, boolean age) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags come in key-value pairs, found " + tags.length);
    }
    String thread = Thread.currentThread().getName();
    StringBuilder id = new StringBuilder(scope).append('.').append(thread).append('.');
    id.append(entity).append('.').append(name).append(suffix);
    for (String t : tags) {
      id.append('.').append(t);
    }
    return sensors.computeIfAbsent(
        id.toString(),
        n -> {
          Map<String, String> tagMap = new LinkedHashMap<>();
          tagMap.put("thread-id", thread);
          tagMap.put(scope + "-id", entity);
          for (int i = 0; i < tags.length; i += 2) {
            tagMap.put(tags[i], tags[i + 1]);
          }
          Sensor s = metrics.addSensor(n, Sensor.RecordingLevel.INFO);
          MetricName metric =
              new MetricName(name + suffix, scope + "-metrics", description, tagMap);
          if (age) {
            s.add(metric, new SecondsSince());
          } else {
            s.add(metric, new CumulativeSum());
          }
          return s;
        });
  }
}
