package org.ledgerpki.validator;

import java.time.Clock;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.schemas.DeadLetters;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.slf4j.Logger;

/** Builds the {@code ledger.dlq} record of the input record a validator processor gives up on. */
final class DeadLetterOut {
  private DeadLetterOut() {}

  /**
   * The dead letter of the record being processed, logged at WARN with where it came from.
   *
   * @param value the record's bytes, or null if they are not at hand
   */
  static DeadLetter of(
      ProcessorContext<?, ?> context,
      Logger log,
      String service,
      String key,
      byte[] value,
      String reason,
      Clock clock) {
    var meta = context.recordMetadata();
    log.warn(
        "{}: dead-lettering {}: {}",
        service,
        meta.map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse("?"),
        reason);
    return DeadLetters.of(
        meta.map(RecordMetadata::topic).orElse("?"),
        meta.map(RecordMetadata::partition).orElse(-1),
        meta.map(RecordMetadata::offset).orElse(-1L),
        key,
        value,
        service,
        reason,
        clock.instant());
  }
}
