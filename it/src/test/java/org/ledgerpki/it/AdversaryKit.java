package org.ledgerpki.it;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the adversary-suite ITs share: re-encoding a certificate, and reading a service's counters.
 */
final class AdversaryKit {
  private AdversaryKit() {}

  /**
   * The same P-256 ECDSA certificate with its signature (r, s) re-encoded as (r, n − s): another
   * DER encoding, hence another SHA-256, that still verifies, made without the private key; its MTC
   * log entry is the original's.
   *
   * @param der a certificate signed with ECDSA P-256
   */
  static byte[] reencodeEcdsa(byte[] der) throws Exception {
    return org.ledgerpki.core.crypto.Certificates.ecdsaSignatureVariant(der);
  }

  /**
   * The cumulative counter {@code metric} (e.g. {@code refused-checkpoints-total}) of a Streams
   * client, summed over its threads, by the value of its {@code reason} tag ({@code ""} for a
   * counter without one). A reason never counted is absent.
   */
  static Map<String, Double> counters(KafkaStreams streams, String metric) {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      if (e.getKey().name().equals(metric)) {
        String reason = e.getKey().tags().getOrDefault("reason", "");
        Object v = e.getValue().metricValue();
        if (v instanceof Number n) {
          out.merge(reason, n.doubleValue(), Double::sum);
        }
      }
    }
    return out;
  }

  /** {@link #counters}'s count for {@code reason}, 0 if none. */
  static double count(KafkaStreams streams, String metric, String reason) {
    return counters(streams, metric).getOrDefault(reason, 0.0);
  }
}
