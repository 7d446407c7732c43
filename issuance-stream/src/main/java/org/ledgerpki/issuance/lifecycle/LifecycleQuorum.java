package org.ledgerpki.issuance.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.quorum.RequestWindow;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle quorum: decides a lifecycle request (REVOKE, SUSPEND, RESUME, RENEW) once the
 * quorum's verdicts on it reach {@code k} endorsements, against what the quorum task knows of the
 * certificate (its owner and its lifecycle state, both kept in the task's stores because every
 * record about the certificate is keyed by its hash). The owner's request is granted at once;
 * another member's request waits in {@code requests} until {@code lifecycle.nonOwnerQuorum}
 * distinct non-owners asked for the same operation, or is rejected after {@code
 * lifecycle.requestWindow}. Granted events go to {@code ledger.status-sequence} (docs/status.md).
 * The rules are core's ({@link Lifecycle}, {@link RequestWindow}); this class keeps the state and
 * emits.
 *
 * <p>Stores (of the quorum processor): {@code owners} (read through {@link Decisions#owner}),
 * {@code lifecycle}: {@code <certHash>} → its state after the last granted event, and {@code
 * hold/<certHash>} → who placed its last hold (OWNER or OTHERS), and {@code requests}: {@code
 * <certHash>/<operation>} → endorsed requests of non-owners waiting for the requester quorum.
 */
public final class LifecycleQuorum {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleQuorum.class);

  /** Key prefix in {@code lifecycle} of who placed a certificate's hold (OWNER or OTHERS). */
  public static final String HOLD_PREFIX = "hold/";

  public static final String LIFECYCLE_GRANTED = "lifecycle-granted";
  public static final String LIFECYCLE_WAITING = "lifecycle-waiting";
  public static final String LIFECYCLE_EXPIRED = "lifecycle-expired";

  /** The counters of the lifecycle quorum, event name to description. */
  public static Map<String, String> events() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(LIFECYCLE_GRANTED, "Lifecycle events granted and sent to be sequenced.");
    m.put(LIFECYCLE_WAITING, "Endorsed non-owner lifecycle requests waiting for more requesters.");
    m.put(LIFECYCLE_EXPIRED, "Non-owner lifecycle requests rejected: no requester quorum in time.");
    return m;
  }

  private final ProcessorContext<String, SpecificRecord> context;
  private final PromptCommit prompt;
  private final KeyValueStore<String, String> lifecycle;
  private final KeyValueStore<String, StatusEntry> requests;
  private final Decisions decisions;
  private final LedgerCounters counters;
  private final Clock clock;
  private TrustPolicy policy;

  /**
   * @param context the quorum processor's context: granted events are forwarded to its {@value
   *     IssuanceTopology#STATUS_SEQUENCE_SINK} child
   * @param prompt the quorum processor's prompt commit, told of each granted event
   * @param counters the quorum processor's counters, with {@link #events()} declared
   */
  public LifecycleQuorum(
      ProcessorContext<String, SpecificRecord> context,
      PromptCommit prompt,
      KeyValueStore<String, String> lifecycle,
      KeyValueStore<String, StatusEntry> requests,
      Decisions decisions,
      LedgerCounters counters,
      Clock clock) {
    this.context = context;
    this.prompt = prompt;
    this.lifecycle = lifecycle;
    this.requests = requests;
    this.decisions = decisions;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Decides lifecycle request {@code id} of certificate {@code key}, whose verdicts {@code r} reach
   * the endorsement quorum, under {@code policy}: grants it, rejects it, or keeps it waiting for
   * more requesters.
   *
   * @param s the request, or null if only its verdicts arrived (it then waits for the request)
   */
  public void evaluate(
      String key,
      String id,
      Submission s,
      EndorsementQuorum.Tally<Endorsement> r,
      TrustPolicy policy,
      long ts) {
    this.policy = policy;
    if (s == null) {
      LOG.info(
          "{} validators endorse lifecycle request {}; it waits for the request itself",
          r.deciding().size(),
          id);
      return;
    }
    Operation op = s.getOperation();
    String owner = decisions.owner(key);
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
    decisions.waiting(id);
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
    decisions.decide(key, id, s, r.deciding().get(0), Outcome.REJECTED, reasons, r.deciding(), ts);
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
      decisions.decide(
          key,
          Decisions.id(key, q.getSubmitter(), q.getSubmissionId()),
          q,
          own.get(0),
          Outcome.ACCEPTED,
          new ArrayList<>(),
          own,
          ts);
    }
    StatusEntry out =
        statusEntry(
            key, op, owner, supersededBy, asked, evidence, Instant.ofEpochMilli(clock.millis()));
    TrustPolicy.LogIdentity log = policy.log();
    context.forward(
        new Record<>(Integer.toString(log.number()), (SpecificRecord) out, ts),
        IssuanceTopology.STATUS_SEQUENCE_SINK);
    prompt.forwarded();
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

  /**
   * Rejects the non-owner requests that waited longer than {@code policy}'s request window
   * (REQUESTER_QUORUM_NOT_REACHED), at wall-clock time {@code now}.
   */
  public void expire(long now, TrustPolicy policy) {
    this.policy = policy;
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
        decisions.decide(
            key,
            Decisions.id(key, q.getSubmitter(), q.getSubmissionId()),
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
}
