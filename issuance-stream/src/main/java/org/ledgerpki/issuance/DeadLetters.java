package org.ledgerpki.issuance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.DeadLetter;

/** Builds the dead letter of an input record this service could not process. */
final class DeadLetters {
  private DeadLetters() {}

  /**
   * The dead letter of {@code record}: where it came from, why it was given up, and its raw key and
   * value, so that it can be inspected and replayed.
   */
  static DeadLetter of(
      Record<String, byte[]> record, RecordMetadata meta, String reason, Instant now) {
    return DeadLetter.newBuilder()
        .setSourceTopic(meta == null ? "?" : meta.topic())
        .setPartition(meta == null ? -1 : meta.partition())
        .setOffset(meta == null ? -1 : meta.offset())
        .setService(IssuanceTopology.SERVICE)
        .setReason(reason)
        .setKey(
            record.key() == null
                ? null
                : Evidence.buffer(record.key().getBytes(StandardCharsets.UTF_8)))
        .setValue(Evidence.buffer(record.value()))
        .setFailedAt(Instant.ofEpochMilli(now.toEpochMilli()))
        .build();
  }

  /** "topic/partition@offset" of the record being processed, for log lines. */
  static String where(RecordMetadata meta) {
    return meta == null ? "?" : meta.topic() + "/" + meta.partition() + "@" + meta.offset();
  }
}
