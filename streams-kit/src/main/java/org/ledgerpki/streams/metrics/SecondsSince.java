package org.ledgerpki.streams.metrics;

import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;

/**
 * A Kafka metric stat whose value is the seconds since it was last recorded, by the metrics' clock,
 * or NaN before the first record: "how long since the last checkpoint was signed". The value
 * recorded is ignored; only the time of the record counts. Thread-safe.
 */
public final class SecondsSince implements MeasurableStat {
  private volatile long lastMs = -1;

  @Override
  public void record(MetricConfig config, double value, long timeMs) {
    lastMs = timeMs;
  }

  @Override
  public double measure(MetricConfig config, long now) {
    long last = lastMs;
    return last < 0 ? Double.NaN : Math.max(0, now - last) / 1000.0;
  }
}
