package org.ledgerpki.issuance.quorum;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.issuance.lifecycle.Decisions;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the quorum decided, for the ISSUE quorum and the lifecycle quorum alike: publishes decisions
 * on {@code ledger.decisions}, sends accepted certificates to be sequenced, and keeps {@code
 * decided} (so that late verdicts and replays change nothing) while dropping the submission and
 * verdicts that were kept to decide.
 */
final class QuorumDecisions implements Decisions {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumProcessor.class);

  private final ProcessorContext<String, SpecificRecord> context;
  private final KeyValueStore<String, String> decided;
  private final KeyValueStore<String, List<Endorsement>> verdicts;
  private final KeyValueStore<String, Submission> submissions;
  private final LedgerCounters counters;
  private final LogSigner signer;
  private final Clock clock;
  private long accepted;
  private long rejected;

  QuorumDecisions(
      ProcessorContext<String, SpecificRecord> context,
      KeyValueStore<String, String> decided,
      KeyValueStore<String, List<Endorsement>> verdicts,
      KeyValueStore<String, Submission> submissions,
      LedgerCounters counters,
      LogSigner signer,
      Clock clock) {
    this.context = context;
    this.decided = decided;
    this.verdicts = verdicts;
    this.submissions = submissions;
    this.counters = counters;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public void decide(
      String key,
      String id,
      Submission s,
      Endorsement first,
      Outcome outcome,
      List<Reason> reasons,
      List<Endorsement> evidence,
      long timestamp) {
    Decision d =
        Decision.newBuilder()
            .setSubmissionId(first.getSubmissionId())
            .setOperation(s != null ? s.getOperation() : first.getOperation())
            .setSubmitter(s != null ? s.getSubmitter() : first.getSubmitter())
            .setCertificateSha256(Evidence.buffer(Hex.decode(key)))
            .setOutcome(outcome)
            .setReasons(reasons)
            .setEvidence(new ArrayList<>(evidence))
            .setDecidedAt(now())
            .setOrigin(signer.origin())
            .build();
    context.forward(new Record<>(key, signer.sign(d), timestamp), IssuanceTopology.DECISIONS_SINK);
    markDecided(id, outcome);
    LOG.debug("{} {} with {} verdicts, reasons {}", outcome, id, evidence.size(), reasons);
  }

  @Override
  public void waiting(String id) {
    decided.put(id, WAITING);
    verdicts.delete(id);
    submissions.delete(id);
  }

  /**
   * Accepts ISSUE submission {@code id} of certificate {@code key} and sends it to its log's
   * partition of the sequencing topic; the decision is the log's to publish, once it has appended
   * (or refused) the entry.
   */
  void accept(
      String id,
      String key,
      Submission s,
      List<Endorsement> evidence,
      TrustPolicy.LogIdentity log,
      long timestamp) {
    markDecided(id, Outcome.ACCEPTED);
    LedgerEntry entry =
        LedgerEntry.newBuilder()
            .setOrigin(log.origin())
            .setLogNumber(log.number())
            .setIndex(-1)
            .setEntry(Evidence.buffer(new byte[0]))
            .setCertificate(Evidence.buffer(Evidence.bytes(s.getCertificate())))
            .setCertificateSha256(Evidence.buffer(Hex.decode(key)))
            .setSubmissionId(s.getSubmissionId())
            .setSubmitter(s.getSubmitter())
            .setEvidence(new ArrayList<>(evidence))
            .setSequencedAt(now())
            .build();
    context.forward(
        new Record<>(Integer.toString(log.number()), (SpecificRecord) entry, timestamp),
        IssuanceTopology.SEQUENCE_SINK);
  }

  /** Submissions accepted by this task since it started. */
  long accepted() {
    return accepted;
  }

  /** Submissions rejected by this task since it started. */
  long rejected() {
    return rejected;
  }

  /** The union of the rejections' reasons, in order, each once. */
  static List<Reason> reasonsOf(List<Endorsement> rejections) {
    List<Reason> out = new ArrayList<>();
    for (Endorsement e : rejections) {
      for (Reason r : e.getReasons()) {
        if (!out.contains(r)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Records the outcome of submission {@code id} and drops what was kept to decide it. */
  private void markDecided(String id, Outcome outcome) {
    decided.put(id, outcome.name());
    verdicts.delete(id);
    submissions.delete(id);
    if (outcome == Outcome.ACCEPTED) {
      accepted++;
      counters.inc(QuorumProcessor.DECISIONS_ACCEPTED);
    } else {
      rejected++;
      counters.inc(QuorumProcessor.DECISIONS_REJECTED);
    }
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }
}
