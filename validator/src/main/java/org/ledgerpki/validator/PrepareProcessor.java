package org.ledgerpki.validator;

import java.time.Clock;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.FieldBounds;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each submission and re-keys it by the SHA-256 of the certificate's public key, so that
 * every submission of one key reaches the same task and its key registry, whatever the certificate.
 * A record that cannot be decoded, whose key is not its certificate's hash, or whose id, submitter
 * or certificate hash is out of {@link FieldBounds} (so that no verdict could repeat it) is
 * forwarded as a {@code DeadLetter} instead. So is a record on which anything else throws: no
 * record stops the validator.
 */
final class PrepareProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareProcessor.class);

  private final Deserializer<Submission> deserializer;
  private final String topic;
  private final String service;
  private final Clock clock;
  private ProcessorContext<String, SpecificRecord> context;
  private LedgerCounters counters;
  private DeadLetterOut dlq;

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
    this.counters =
        new LedgerCounters(
            context.metrics(),
            ValidatorTopology.METRICS_SCOPE,
            service.substring(service.indexOf('/') + 1));
    this.dlq =
        new DeadLetterOut(
            context,
            service,
            clock,
            LOG,
            (r, kind, letter) -> {
              counters.count(
                  "dead-letters", "Submissions dead-lettered, by kind of fault", "reason", kind);
              context.forward(r.withValue((SpecificRecord) letter));
            });
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      prepare(record);
    } catch (RuntimeException e) {
      dlq.send(record, "unjudgeable", "unexpected failure while preparing the submission: " + e);
    }
  }

  private void prepare(Record<String, byte[]> record) {
    Submission s = dlq.decode(record, deserializer, topic, "a Submission");
    if (s == null) {
      return;
    }
    Optional<String> unsignable =
        FieldBounds.unsignable(s.getSubmissionId(), s.getSubmitter(), subjectHash(s));
    if (unsignable.isPresent()) {
      dlq.send(
          record, "malformed", "malformed submission, no verdict can name it: " + unsignable.get());
      return;
    }
    String expected = Submissions.keyOf(s);
    if (!expected.equals(record.key())) {
      dlq.send(
          record,
          "wrong-key",
          "record key "
              + FieldBounds.boundedDetail(record.key())
              + " is not the certificate's SHA-256 "
              + expected);
      return;
    }
    byte[] der = Evidence.bytes(s.getCertificate());
    String byKey = der == null ? expected : SubmissionCheck.spkiSha256(der).orElse(expected);
    context.forward(record.withKey(byKey).withValue(s));
  }

  /** The hash a verdict on {@code s} names ({@link Submissions#keyOf}), or null if none. */
  private static byte[] subjectHash(Submission s) {
    byte[] cert = Evidence.bytes(s.getCertificate());
    if (s.getOperation() == Operation.ISSUE && cert != null) {
      return Sha256.hash(cert);
    }
    byte[] target = Evidence.bytes(s.getTargetCertificateSha256());
    if (target != null) {
      return target;
    }
    return cert == null ? null : Sha256.hash(cert);
  }
}
