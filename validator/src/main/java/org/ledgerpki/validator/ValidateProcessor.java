package org.ledgerpki.validator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.FieldBounds;
import org.ledgerpki.core.profile.Violation;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.store.UnheldTombstones;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each submission and publishes the organisation's signed verdict. Verdicts wait in the
 * {@code pending} store until the batch is full or the linger time passes, then are signed with one
 * signature (docs/adr/0003-batched-signatures.md) and forwarded. Because the buffer is a
 * changelogged store written in the same transaction as the input offsets, a crash never loses a
 * verdict: a restarted task finds the pending ones and signs them. A verdict put and signed between
 * two commits never reaches the changelog ({@link UnheldTombstones}). Only a verdict that is known
 * to encode is stored; a submission on which judging throws is dead-lettered instead, and the
 * stream goes on.
 */
final class ValidateProcessor implements Processor<String, Submission, String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateProcessor.class);

  private final java.util.function.Supplier<SubmissionCheck> checks;
  private final BatchSigner signer;
  private final Clock clock;
  private final int maxBatch;
  private final Duration linger;
  private ProcessorContext<String, SpecificRecord> context;
  private PromptCommit prompt;
  private KeyValueStore<String, String> registered;
  private KeyValueStore<Long, Endorsement> pending;
  private LedgerView ledger;
  private LedgerCounters counters;
  private long nextSeq;
  private int pendingCount;

  // The linger timer runs only while verdicts wait: Kafka Streams commits after every wall-clock
  // punctuation, so a timer that always ran made each idle validator commit an empty transaction
  // every commit interval.
  private Cancellable lingerTimer;
  private long endorsed;
  private long rejected;
  private long deadLettered;
  private long lastLogged;

  ValidateProcessor(
      java.util.function.Supplier<SubmissionCheck> checks,
      BatchSigner signer,
      Clock clock,
      int maxBatch,
      Duration linger) {
    this.checks = checks;
    this.signer = signer;
    this.clock = clock;
    this.maxBatch = maxBatch;
    this.linger = linger;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.prompt = PromptCommit.of(context);
    this.registered = context.getStateStore(ValidatorTopology.REGISTERED_KEYS);
    this.pending = context.getStateStore(ValidatorTopology.PENDING);
    // A verdict signed before the commit it was put in leaves no record in the changelog.
    UnheldTombstones.skip(pending);
    this.counters =
        new LedgerCounters(context.metrics(), ValidatorTopology.METRICS_SCOPE, signer.signer());
    this.ledger =
        new StoreLedgerView(
            context.getStateStore(ValidatorTopology.LEDGER_OWNERS),
            context.getStateStore(ValidatorTopology.LEDGER_STATES));
    try (KeyValueIterator<Long, Endorsement> it = pending.all()) {
      while (it.hasNext()) {
        nextSeq = Math.max(nextSeq, it.next().key + 1);
        pendingCount++;
      }
    }
    if (pendingCount > 0) {
      armLinger();
    }
    context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, t -> logSummary());
  }

  @Override
  public void process(Record<String, Submission> record) {
    Submission s = record.value();
    Endorsement e;
    SubmissionCheck.Result r;
    try {
      Instant now = clock.instant();
      r = checks.get().check(s, now, spki -> Optional.ofNullable(registered.get(spki)), ledger);
      e = verdict(s, r, now);
      // Prove that the verdict can be signed before it is stored: the pending store is restored
      // after a crash, and an entry that cannot be encoded would stop every flush.
      Evidence.statement(e).encode();
    } catch (RuntimeException ex) {
      deadLettered++;
      counters.count(
          "dead-letters", "Submissions dead-lettered, by kind of fault", "reason", "unjudgeable");
      context.forward(
          record.withValue(
              (SpecificRecord)
                  DeadLetterOut.of(
                      context,
                      LOG,
                      service(),
                      record.key(),
                      bytesOf(s),
                      "cannot judge submission "
                          + FieldBounds.boundedDetail(s == null ? "?" : s.getSubmissionId())
                          + ": "
                          + ex,
                      clock)));
      return;
    }
    counters.count(
        "verdicts", "Verdicts made", "verdict", e.getVerdict().name().toLowerCase(Locale.ROOT));
    if (!r.endorse()) {
      for (Reason reason : e.getReasons()) {
        counters.count(
            "rejection-reasons", "Reasons given in rejections", "reason", reason.getCode().name());
      }
    }
    if (r.endorse()) {
      endorsed++;
      r.spkiSha256().ifPresent(spki -> registered.putIfAbsent(spki, s.getSubmitter()));
    } else {
      rejected++;
      LOG.debug(
          "{} rejects {} from {}: {}",
          signer.signer(),
          Submissions.keyOf(s),
          s.getSubmitter(),
          r.violations());
    }
    pending.put(nextSeq++, e);
    if (++pendingCount >= maxBatch) {
      flush();
    } else {
      armLinger();
    }
  }

  /** Flushes within {@code linger} of the first verdict that waits. */
  private void armLinger() {
    if (lingerTimer == null) {
      lingerTimer = context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, t -> flush());
    }
  }

  /** No verdict waits: the timer stops until one does. */
  private void disarmLinger() {
    if (lingerTimer != null) {
      lingerTimer.cancel();
      lingerTimer = null;
    }
  }

  /** The unsigned verdict on {@code s}; reasons are cut to {@link FieldBounds}. */
  private Endorsement verdict(Submission s, SubmissionCheck.Result r, Instant now) {
    List<Reason> reasons = new ArrayList<>();
    for (Violation v : r.violations()) {
      if (reasons.size() == FieldBounds.MAX_REASONS) {
        break;
      }
      reasons.add(
          new Reason(ReasonCode.valueOf(v.code().name()), FieldBounds.boundedDetail(v.detail())));
    }
    return Endorsement.newBuilder()
        .setSubmissionId(s.getSubmissionId())
        .setOperation(s.getOperation())
        .setSubmitter(s.getSubmitter())
        .setCertificateSha256(Evidence.buffer(Hex.decode(Submissions.keyOf(s))))
        .setValidator(signer.signer())
        .setVerdict(r.endorse() ? Verdict.ENDORSE : Verdict.REJECT)
        .setReasons(reasons)
        .setValidatedAt(Instant.ofEpochMilli(now.toEpochMilli()))
        .setSignature(Evidence.unsigned(signer.signer()))
        .build();
  }

  private String service() {
    return "validator/" + signer.signer();
  }

  /** The Avro single-object encoding of {@code s}, for the dead letter; null if it fails too. */
  private static byte[] bytesOf(Submission s) {
    try {
      return s == null ? null : Evidence.bytes(s.toByteBuffer());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Signs the pending verdicts as one batch and forwards them. A pending verdict that cannot be
   * encoded (one stored by an older version, before verdicts were checked) is dead-lettered and
   * removed, so that it cannot stop every later flush.
   */
  private void flush() {
    disarmLinger(); // every way out of here leaves no verdict waiting
    if (pendingCount == 0) {
      return;
    }
    List<KeyValue<Long, Endorsement>> batch = new ArrayList<>(pendingCount);
    List<byte[]> statements = new ArrayList<>(pendingCount);
    List<Long> unsignable = new ArrayList<>();
    try (KeyValueIterator<Long, Endorsement> it = pending.all()) {
      while (it.hasNext()) {
        KeyValue<Long, Endorsement> kv = it.next();
        byte[] statement;
        try {
          statement = Evidence.statement(kv.value).encode();
        } catch (RuntimeException ex) {
          deadLettered++;
          counters.count(
              "dead-letters",
              "Submissions dead-lettered, by kind of fault",
              "reason",
              "unsignable");
          unsignable.add(kv.key);
          context.forward(
              new Record<String, SpecificRecord>(
                  null,
                  DeadLetterOut.of(
                      context,
                      LOG,
                      service(),
                      null,
                      null,
                      "pending verdict " + kv.key + " cannot be signed, dropped: " + ex,
                      clock),
                  clock.millis()));
          continue;
        }
        batch.add(kv);
        statements.add(statement);
      }
    }
    unsignable.forEach(pending::delete);
    if (batch.isEmpty()) {
      pendingCount = 0;
      return;
    }
    List<BatchEvidence> evidence = signer.sign(EndorsementStatement.KIND, statements);
    long now = clock.millis();
    for (int i = 0; i < batch.size(); i++) {
      Endorsement signed = batch.get(i).value;
      signed.setSignature(Evidence.signature(evidence.get(i)));
      String key = Hex.encode(Evidence.bytes(signed.getCertificateSha256()));
      context.forward(new Record<String, SpecificRecord>(key, signed, now));
      pending.delete(batch.get(i).key);
    }
    prompt.forwarded();
    pendingCount = 0;
  }

  private void logSummary() {
    long total = endorsed + rejected;
    if (total != lastLogged) {
      LOG.info(
          "{}: {} submissions judged ({} endorsed, {} rejected), {} dead-lettered",
          signer.signer(),
          total,
          endorsed,
          rejected,
          deadLettered);
      lastLogged = total;
    }
  }
}
