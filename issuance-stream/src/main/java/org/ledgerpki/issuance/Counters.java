package org.ledgerpki.issuance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.ledgerpki.schemas.runtime.SecondsSince;

/**
 * A processor's event counters, registered as Kafka metrics through {@link
 * ProcessingContext#metrics()}: group {@value #GROUP}, name {@code <event>-total}, tags {@code
 * task-id} and {@code processor}. They appear in {@code KafkaStreams.metrics()}, over JMX, and in
 * {@code TopologyTestDriver.metrics()}. Removed when the processor closes.
 */
final class Counters {
  /** The metric group of every issuance-stream counter. */
  static final String GROUP = "ledger-issuance";

  private final StreamsMetrics metrics;
  private final String task;
  private final String processor;
  private final Map<String, Sensor> sensors = new LinkedHashMap<>();
  private final Map<String, Sensor> ages = new LinkedHashMap<>();

  /**
   * Registers one counter per event.
   *
   * @param events event name to description
   */
  Counters(ProcessingContext context, String processor, Map<String, String> events) {
    this.metrics = context.metrics();
    this.task = context.taskId().toString();
    this.processor = processor;
    Map<String, String> tags = Map.of("task-id", task, "processor", processor);
    events.forEach(
        (event, description) -> {
          Sensor s =
              metrics.addSensor(
                  GROUP + "." + task + "." + processor + "." + event, Sensor.RecordingLevel.INFO);
          s.add(new MetricName(event + "-total", GROUP, description, tags), new CumulativeCount());
          sensors.put(event, s);
        });
  }

  /** Counts one {@code event}. Requires an event given at construction. */
  void inc(String event) {
    Sensor s = sensors.get(event);
    if (s == null) {
      throw new IllegalArgumentException("unknown counter " + event);
    }
    s.record();
  }

  /**
   * Registers metric {@code <event>-age-seconds}: the seconds since {@link #touch} last recorded
   * {@code event} (NaN before the first), e.g. since the log last signed a checkpoint.
   */
  void addAge(String event, String description) {
    Map<String, String> tags = Map.of("task-id", task, "processor", processor);
    Sensor s =
        metrics.addSensor(
            GROUP + "." + task + "." + processor + "." + event + "-age",
            Sensor.RecordingLevel.INFO);
    s.add(new MetricName(event + "-age-seconds", GROUP, description, tags), new SecondsSince());
    ages.put(event, s);
  }

  /** Records that {@code event} happened now. Requires an event given to {@link #addAge}. */
  void touch(String event) {
    Sensor s = ages.get(event);
    if (s == null) {
      throw new IllegalArgumentException("unknown age " + event);
    }
    s.record();
  }

  /** Unregisters the counters. */
  void close() {
    sensors.values().forEach(metrics::removeSensor);
    sensors.clear();
    ages.values().forEach(metrics::removeSensor);
    ages.clear();
  }
}
