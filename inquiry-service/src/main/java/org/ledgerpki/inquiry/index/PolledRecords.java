package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;

/** Decoding a polled batch for the {@link LedgerFollower}, before any of it is applied. */
final class PolledRecords {
  private PolledRecords() {}

  /**
   * Each record's value, in the batch's order: null for a record without a value, the exception for
   * one that cannot be decoded.
   *
   * @param deserializers the value deserializer of a topic, by name
   */
  static List<Object> decode(
      ConsumerRecords<byte[], byte[]> records, Function<String, Deserializer<?>> deserializers) {
    List<Object> out = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        out.add(
            r.value() == null
                ? null
                : deserializers.apply(r.topic()).deserialize(r.topic(), r.headers(), r.value()));
      } catch (RuntimeException e) {
        out.add(e);
      }
    }
    return out;
  }

  /** The message of {@code e} and of each of its causes. */
  static String rootCause(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append("; caused by ").append(c);
    }
    return sb.toString();
  }
}
