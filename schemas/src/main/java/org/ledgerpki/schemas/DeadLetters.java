package org.ledgerpki.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.ledgerpki.schemas.avro.DeadLetter;

/** Builds the {@code ledger.dlq} record of an input record a service could not process. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * @param topic where the record came from ("?" if unknown)
   * @param partition its partition, or -1
   * @param offset its offset, or -1
   * @param key its key (kept as UTF-8 bytes), or null
   * @param value its raw value, or null
   * @param service which service gave up, e.g. {@code validator/operator-b}
   * @param reason why, for an operator
   */
  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      String key,
      byte[] value,
      String service,
      String reason,
      Instant now) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setService(service)
        .setReason(reason)
        .setKey(key == null ? null : Evidence.buffer(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(Evidence.buffer(value))
        .setFailedAt(Instant.ofEpochMilli(now.toEpochMilli()))
        .build();
  }
}
