package org.ledgerpki.cosign;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.DeadLetter;

/** Builds the dead letter of a record this module could not read. */
final class DeadLetters {
  private DeadLetters() {}

  static DeadLetter of(
      Record<String, byte[]> record,
      RecordMetadata meta,
      String service,
      String reason,
      Instant now) {
    return DeadLetter.newBuilder()
        .setSourceTopic(meta == null ? "?" : meta.topic())
        .setPartition(meta == null ? -1 : meta.partition())
        .setOffset(meta == null ? -1 : meta.offset())
        .setService(service)
        .setReason(reason)
        .setKey(
            record.key() == null
                ? null
                : Evidence.buffer(record.key().getBytes(StandardCharsets.UTF_8)))
        .setValue(Evidence.buffer(record.value()))
        .setFailedAt(now)
        .build();
  }
}
