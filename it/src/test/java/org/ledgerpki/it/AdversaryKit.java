package org.ledgerpki.it;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;

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
    ASN1Sequence cert = ASN1Sequence.getInstance(der);
    byte[] sig = DERBitString.getInstance(cert.getObjectAt(2)).getOctets();
    ASN1Sequence rs = ASN1Sequence.getInstance(sig);
    BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
    BigInteger n = SECNamedCurves.getByName("secp256r1").getN();
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(n.subtract(s)));
    ASN1EncodableVector c = new ASN1EncodableVector();
    c.add(cert.getObjectAt(0));
    c.add(cert.getObjectAt(1));
    c.add(new DERBitString(new DERSequence(v).getEncoded("DER")));
    return new DERSequence(c).getEncoded("DER");
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
