package org.ledgerpki.issuance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.quorum.RequestWindow;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.DeadLetterOut;
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
 *   <li>{@code submissions}: {@code <certHash>/<submitter>/<submissionId>} → the submission, once
 *       its key is the hash it is about and its submitter's batch signature verifies;
 *   <li>{@code verdicts}: {@code <certHash>/<submitter>/<submissionId>} → the counted verdicts, at
 *       most one per validator organisation, in arrival order;
 *   <li>{@code decided}: {@code <certHash>/<submitter>/<submissionId>} → the outcome, so that late
 *       verdicts and replays change nothing;
 *   <li>{@code admitted}: {@code <certHash>} → true once the certificate is accepted;
 *   <li>{@code owners}: {@code <certHash>} → the submitter of its accepted ISSUE;
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
 * reaches the quorum before its submission arrives waits for it. Lifecycle requests (REVOKE,
 * SUSPEND, RESUME, RENEW) are granted for the owner at {@code k} endorsements, and for other
 * members once {@code lifecycle.nonOwnerQuorum} of them asked within {@code
 * lifecycle.requestWindow}; granted events go to {@code ledger.status-sequence} (docs/status.md).
 *
 * <p>Records that cannot be processed (undecodable, or keyed by another hash than the one they are
 * about) go to {@code ledger.dlq}; invalid but readable ones are ignored with a WARN and counted.
 */
final class QuorumProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumProcessor.class);
  private static final Pattern CERT_HASH = Pattern.compile("[0-9a-f]{64}");

  /** Key prefix in {@code lifecycle} of who placed a certificate's hold (OWNER or OTHERS). */
  static final String HOLD_PREFIX = "hold/";

  /** The {@code decided} marker of an endorsed non-owner request waiting for its quorum. */
  static final String WAITING = "WAITING";

  static final String SUBMISSIONS_STORED = "submissions-stored";
  static final String SUBMISSIONS_INVALID = "submissions-invalid";
  static final String SUBMISSIONS_REPLAYED = "submissions-replayed";
  static final String ENDORSEMENTS_COUNTED = "endorsements-counted";
  static final String ENDORSEMENTS_NOT_MEMBER = "endorsements-not-member";
  static final String ENDORSEMENTS_NOT_VALIDATOR = "endorsements-not-validator";
  static final String ENDORSEMENTS_BAD_SIGNATURE = "endorsements-bad-signature";
  static final String ENDORSEMENTS_DUPLICATE = "endorsements-duplicate";
  static final String ENDORSEMENTS_INCONSISTENT = "endorsements-inconsistent";
  static final String ENDORSEMENTS_LATE = "endorsements-late";
  static final String DECISIONS_ACCEPTED = "decisions-accepted";
  static final String DECISIONS_REJECTED = "decisions-rejected";
  static final String DECISIONS_DUPLICATE = "decisions-duplicate";
  static final String DEAD_LETTERS = "dead-letters";
  static final String LIFECYCLE_GRANTED = "lifecycle-granted";
  static final String LIFECYCLE_WAITING = "lifecycle-waiting";
  static final String LIFECYCLE_EXPIRED = "lifecycle-expired";

  private static final Map<String, String> EVENTS = events();

  private final PolicyHolder holder;
  // The newest policy, read from the holder at the start of each record and punctuation, so one
  // decision is taken under one policy (docs/governance.md).
  private TrustPolicy policy;
  private final Topic<String, Submission> submissionsTopic;
  private final Topic<String, Endorsement> endorsementsTopic;
  private final BatchVerifier verifier;
  private final Clock clock;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Submission> submissions;
  private KeyValueStore<String, List<Endorsement>> verdicts;
  private KeyValueStore<String, String> decided;
  private KeyValueStore<String, Boolean> admitted;
  private KeyValueStore<String, String> owners;
  private KeyValueStore<String, String> lifecycle;
  private KeyValueStore<String, StatusEntry> requests;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  private long accepted;
  private long rejected;
  private long ignored;
  private long lastLogged;

  QuorumProcessor(
      PolicyHolder holder,
      Topic<String, Submission> submissionsTopic,
      Topic<String, Endorsement> endorsementsTopic,
      BatchVerifier verifier,
      Clock clock) {
    this.holder = holder;
    this.policy = holder.latest();
    this.submissionsTopic = submissionsTopic;
    this.endorsementsTopic = endorsementsTopic;
    this.verifier = verifier;
    this.clock = clock;
  }

  private static Map<String, String> events() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SUBMISSIONS_STORED, "Submissions kept for their decision.");
    m.put(SUBMISSIONS_INVALID, "Submissions ignored: submitter not a member or signature invalid.");
    m.put(
        SUBMISSIONS_REPLAYED,
        "Submissions ignored: the submitter already used the id on this certificate.");
    m.put(ENDORSEMENTS_COUNTED, "Verdicts counted towards a quorum.");
    m.put(ENDORSEMENTS_NOT_MEMBER, "Verdicts ignored: the validator is not a policy member.");
    m.put(ENDORSEMENTS_NOT_VALIDATOR, "Verdicts ignored: the member has no validator role.");
    m.put(ENDORSEMENTS_BAD_SIGNATURE, "Verdicts ignored: the batch evidence does not verify.");
    m.put(ENDORSEMENTS_DUPLICATE, "Verdicts ignored: the organisation already gave one.");
    m.put(ENDORSEMENTS_INCONSISTENT, "Verdicts ignored: they disagree with the submission.");
    m.put(ENDORSEMENTS_LATE, "Verdicts ignored: the submission was already decided.");
    m.put(DECISIONS_ACCEPTED, "Submissions accepted.");
    m.put(DECISIONS_REJECTED, "Submissions rejected (DUPLICATE included).");
    m.put(DECISIONS_DUPLICATE, "Submissions rejected because the certificate is already admitted.");
    m.put(DEAD_LETTERS, "Input records sent to the dead-letter topic.");
    m.put(LIFECYCLE_GRANTED, "Lifecycle events granted and sent to be sequenced.");
    m.put(LIFECYCLE_WAITING, "Endorsed non-owner lifecycle requests waiting for more requesters.");
    m.put(LIFECYCLE_EXPIRED, "Non-owner lifecycle requests rejected: no requester quorum in time.");
    return Map.copyOf(m);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.submissions = context.getStateStore(IssuanceTopology.SUBMISSIONS_STORE);
    this.verdicts = context.getStateStore(IssuanceTopology.VERDICTS_STORE);
    this.decided = context.getStateStore(IssuanceTopology.DECIDED_STORE);
    this.admitted = context.getStateStore(IssuanceTopology.ADMITTED_STORE);
    this.owners = context.getStateStore(IssuanceTopology.OWNERS_STORE);
    this.lifecycle = context.getStateStore(IssuanceTopology.LIFECYCLE_STORE);
    this.requests = context.getStateStore(IssuanceTopology.REQUESTS_STORE);
    this.counters =
        LedgerCounters.perTask(
            context,
            IssuanceTopology.METRICS_GROUP,
            IssuanceTopology.QUORUM,
            new LinkedHashMap<>(EVENTS));
    this.dlq =
        new DeadLetterOut(
            context,
            IssuanceTopology.SERVICE,
            clock,
            LOG,
            (r, kind, letter) -> {
              counters.inc(DEAD_LETTERS);
              context.forward(
                  new Record<>(letter.getSourceTopic(), (SpecificRecord) letter, r.timestamp()),
                  IssuanceTopology.QUORUM_DLQ_SINK);
            });
    context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, t -> logSummary());
    Duration every = policy.requestWindow().dividedBy(4);
    if (every.compareTo(Duration.ofSeconds(1)) > 0) {
      every = Duration.ofSeconds(1);
    }
    if (every.compareTo(Duration.ofMillis(50)) < 0) {
      every = Duration.ofMillis(50);
    }
    context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::expireRequests);
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
    Optional<String> problem = submitterProblem(s);
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
    String id = id(key, s.getSubmitter(), s.getSubmissionId());
    if (decided.get(id) != null || submissions.get(id) != null) {
      Submission held = submissions.get(id);
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
    submissions.put(id, s);
    counters.inc(SUBMISSIONS_STORED);
    dropInconsistentVerdicts(id, s);
    evaluate(key, id, record.timestamp());
  }

  /** Why the submission's author cannot have made it, if so. */
  private Optional<String> submitterProblem(Submission s) {
    Optional<TrustPolicy.Member> member = policy.member(s.getSubmitter());
    if (member.isEmpty()) {
      return Optional.of("'" + s.getSubmitter() + "' is not a member of " + policy.consortium());
    }
    TrustPolicy.Member m = member.get();
    if (!m.has(Role.SUBMITTER)) {
      return Optional.of("'" + m.id() + "' does not have the submitter role");
    }
    try {
      verifier.verify(
          SubmissionStatement.KIND,
          Evidence.statement(s).encode(),
          Evidence.evidence(s.getSignature()),
          m.id(),
          m.submissionKeys());
    } catch (Exception e) {
      return Optional.of("submitter signature: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Drops verdicts that arrived before the submission and disagree with it. */
  private void dropInconsistentVerdicts(String id, Submission s) {
    List<Endorsement> tally = verdicts.get(id);
    if (tally == null) {
      return;
    }
    EndorsementQuorum.Tally<Endorsement> t =
        EndorsementQuorum.decide(policy, subjectOf(s), verified(tally));
    List<Endorsement> keep = new ArrayList<>(tally.size());
    t.endorsing().forEach(v -> keep.add(v.source()));
    for (EndorsementQuorum.Ignored<Endorsement> i : t.ignored()) {
      if (i.reason() == EndorsementQuorum.Reason.REJECT_VERDICT) {
        keep.add(i.verdict().source());
      } else {
        ignore(
            ENDORSEMENTS_INCONSISTENT,
            "dropping the verdict of '{}' on submission {}: {}",
            i.verdict().validator(),
            id,
            i.detail());
      }
    }
    if (keep.size() != tally.size()) {
      if (keep.isEmpty()) {
        verdicts.delete(id);
      } else {
        verdicts.put(id, keep);
      }
    }
  }

  /** The statement the verdicts on {@code s} must be about. */
  private static EndorsementQuorum.Subject subjectOf(Submission s) {
    return EndorsementQuorum.Subject.of(Evidence.statement(s));
  }

  /**
   * The statement the verdicts stored under {@code id} are about: its submission's if it arrived,
   * otherwise what the id and the first verdict name (the submission is then still needed to
   * accept).
   */
  private EndorsementQuorum.Subject subjectOf(String key, Submission s, Endorsement first) {
    return s != null
        ? subjectOf(s)
        : new EndorsementQuorum.Subject(
            first.getSubmissionId(),
            first.getOperation().name(),
            first.getSubmitter(),
            Hex.decode(key));
  }

  /** Verdicts whose signatures were checked when they were stored. */
  private static List<EndorsementQuorum.Verdict<Endorsement>> verified(List<Endorsement> tally) {
    List<EndorsementQuorum.Verdict<Endorsement>> out = new ArrayList<>(tally.size());
    for (Endorsement e : tally) {
      out.add(EndorsementQuorum.Verdict.verified(Evidence.statement(e), e));
    }
    return out;
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
    String id = id(key, e.getSubmitter(), e.getSubmissionId());
    String validator = e.getValidator();
    if (decided.get(id) != null) {
      counters.inc(ENDORSEMENTS_LATE);
      ignored++;
      LOG.debug("verdict of '{}' on {} arrived after the decision; ignored", validator, id);
      return;
    }
    List<Endorsement> tally = tally(id);
    Submission s = submissions.get(id);
    EndorsementQuorum.Subject subject = subjectOf(key, s, tally.isEmpty() ? e : tally.get(0));
    List<EndorsementQuorum.Verdict<Endorsement>> all = verified(tally);
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
    tally.add(e);
    verdicts.put(id, tally);
    counters.inc(ENDORSEMENTS_COUNTED);
    evaluate(key, id, record.timestamp());
  }

  private List<Endorsement> tally(String id) {
    List<Endorsement> l = verdicts.get(id);
    return l == null ? new ArrayList<>() : new ArrayList<>(l);
  }

  // ---- decisions -----------------------------------------------------------------------------

  /** Decides submission {@code id} of certificate {@code key} if its verdicts allow it. */
  private void evaluate(String key, String id, long timestamp) {
    List<Endorsement> tally = tally(id);
    if (tally.isEmpty()) {
      return;
    }
    Submission s = submissions.get(id);
    EndorsementQuorum.Tally<Endorsement> r =
        EndorsementQuorum.decide(policy, subjectOf(key, s, tally.get(0)), verified(tally));
    if (r.standing() == EndorsementQuorum.Standing.PENDING) {
      return;
    }
    Operation op = s != null ? s.getOperation() : tally.get(0).getOperation();
    if (op != Operation.ISSUE) {
      evaluateLifecycle(key, id, s, tally, r, timestamp);
      return;
    }
    if (r.standing() == EndorsementQuorum.Standing.REJECTED) {
      decide(
          key,
          id,
          s,
          tally.get(0),
          Outcome.REJECTED,
          reasonsOf(r.deciding()),
          r.deciding(),
          timestamp);
      return;
    }
    if (s == null) {
      LOG.info(
          "{} validators endorse submission {}; its acceptance waits for the submission itself",
          r.deciding().size(),
          id);
      return;
    }
    if (admitted.get(key) != null) {
      counters.inc(DECISIONS_DUPLICATE);
      List<Reason> reasons = new ArrayList<>();
      reasons.add(
          new Reason(ReasonCode.DUPLICATE, "certificate " + key + " is already in the ledger"));
      decide(key, id, s, tally.get(0), Outcome.REJECTED, reasons, r.deciding(), timestamp);
      return;
    }
    admitted.put(key, Boolean.TRUE);
    owners.put(key, s.getSubmitter());
    // The decision is the log's to publish, once it has appended (or refused) the entry.
    markDecided(id, Outcome.ACCEPTED);
    sequence(key, s, r.deciding(), timestamp);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Decides a lifecycle request (REVOKE, SUSPEND, RESUME, RENEW) once its verdicts allow it. At
   * {@code k} endorsements it is checked against what this task knows of the certificate (its owner
   * and its lifecycle state, both kept in this task's stores because every record about the
   * certificate is keyed by its hash). The owner's request is granted at once; another member's
   * request waits in {@code requests} until {@code lifecycle.nonOwnerQuorum} distinct non-owners
   * asked for the same operation, or is rejected after {@code lifecycle.requestWindow}.
   */
  private void evaluateLifecycle(
      String key,
      String id,
      Submission s,
      List<Endorsement> tally,
      EndorsementQuorum.Tally<Endorsement> r,
      long ts) {
    if (r.standing() == EndorsementQuorum.Standing.REJECTED) {
      decide(key, id, s, tally.get(0), Outcome.REJECTED, reasonsOf(r.deciding()), r.deciding(), ts);
      return;
    }
    if (s == null) {
      LOG.info(
          "{} validators endorse lifecycle request {}; it waits for the request itself",
          r.deciding().size(),
          id);
      return;
    }
    Operation op = s.getOperation();
    String owner = owners.get(key);
    if (owner == null) {
      reject(
          key,
          id,
          s,
          r,
          ts,
          ReasonCode.UNKNOWN_CERTIFICATE,
          "certificate " + key + " is not in the ledger");
      return;
    }
    Optional<String> badReason = reasonProblem(op, s.getReasonCode());
    if (badReason.isPresent()) {
      reject(key, id, s, r, ts, ReasonCode.BAD_REASON_CODE, badReason.get());
      return;
    }
    CertificateState state = stateOf(key);
    Lifecycle.Result t = Lifecycle.apply(state, Lifecycle.Operation.valueOf(op.name()));
    if (!t.allowed()) {
      reject(
          key,
          id,
          s,
          r,
          ts,
          ReasonCode.INVALID_TRANSITION,
          op + " of a " + state + " certificate: " + t.refusal());
      return;
    }
    boolean byOwner = owner.equals(s.getSubmitter());
    Lifecycle.Requester by = byOwner ? Lifecycle.Requester.OWNER : Lifecycle.Requester.OTHERS;
    if (op == Operation.RESUME) {
      String placed = lifecycle.get(HOLD_PREFIX + key);
      Optional<String> hold =
          Lifecycle.holdProblem(placed == null ? null : Lifecycle.Requester.valueOf(placed), by);
      if (hold.isPresent()) {
        reject(key, id, s, r, ts, ReasonCode.HOLD_PLACED_BY_OTHERS, hold.get());
        return;
      }
    }
    byte[] supersededBy = null;
    if (op == Operation.RENEW) {
      if (!byOwner) {
        reject(
            key,
            id,
            s,
            r,
            ts,
            ReasonCode.NOT_OWNER,
            "only its owner '" + owner + "' may renew " + key);
        return;
      }
      byte[] der = Evidence.bytes(s.getCertificate());
      if (der == null || Hex.encode(Sha256.hash(der)).equals(key)) {
        reject(
            key,
            id,
            s,
            r,
            ts,
            ReasonCode.MALFORMED_CERTIFICATE,
            "a RENEW carries the new certificate, which supersedes " + key);
        return;
      }
      supersededBy = Sha256.hash(der);
    }
    if (byOwner) {
      grant(
          key,
          op,
          owner,
          supersededBy,
          List.of(s),
          new ArrayList<>(r.deciding()),
          t.state().get(),
          ts);
      return;
    }
    String rk = key + "/" + op.name();
    StatusEntry waiting = requests.get(rk);
    List<Submission> asked =
        waiting == null ? new ArrayList<>() : new ArrayList<>(waiting.getRequests());
    List<Endorsement> evidence =
        waiting == null ? new ArrayList<>() : new ArrayList<>(waiting.getEvidence());
    if (asked.stream().anyMatch(x -> x.getSubmitter().equals(s.getSubmitter()))) {
      reject(
          key,
          id,
          s,
          r,
          ts,
          ReasonCode.DUPLICATE,
          "'" + s.getSubmitter() + "' already asked to " + op + " " + key + "; it counts once");
      return;
    }
    List<Long> signedAt = new ArrayList<>();
    asked.forEach(q -> signedAt.add(q.getSubmittedAt().toEpochMilli()));
    signedAt.add(s.getSubmittedAt().toEpochMilli());
    Optional<String> late =
        RequestWindow.problem(signedAt, clock.millis(), policy.requestWindow(), policy.clockSkew());
    if (late.isPresent()) {
      reject(key, id, s, r, ts, ReasonCode.REQUESTER_QUORUM_NOT_REACHED, late.get());
      return;
    }
    asked.add(s);
    evidence.addAll(r.deciding());
    if (asked.size() >= policy.nonOwnerQuorum()) {
      requests.delete(rk);
      grant(key, op, owner, null, asked, evidence, t.state().get(), ts);
      return;
    }
    long since =
        waiting == null ? context.currentSystemTimeMs() : waiting.getSequencedAt().toEpochMilli();
    requests.put(
        rk, statusEntry(key, op, owner, null, asked, evidence, Instant.ofEpochMilli(since)));
    decided.put(id, WAITING);
    verdicts.delete(id);
    submissions.delete(id);
    counters.inc(LIFECYCLE_WAITING);
    LOG.info(
        "{} of {} by '{}' (not its owner '{}') is endorsed; {} of {} members other than the owner"
            + " asked so far, waiting up to {}",
        op,
        key,
        s.getSubmitter(),
        owner,
        asked.size(),
        policy.nonOwnerQuorum(),
        policy.requestWindow());
  }

  private static Optional<String> reasonProblem(Operation op, Integer reasonCode) {
    return Lifecycle.reasonProblem(Lifecycle.Operation.valueOf(op.name()), reasonCode);
  }

  private static Integer effectiveReason(Operation op, Integer reasonCode) {
    return Lifecycle.eventReason(Lifecycle.Operation.valueOf(op.name()), reasonCode);
  }

  private CertificateState stateOf(String key) {
    String st = lifecycle.get(key);
    return st == null ? CertificateState.GOOD : CertificateState.valueOf(st);
  }

  private void reject(
      String key,
      String id,
      Submission s,
      EndorsementQuorum.Tally<Endorsement> r,
      long ts,
      ReasonCode code,
      String detail) {
    List<Reason> reasons = new ArrayList<>();
    reasons.add(new Reason(code, detail));
    LOG.info(
        "rejecting {} {} of {} by '{}': {}", s.getOperation(), id, key, s.getSubmitter(), detail);
    decide(key, id, s, r.deciding().get(0), Outcome.REJECTED, reasons, r.deciding(), ts);
  }

  /** Grants the requests: one decision each, the new state, and the event to sequence. */
  private void grant(
      String key,
      Operation op,
      String owner,
      byte[] supersededBy,
      List<Submission> asked,
      List<Endorsement> evidence,
      CertificateState next,
      long ts) {
    lifecycle.put(key, next.name());
    if (op == Operation.SUSPEND) {
      lifecycle.put(
          HOLD_PREFIX + key,
          Lifecycle.Requester.of(owner, asked.stream().map(Submission::getSubmitter).toList())
              .name());
    }
    for (Submission q : asked) {
      List<Endorsement> own = ownEvidence(evidence, q);
      decide(
          key,
          id(key, q.getSubmitter(), q.getSubmissionId()),
          q,
          own.get(0),
          Outcome.ACCEPTED,
          new ArrayList<>(),
          own,
          ts);
    }
    StatusEntry out = statusEntry(key, op, owner, supersededBy, asked, evidence, now());
    TrustPolicy.LogIdentity log = policy.log();
    context.forward(
        new Record<>(Integer.toString(log.number()), (SpecificRecord) out, ts),
        IssuanceTopology.STATUS_SEQUENCE_SINK);
    counters.inc(LIFECYCLE_GRANTED);
    LOG.info(
        "{} of {} granted (requested by {}, owner '{}'); the certificate becomes {}",
        op,
        key,
        asked.stream().map(Submission::getSubmitter).toList(),
        owner,
        next);
  }

  private StatusEntry statusEntry(
      String key,
      Operation op,
      String owner,
      byte[] supersededBy,
      List<Submission> asked,
      List<Endorsement> evidence,
      Instant at) {
    TrustPolicy.LogIdentity log = policy.log();
    return StatusEntry.newBuilder()
        .setOrigin(log.origin())
        .setLogNumber(log.number())
        .setSequence(-1)
        .setEvent(Evidence.buffer(new byte[0]))
        .setCertificateSha256(Evidence.buffer(Hex.decode(key)))
        .setOperation(op)
        .setReasonCode(effectiveReason(op, asked.get(0).getReasonCode()))
        .setSupersededBy(Evidence.buffer(supersededBy))
        .setOwner(owner)
        .setRequests(new ArrayList<>(asked))
        .setEvidence(new ArrayList<>(evidence))
        .setSequencedAt(at)
        .build();
  }

  /** Rejects the non-owner requests that waited longer than the policy's request window. */
  private void expireRequests(long now) {
    policy = holder.latest();
    long window = policy.requestWindow().toMillis();
    List<org.apache.kafka.streams.KeyValue<String, StatusEntry>> expired = new ArrayList<>();
    try (var it = requests.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        if (now - kv.value.getSequencedAt().toEpochMilli() >= window) {
          expired.add(kv);
        }
      }
    }
    for (var kv : expired) {
      requests.delete(kv.key);
      StatusEntry p = kv.value;
      String key = Hex.encode(Evidence.bytes(p.getCertificateSha256()));
      String detail =
          p.getRequests().size()
              + " of the "
              + policy.nonOwnerQuorum()
              + " members other than the owner '"
              + p.getOwner()
              + "' needed asked to "
              + p.getOperation()
              + " "
              + key
              + " within "
              + policy.requestWindow();
      for (Submission q : p.getRequests()) {
        List<Endorsement> own = ownEvidence(p.getEvidence(), q);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason(ReasonCode.REQUESTER_QUORUM_NOT_REACHED, detail));
        decide(
            key,
            id(key, q.getSubmitter(), q.getSubmissionId()),
            q,
            own.get(0),
            Outcome.REJECTED,
            reasons,
            own,
            now);
        counters.inc(LIFECYCLE_EXPIRED);
      }
      LOG.info("rejecting the waiting {} requests on {}: {}", p.getOperation(), key, detail);
    }
  }

  /** The verdicts on request {@code q} among {@code evidence}. */
  private static List<Endorsement> ownEvidence(List<Endorsement> evidence, Submission q) {
    return evidence.stream()
        .filter(
            e ->
                e.getSubmissionId().equals(q.getSubmissionId())
                    && e.getSubmitter().equals(q.getSubmitter()))
        .toList();
  }

  /** The union of the rejections' reasons, in order, each once. */
  private static List<Reason> reasonsOf(List<Endorsement> rejections) {
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

  private void decide(
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
            .build();
    context.forward(new Record<>(key, d, timestamp), IssuanceTopology.DECISIONS_SINK);
    markDecided(id, outcome);
    LOG.debug("{} {} with {} verdicts, reasons {}", outcome, id, evidence.size(), reasons);
  }

  /** Records the outcome of submission {@code id} and drops what was kept to decide it. */
  private void markDecided(String id, Outcome outcome) {
    decided.put(id, outcome.name());
    verdicts.delete(id);
    submissions.delete(id);
    if (outcome == Outcome.ACCEPTED) {
      accepted++;
      counters.inc(DECISIONS_ACCEPTED);
    } else {
      rejected++;
      counters.inc(DECISIONS_REJECTED);
    }
  }

  /** Sends an accepted certificate to its log's partition of the sequencing topic. */
  private void sequence(String key, Submission s, List<Endorsement> evidence, long timestamp) {
    TrustPolicy.LogIdentity log = policy.log();
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

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * The store key of one submission of one certificate: the certificate, the submitter and its
   * submission id, so that one member's id never names another member's submission.
   */
  static String id(String certHash, String submitter, String submissionId) {
    return certHash + "/" + submitter + "/" + submissionId;
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

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
    long total = accepted + rejected + ignored;
    if (total != lastLogged) {
      LOG.info(
          "quorum (task {}): {} accepted, {} rejected, {} records ignored so far",
          context.taskId(),
          accepted,
          rejected,
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
