package org.ledgerpki.validator;

import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.ledgerpki.schemas.DeadLetters;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each submission and re-keys it by the SHA-256 of the certificate's public key, so that
 * every submission of one key reaches the same task and its key registry, whatever the certificate.
 * A record that cannot be decoded, or whose key is not its certificate's hash, is forwarded as a
 * {@code DeadLetter} instead.
 */
final class PrepareProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareProcessor.class);

  private final Deserializer<Submission> deserializer;
  private final String topic;
  private final String service;
  private final Clock clock;
  private ProcessorContext<String, SpecificRecord> context;

  PrepareProcessor(
      Deserializer<Submission> deserializer, String topic, String service, Clock clock) {
    this.deserializer = deserializer;
    this.topic = topic;
    this.service = service;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Submission s;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value");
      }
      s = deserializer.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      dead(record, "cannot decode a Submission: " + e.getMessage());
      return;
    }
    String expected;
    try {
      expected = Submissions.keyOf(s);
    } catch (RuntimeException e) {
      dead(record, "the submission names no certificate");
      return;
    }
    if (!expected.equals(record.key())) {
      dead(record, "record key " + record.key() + " is not the certificate's SHA-256 " + expected);
      return;
    }
    byte[] der = Evidence.bytes(s.getCertificate());
    String byKey = der == null ? expected : SubmissionCheck.spkiSha256(der).orElse(expected);
    context.forward(record.withKey(byKey).withValue(s));
  }

  private void dead(Record<String, byte[]> record, String reason) {
    LOG.warn(
        "{}: dead-lettering {}: {}",
        service,
        context
            .recordMetadata()
            .map(m -> m.topic() + "/" + m.partition() + "@" + m.offset())
            .orElse("?"),
        reason);
    var meta = context.recordMetadata();
    context.forward(
        record.withValue(
            (SpecificRecord)
                DeadLetters.of(
                    meta.map(m -> m.topic()).orElse("?"),
                    meta.map(m -> m.partition()).orElse(-1),
                    meta.map(m -> m.offset()).orElse(-1L),
                    record.key(),
                    record.value(),
                    service,
                    reason,
                    clock.instant())));
  }
}
