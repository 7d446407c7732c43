package org.ledgerpki.issuance;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.schemas.avro.DeadLetter;

/** The dead letters of input records this service could not process. */
final class DeadLetters {
  private DeadLetters() {}

  /**
   * The dead letter of {@code record}: where it came from, why it was given up, and its raw key and
   * value, so that it can be inspected and replayed.
   */
  static DeadLetter of(
      Record<String, byte[]> record, RecordMetadata meta, String reason, Instant now) {
    return org.ledgerpki.schemas.DeadLetters.of(
        meta == null ? "?" : meta.topic(),
        meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset(),
        record.key(),
        record.value(),
        IssuanceTopology.SERVICE,
        reason,
        now);
  }

  /** "topic/partition@offset" of the record being processed, for log lines. */
  static String where(RecordMetadata meta) {
    return meta == null ? "?" : meta.topic() + "/" + meta.partition() + "@" + meta.offset();
  }
}
