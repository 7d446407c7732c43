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
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the quorum decided, for the ISSUE quorum and the lifecycle quorum alike: publishes decisions
 * on {@code ledger.decisions}, sends accepted certificates to be sequenced, and keeps what was
 * decided (so that late verdicts and replays change nothing) while dropping the submission and
 * verdicts that were kept to decide.
 *
 * <p>An accepted ISSUE is kept in one record, its certificate's {@code owners} record, {@code
 * <submitter>/<submissionId>}: who owns the certificate, that it is admitted, and which submission
 * was accepted. Every other decision is a {@code decided} record under the submission's id. Stores
 * written before hold an accepted ISSUE in {@code decided} too, with the submitter alone in {@code
 * owners} (or only {@code admitted}); they are read as they are.
 */
final class QuorumDecisions implements Decisions {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumProcessor.class);

  /** The quorum's stores this class writes or reads. */
  record Stores(
      KeyValueStore<String, String> decided,
      KeyValueStore<String, String> owners,
      KeyValueStore<String, Boolean> admitted,
      Verdicts kept) {}

  private final ProcessorContext<String, SpecificRecord> context;
  private final PromptCommit prompt;
  private final Stores stores;
  private final LedgerCounters counters;
  private final LogSigner signer;
  private final Clock clock;
  private long accepted;
  private long rejected;

  QuorumDecisions(
      ProcessorContext<String, SpecificRecord> context,
      PromptCommit prompt,
      Stores stores,
      LedgerCounters counters,
      LogSigner signer,
      Clock clock) {
    this.context = context;
    this.prompt = prompt;
    this.stores = stores;
    this.counters = counters;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public String owner(String certHash) {
    String v = stores.owners().get(certHash);
    if (v == null) {
      return null;
    }
    int slash = v.indexOf('/');
    return slash < 0 ? v : v.substring(0, slash);
  }

  /** Whether submission {@code id} ({@link Decisions#id}) was decided, whatever the outcome. */
  boolean isDecided(String id) {
    if (stores.decided().get(id) != null) {
      return true;
    }
    int slash = id.indexOf('/');
    String v = stores.owners().get(id.substring(0, slash));
    // The owner record names the accepted submission: "<submitter>/<submissionId>" is the id's
    // tail. A record written before holds the submitter alone, which no id's tail equals.
    return v != null && id.length() == slash + 1 + v.length() && id.endsWith(v);
  }

  /** Whether an ISSUE of certificate {@code certHash} was accepted. */
  boolean isAdmitted(String certHash) {
    return stores.owners().get(certHash) != null || stores.admitted().get(certHash) != null;
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
    prompt.forwarded();
    markDecided(id, outcome);
    LOG.debug("{} {} with {} verdicts, reasons {}", outcome, id, evidence.size(), reasons);
  }

  @Override
  public void waiting(String id) {
    stores.decided().put(id, WAITING);
    dropKept(id);
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
    stores.owners().put(key, s.getSubmitter() + "/" + s.getSubmissionId());
    counted(id, Outcome.ACCEPTED);
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
    stores.decided().put(id, outcome.name());
    counted(id, outcome);
  }

  /** Drops what was kept to decide submission {@code id}, and counts its outcome. */
  private void counted(String id, Outcome outcome) {
    dropKept(id);
    if (outcome == Outcome.ACCEPTED) {
      accepted++;
      counters.inc(QuorumProcessor.DECISIONS_ACCEPTED);
    } else {
      rejected++;
      counters.inc(QuorumProcessor.DECISIONS_REJECTED);
    }
  }

  private void dropKept(String id) {
    stores.kept().drop(id);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }
}
