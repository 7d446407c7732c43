package org.ledgerpki.streams;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * One Kafka Streams application as {@link OpsEndpoint} sees it: its health and its Kafka metrics.
 * {@link StreamsRuntime} is the production implementation; a test may wrap a {@code
 * TopologyTestDriver}.
 */
public interface Monitored {
  /** The application's name in health answers and the {@code application} tag of its meters. */
  String name();

  /** Its state for a human reading a health answer, e.g. {@code RUNNING}. */
  String state();

  /** Whether it is alive: started and not stopped by an error (a restart would help if not). */
  boolean live();

  /** Whether it does its work: running, with its state stores restored. */
  boolean ready();

  /**
   * Its Kafka metrics, read at every scrape. The metrics of the groups whose names start with
   * {@value OpsEndpoint#LEDGER_GROUP_PREFIX} (the services' own counters) are published as {@code
   * ledgerpki_*} meters.
   */
  Map<MetricName, ? extends Metric> metrics();

  /**
   * An application that is always live and ready, with the metrics {@code metrics} supplies: a
   * {@code TopologyTestDriver}'s ({@code driver::metrics}) in a test of a service's metrics.
   */
  static Monitored of(String name, Supplier<Map<MetricName, ? extends Metric>> metrics) {
    return new Monitored() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String state() {
        return "RUNNING";
      }

      @Override
      public boolean live() {
        return true;
      }

      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public Map<MetricName, ? extends Metric> metrics() {
        return metrics.get();
      }
    };
  }
}
