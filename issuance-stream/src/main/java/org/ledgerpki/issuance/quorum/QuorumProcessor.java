package org.ledgerpki.issuance.quorum;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.issuance.lifecycle.Decisions;
import org.ledgerpki.issuance.lifecycle.LifecycleQuorum;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LifecycleGrant;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endorsement quorum. Reads {@code ledger.submissions} and {@code ledger.endorsements}, which
 * are co-partitioned by certificate hash, so that every record about one certificate reaches this
 * task and its stores:
 *
 * <ul>
 *   <li>{@code verdicts}: {@code <certHash>/<submitter>/<submissionId>} → a {@link Pending}: the
 *       submission, once its key is the hash it is about and its submitter's batch signature
 *       verifies, and the counted verdicts, at most one per validator organisation (and operation,
 *       until the submission arrives), in arrival order ({@code submissions} holds the submissions
 *       an older version kept; read only);
 *   <li>{@code decided}: {@code <certHash>/<submitter>/<submissionId>} → the outcome, so that late
 *       verdicts and replays change nothing (an accepted ISSUE: its owner record);
 *   <li>{@code admitted}: {@code <certHash>} → true once the certificate was accepted, as written
 *       before {@code owners} alone marked it; read only, so that such a store still refuses a
 *       second acceptance;
 *   <li>{@code owners}: {@code <certHash>} → {@code <submitter>/<submissionId>} of its accepted
 *       ISSUE (or the submitter alone, as written before), written when it is accepted and never
 *       removed: it marks it admitted, and is that submission's decision ({@link QuorumDecisions});
 *   <li>{@code lifecycle}: {@code <certHash>} → its state after the last granted lifecycle event,
 *       and {@code hold/<certHash>} → who placed its last hold (OWNER or OTHERS): who placed a hold
 *       must lift it ({@link Lifecycle#holdProblem}), else HOLD_PLACED_BY_OTHERS;
 *   <li>{@code requests}: {@code <certHash>/<operation>} → endorsed requests of non-owners waiting
 *       for the requester quorum.
 * </ul>
 *
 * <p>A verdict counts only if its validator is a member with the validator role, its batch evidence
 * verifies with that member's endorsement keys, it is the organisation's first verdict on the
 * submission and it agrees with the submission on the operation and the submitter. The quorum is a
 * set of organisations ({@link EndorsementQuorum}, the rule the cosigners apply too). An accepted
 * ISSUE goes to {@code ledger.sequence} (its log's partition) with the endorsements as evidence,
 * unless the certificate is already admitted, which makes it a DUPLICATE rejection. An ISSUE that
 * reaches the quorum before its submission arrives waits for it. Until the submission arrives, each
 * verdict is judged against what it names itself, so verdicts about different operations are kept
 * side by side (at most one per organisation and operation) and only a rejection can be decided;
 * the submission drops those that are not about it. Lifecycle requests (REVOKE, SUSPEND, RESUME,
 * RENEW) go to the {@link LifecycleQuorum}, which grants them for the owner at {@code k}
 * endorsements, and for other members once {@code lifecycle.nonOwnerQuorum} of them asked within
 * {@code lifecycle.requestWindow}; granted events go to {@code ledger.status-sequence}
 * (docs/status.md).
 *
 * <p>Records that cannot be processed (undecodable, or keyed by another hash than the one they are
 * about) go to {@code ledger.dlq}; invalid but readable ones are ignored with a WARN and counted.
 */
public final class QuorumProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumProcessor.class);
  private static final Pattern CERT_HASH = Pattern.compile("[0-9a-f]{64}");

  public static final String SUBMISSIONS_STORED = "submissions-stored";
  public static final String SUBMISSIONS_INVALID = "submissions-invalid";
  public static final String SUBMISSIONS_REPLAYED = "submissions-replayed";
  public static final String ENDORSEMENTS_COUNTED = "endorsements-counted";
  public static final String ENDORSEMENTS_NOT_MEMBER = "endorsements-not-member";
  public static final String ENDORSEMENTS_NOT_VALIDATOR = "endorsements-not-validator";
  public static final String ENDORSEMENTS_BAD_SIGNATURE = "endorsements-bad-signature";
  public static final String ENDORSEMENTS_DUPLICATE = "endorsements-duplicate";
  public static final String ENDORSEMENTS_INCONSISTENT = "endorsements-inconsistent";
  public static final String ENDORSEMENTS_LATE = "endorsements-late";
  public static final String ENDORSEMENTS_UNCLAIMED = "endorsements-unclaimed";
  public static final String DECISIONS_ACCEPTED = "decisions-accepted";
  public static final String DECISIONS_REJECTED = "decisions-rejected";
  public static final String DECISIONS_DUPLICATE = "decisions-duplicate";
  public static final String DEAD_LETTERS = "dead-letters";

  private static final Map<String, String> EVENTS = QuorumEvents.all();

  private final PolicyHolder holder;
  // The newest policy, read from the holder at the start of each record and punctuation, so one
  // decision is taken under one policy (docs/governance.md).
  private TrustPolicy policy;
  private final Topic<String, Submission> submissionsTopic;
  private final Topic<String, Endorsement> endorsementsTopic;
  private final BatchVerifier verifier;
  private final LogSigner signer;
  private final Clock clock;
  private final Duration unclaimedTtl;

  private ProcessorContext<String, SpecificRecord> context;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  private Verdicts tallies;
  private QuorumDecisions decisions;
  private LifecycleQuorum lifecycleQuorum;
  private long ignored;
  private long lastLogged;

  /**
   * @param holder the policy in force, read at the start of each record and punctuation
   * @param verifier checks the submitters' and validators' batch signatures
   * @param signer the log's signer, which signs every decision this task publishes
   * @param unclaimedTtl how long verdicts on a submission that has not arrived are kept (one to two
   *     of these)
   */
  public QuorumProcessor(
      PolicyHolder holder,
      Topic<String, Submission> submissionsTopic,
      Topic<String, Endorsement> endorsementsTopic,
      BatchVerifier verifier,
      LogSigner signer,
      Clock clock,
      Duration unclaimedTtl) {
    this.holder = holder;
    this.policy = holder.latest();
    this.submissionsTopic = submissionsTopic;
    this.endorsementsTopic = endorsementsTopic;
    this.verifier = verifier;
    this.signer = signer;
    this.clock = clock;
    this.unclaimedTtl = unclaimedTtl;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.counters =
        LedgerCounters.perTask(
            context,
            IssuanceTopology.METRICS_GROUP,
            IssuanceTopology.QUORUM,
            new LinkedHashMap<>(EVENTS));
    this.dlq =
        DeadLetterOut.toChild(
            context,
            IssuanceTopology.SERVICE,
            clock,
            LOG,
            () -> counters.inc(DEAD_LETTERS),
            IssuanceTopology.QUORUM_DLQ_SINK);
    this.tallies =
        new Verdicts(
            context.getStateStore(IssuanceTopology.VERDICTS_STORE),
            context.getStateStore(IssuanceTopology.SUBMISSIONS_STORE));
    PromptCommit prompt = PromptCommit.of(context);
    this.decisions =
        new QuorumDecisions(
            context,
            prompt,
            new QuorumDecisions.Stores(
                context.getStateStore(IssuanceTopology.DECIDED_STORE),
                context.getStateStore(IssuanceTopology.OWNERS_STORE),
                context.getStateStore(IssuanceTopology.ADMITTED_STORE),
                tallies),
            counters,
            signer,
            clock);
    this.lifecycleQuorum =
        new LifecycleQuorum(
            context,
            prompt,
            context.getStateStore(IssuanceTopology.LIFECYCLE_STORE),
            context.getStateStore(IssuanceTopology.REQUESTS_STORE),
            decisions,
            counters,
            clock);
    context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, t -> logSummary());
    context.schedule(unclaimedTtl, PunctuationType.WALL_CLOCK_TIME, t -> dropUnclaimed());
    Duration every = policy.requestWindow().dividedBy(4);
    if (every.compareTo(Duration.ofSeconds(1)) > 0) {
      every = Duration.ofSeconds(1);
    }
    if (every.compareTo(Duration.ofMillis(50)) < 0) {
      every = Duration.ofMillis(50);
    }
    context.schedule(
        every,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          policy = holder.latest();
          lifecycleQuorum.expire(now, policy);
        });
  }

  @Override
  public void process(Record<String, byte[]> record) {
    policy = holder.latest();
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? null : meta.topic();
    if (submissionsTopic.name().equals(topic)) {
      onSubmission(record, meta);
    } else if (endorsementsTopic.name().equals(topic)) {
      onEndorsement(record, meta);
    } else {
      throw new IllegalStateException(
          "quorum reads "
              + submissionsTopic.name()
              + " and "
              + endorsementsTopic.name()
              + ", got a record from "
              + topic);
    }
  }

  // ---- submissions ---------------------------------------------------------------------------

  private void onSubmission(Record<String, byte[]> record, RecordMetadata meta) {
    Submission s = decode(record, meta, submissionsTopic, "a Submission");
    if (s == null) {
      return;
    }
    if (s.getOperation() == Operation.ISSUE && s.getCertificate() == null) {
      dlq.send(record, "an ISSUE submission carries no certificate");
      return;
    }
    String expected;
    try {
      expected = Submissions.keyOf(s);
    } catch (RuntimeException e) {
      dlq.send(record, "the submission names no certificate");
      return;
    }
    if (!expected.equals(record.key())) {
      dlq.send(
          record,
          "record key "
              + record.key()
              + " is not the SHA-256 of the certificate the submission is about, "
              + expected);
      return;
    }
    String key = record.key();
    Optional<String> problem = LifecycleGrant.submitterProblem(policy, verifier, s);
    if (problem.isPresent()) {
      ignore(
          SUBMISSIONS_INVALID,
          "ignoring submission {} of certificate {} from '{}': {}",
          s.getSubmissionId(),
          key,
          s.getSubmitter(),
          problem.get());
      return;
    }
    String id = Decisions.id(key, s.getSubmitter(), s.getSubmissionId());
    Pending kept = tallies.get(id);
    Submission held = kept.submission();
    if (held != null || decisions.isDecided(id)) {
      if (held != null && !held.equals(s)) {
        ignore(
            SUBMISSIONS_REPLAYED,
            "ignoring submission {} of certificate {} from '{}': it reuses the id of another"
                + " submission of this member on this certificate",
            s.getSubmissionId(),
            key,
            s.getSubmitter());
        return;
      }
      counters.inc(SUBMISSIONS_REPLAYED);
      LOG.info(
          "submission {} of certificate {} from '{}' seen before (its id is used); nothing to do",
          s.getSubmissionId(),
          key,
          s.getSubmitter());
      return;
    }
    List<EndorsementQuorum.Ignored<Endorsement>> dropped = new ArrayList<>();
    kept = Verdicts.withoutInconsistent(kept.withSubmission(s), policy, dropped);
    tallies.put(id, kept);
    counters.inc(SUBMISSIONS_STORED);
    for (EndorsementQuorum.Ignored<Endorsement> i : dropped) {
      ignore(
          ENDORSEMENTS_INCONSISTENT,
          "dropping the verdict of '{}' on submission {}: {}",
          i.verdict().validator(),
          id,
          i.detail());
    }
    evaluate(key, id, kept, Verdicts.subjectOf(s), record.timestamp());
  }

  // ---- endorsements --------------------------------------------------------------------------

  private void onEndorsement(Record<String, byte[]> record, RecordMetadata meta) {
    Endorsement e = decode(record, meta, endorsementsTopic, "an Endorsement");
    if (e == null) {
      return;
    }
    byte[] hash = Evidence.bytes(e.getCertificateSha256());
    String named = hash == null ? "nothing" : Hex.encode(hash);
    if (!named.equals(record.key())) {
      dlq.send(
          record,
          "record key "
              + record.key()
              + " is not the certificate SHA-256 the verdict is about, "
              + named);
      return;
    }
    String key = record.key();
    String id = Decisions.id(key, e.getSubmitter(), e.getSubmissionId());
    String validator = e.getValidator();
    if (decisions.isDecided(id)) {
      counters.inc(ENDORSEMENTS_LATE);
      ignored++;
      LOG.debug("verdict of '{}' on {} arrived after the decision; ignored", validator, id);
      return;
    }
    Pending kept = tallies.get(id);
    List<Endorsement> tally = kept.verdicts();
    Submission s = kept.submission();
    // Until the submission arrives, a verdict is judged against what it names itself: verdicts
    // about different operations are kept side by side, so that no validator's early verdict can
    // make the others' look inconsistent (and have them dropped). The submission, once it arrives,
    // keeps those about it (Verdicts.withoutInconsistent).
    EndorsementQuorum.Subject subject = Verdicts.subjectOf(key, s, e);
    List<EndorsementQuorum.Verdict<Endorsement>> all = Verdicts.verified(tally);
    EndorsementQuorum.Verdict<Endorsement> fresh =
        EndorsementQuorum.Verdict.check(
            policy, verifier, Evidence.statement(e), Evidence.evidence(e.getSignature()), e);
    all.add(fresh);
    EndorsementQuorum.Tally<Endorsement> t = EndorsementQuorum.decide(policy, subject, all);
    Optional<EndorsementQuorum.Ignored<Endorsement>> why =
        t.ignored().stream()
            .filter(
                i -> i.verdict() == fresh && i.reason() != EndorsementQuorum.Reason.REJECT_VERDICT)
            .findFirst();
    if (why.isPresent()) {
      ignore(
          switch (why.get().reason()) {
            case NOT_A_MEMBER -> ENDORSEMENTS_NOT_MEMBER;
            case NOT_A_VALIDATOR -> ENDORSEMENTS_NOT_VALIDATOR;
            case BAD_SIGNATURE -> ENDORSEMENTS_BAD_SIGNATURE;
            case DUPLICATE_ORGANISATION -> ENDORSEMENTS_DUPLICATE;
            default -> ENDORSEMENTS_INCONSISTENT;
          },
          "ignoring a verdict on {} by '{}': {}",
          id,
          validator,
          why.get().detail());
      return;
    }
    List<Endorsement> grown = new ArrayList<>(tally.size() + 1);
    grown.addAll(tally);
    grown.add(e);
    kept = kept.withVerdicts(grown);
    tallies.put(id, kept);
    counters.inc(ENDORSEMENTS_COUNTED);
    evaluate(key, id, kept, subject, record.timestamp());
  }

  // ---- decisions -----------------------------------------------------------------------------

  /**
   * Decides submission {@code id} of certificate {@code key} if its verdicts about {@code subject}
   * allow it; {@code kept} is what the store holds of it. Without the submission, {@code subject}
   * is what the newest verdict names, and only a rejection is decided.
   */
  private void evaluate(
      String key, String id, Pending kept, EndorsementQuorum.Subject subject, long timestamp) {
    List<Endorsement> tally = kept.verdicts();
    if (tally.isEmpty()) {
      return;
    }
    Submission s = kept.submission();
    EndorsementQuorum.Tally<Endorsement> r =
        EndorsementQuorum.decide(policy, subject, Verdicts.verified(tally));
    if (r.standing() == EndorsementQuorum.Standing.PENDING) {
      return;
    }
    if (r.standing() == EndorsementQuorum.Standing.REJECTED) {
      decisions.decide(
          key,
          id,
          s,
          r.deciding().get(0),
          Outcome.REJECTED,
          QuorumDecisions.reasonsOf(r.deciding()),
          r.deciding(),
          timestamp);
      return;
    }
    Operation op = Operation.valueOf(subject.operation());
    if (op != Operation.ISSUE) {
      lifecycleQuorum.evaluate(key, id, s, r, policy, timestamp);
      return;
    }
    if (s == null) {
      LOG.info(
          "{} validators endorse submission {}; its acceptance waits for the submission itself",
          r.deciding().size(),
          id);
      return;
    }
    if (decisions.isAdmitted(key)) {
      counters.inc(DECISIONS_DUPLICATE);
      List<Reason> reasons = new ArrayList<>();
      reasons.add(
          new Reason(ReasonCode.DUPLICATE, "certificate " + key + " is already in the ledger"));
      decisions.decide(
          key, id, s, tally.get(0), Outcome.REJECTED, reasons, r.deciding(), timestamp);
      return;
    }
    // The decision is the log's to publish, once it has appended (or refused) the entry.
    decisions.accept(id, key, s, r.deciding(), policy.log(), timestamp);
  }

  /** Drops the verdicts kept one to two {@code unclaimedTtl} without their submission. */
  private void dropUnclaimed() {
    Verdicts.Swept gone = tallies.sweepUnclaimed();
    if (gone.submissions() > 0) {
      gone.byValidator().values().forEach(n -> counters.add(ENDORSEMENTS_UNCLAIMED, n));
      LOG.warn(
          "dropped the verdicts on {} submission(s) that did not arrive within {}, by validator {}",
          gone.submissions(),
          unclaimedTtl,
          gone.byValidator());
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private <V> V decode(
      Record<String, byte[]> record, RecordMetadata meta, Topic<String, V> topic, String what) {
    if (record.key() == null || !CERT_HASH.matcher(record.key()).matches()) {
      dlq.send(
          record,
          "record key " + record.key() + " is not a lowercase hex SHA-256 of a certificate");
      return null;
    }
    if (record.value() == null) {
      dlq.send(record, "the record has no value");
      return null;
    }
    return dlq.decode(record, topic.valueSerde().deserializer(), topic.name(), what);
  }

  private void ignore(String counter, String format, Object... args) {
    counters.inc(counter);
    ignored++;
    LOG.warn(format, args);
  }

  private void logSummary() {
    long total = decisions.accepted() + decisions.rejected() + ignored;
    if (total != lastLogged) {
      LOG.info(
          "quorum (task {}): {} accepted, {} rejected, {} records ignored so far",
          context.taskId(),
          decisions.accepted(),
          decisions.rejected(),
          ignored);
      lastLogged = total;
    }
  }

  @Override
  public void close() {
    if (counters != null) {
      counters.close();
    }
  }
}
