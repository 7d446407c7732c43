package org.ledgerpki.cosign;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Cumulative counters, registered with the Streams metrics of the processor's thread (so they are
 * reported with the client's other metrics, e.g. over JMX): metric {@code <name>-total} in group
 * {@code <scope>-metrics}, tagged {@code thread-id}, {@code <scope>-id} (the organisation or the
 * aggregator) and any extra tags such as {@code reason}. Each distinct tag set has its own sensor.
 * Used by one stream thread; not thread-safe.
 */
final class Counters {
  private final StreamsMetrics metrics;
  private final String scope;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();

  Counters(StreamsMetrics metrics, String scope, String entity) {
    this.metrics = metrics;
    this.scope = scope;
    this.entity = entity;
  }

  /**
   * Adds one to counter {@code name}.
   *
   * @param tags extra tags as key-value pairs, e.g. {@code "reason", "root-mismatch"}
   */
  void count(String name, String description, String... tags) {
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags come in key-value pairs");
    }
    String thread = Thread.currentThread().getName();
    StringBuilder id = new StringBuilder(scope).append('.').append(thread).append('.');
    id.append(entity).append('.').append(name);
    for (String t : tags) {
      id.append('.').append(t);
    }
    String sensorName = id.toString();
    Sensor sensor =
        sensors.computeIfAbsent(
            sensorName,
            n -> {
              Map<String, String> tagMap = new LinkedHashMap<>();
              tagMap.put("thread-id", thread);
              tagMap.put(scope + "-id", entity);
              for (int i = 0; i < tags.length; i += 2) {
                tagMap.put(tags[i], tags[i + 1]);
              }
              Sensor s = metrics.addSensor(n, Sensor.RecordingLevel.INFO);
              s.add(
                  new MetricName(name + "-total", scope + "-metrics", description, tagMap),
                  new CumulativeSum());
              return s;
            });
    sensor.record(1);
  }
}
