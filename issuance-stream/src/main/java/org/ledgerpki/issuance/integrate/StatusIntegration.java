package org.ledgerpki.issuance.integrate;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status integration: gives each granted lifecycle request on {@code ledger.status-sequence} the
 * next sequence number of the log's status log, applies it and publishes it on {@code
 * ledger.status} (docs/status.md). State: {@code status-events} (sequence number → the encoded
 * event), {@code status-sequenced} (request → its event, so that a replay is never sequenced twice)
 * and the event count in {@code log-state} under {@value #STATUS_COUNT_PREFIX}{@code <origin>}.
 */
public final class StatusIntegration {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrateProcessor.class);

  /** Key prefix in {@code log-state} of the status log's event count. */
  public static final String STATUS_COUNT_PREFIX = "status-count/";

  private final TrustPolicy.LogIdentity log;
  private final Topic<String, StatusEntry> statusSequenceTopic;
  private final LogSigner signer;
  private final ProcessorContext<String, Object> context;
  private final KeyValueStore<String, byte[]> logState;
  private final KeyValueStore<Long, byte[]> statusEvents;
  private final KeyValueStore<String, Long> statusSequenced;
  private final SequencedCertificates certificates;
  private final Admission admission;
  private final PolicyRecheck recheck;
  private final LedgerCounters counters;
  private final DeadLetterOut dlq;
  private final Clock clock;
  // A cache of the status log the stores hold; rebuilt from status-events when its count is not
  // the stored count (and on every init, so a revived task never trusts an aborted cache).
  private StatusLog statusLog;

  StatusIntegration(
      TrustPolicy.LogIdentity log,
      Topic<String, StatusEntry> statusSequenceTopic,
      ProcessorContext<String, Object> context,
      SequencedCertificates certificates,
      Admission admission,
      PolicyRecheck recheck,
      LedgerCounters counters,
      DeadLetterOut dlq,
      LogSigner signer,
      Clock clock) {
    this.log = log;
    this.signer = signer;
    this.statusSequenceTopic = statusSequenceTopic;
    this.context = context;
    this.logState = context.getStateStore(IssuanceTopology.LOG_STATE_STORE);
    this.statusEvents = context.getStateStore(IssuanceTopology.STATUS_EVENTS_STORE);
    this.statusSequenced = context.getStateStore(IssuanceTopology.STATUS_SEQUENCED_STORE);
    this.certificates = certificates;
    this.admission = admission;
    this.recheck = recheck;
    this.counters = counters;
    this.dlq = dlq;
    this.clock = clock;
  }

  /** The number of events in {@code origin}'s status log, as {@code log-state} holds it. */
  public static long statusCount(KeyValueStore<String, byte[]> logState, String origin) {
    byte[] c = logState.get(STATUS_COUNT_PREFIX + origin);
    return c == null ? 0 : java.nio.ByteBuffer.wrap(c).getLong();
  }

  /**
   * Gives a granted lifecycle request the next sequence number of the status log, applies it and
   * publishes it on {@code ledger.status} with its evidence. The quorum already checked the
   * transition; this re-checks it against the status log, so the log never holds an impossible one:
   * a record that fails goes to the dead-letter topic and consumes no sequence number.
   *
   * @return whether the status log grew (its commitment changed)
   */
  boolean process(Record<String, byte[]> record, RecordMetadata meta) {
    StatusEntry in =
        dlq.decode(
            record,
            statusSequenceTopic.valueSerde().deserializer(),
            statusSequenceTopic.name(),
            "a StatusEntry");
    if (in == null) {
      return false;
    }
    if (!log.origin().equals(in.getOrigin()) || log.number() != in.getLogNumber()) {
      dlq.send(
          record,
          "the status request is for log "
              + in.getLogNumber()
              + " ("
              + in.getOrigin()
              + "); this issuance stream sequences log "
              + log.number());
      return false;
    }
    byte[] cert = Evidence.bytes(in.getCertificateSha256());
    if (cert == null || cert.length != 32 || in.getRequests().isEmpty()) {
      dlq.send(record, "the status request names no certificate or carries no request");
      return false;
    }
    String certHash = Hex.encode(cert);
    for (Submission q : in.getRequests()) {
      Long done = statusSequenced.get(requestId(certHash, q));
      if (done != null) {
        counters.inc(IntegrateProcessor.STATUS_REPLAYED);
        LOG.info(
            "lifecycle request {} of '{}' on {} already is in status event {}; record {} skipped",
            q.getSubmissionId(),
            q.getSubmitter(),
            certHash,
            done,
            DeadLetterOut.where(Optional.ofNullable(meta)));
        return false;
      }
    }
    SequencedCertificates.Held held = certificates.get(certHash);
    if (held == null) {
      dlq.send(record, "certificate " + certHash + " is not in " + log.origin());
      return false;
    }
    EntryId id = held.id();
    Lifecycle.Operation op;
    try {
      op = Lifecycle.Operation.valueOf(in.getOperation().name());
    } catch (IllegalArgumentException e) {
      dlq.send(record, in.getOperation() + " is not a lifecycle operation");
      return false;
    }
    Integer reason = in.getReasonCode();
    if (reason != null && !Lifecycle.isReasonCode(reason)) {
      dlq.send(record, "reason code " + reason + " is not an RFC 5280 CRLReason");
      return false;
    }
    byte[] supersededBy = Evidence.bytes(in.getSupersededBy());
    if ((op == Lifecycle.Operation.RENEW)
        != (supersededBy != null
            && supersededBy.length == 32
            && certificates.index(Hex.encode(supersededBy)) != null)) {
      dlq.send(
          record,
          "a RENEW names the admitted certificate that supersedes the old one, and only a RENEW"
              + " does");
      return false;
    }
    StatusLog sl = statusLog();
    CertificateState now = sl.state(id.leafHash());
    Lifecycle.Result r = Lifecycle.apply(now, op);
    if (!r.allowed()) {
      dlq.send(record, op + " of " + certHash + " (" + now + "): " + r.refusal());
      return false;
    }
    long seq = sl.count();
    Optional<String> stale = recheck.statusProblem(in, seq);
    if (stale.isPresent()) {
      counters.inc(IntegrateProcessor.STATUS_REFUSED_POLICY);
      dlq.send(record, op + " of " + certHash + ": " + stale.get());
      return false;
    }
    StatusEvent e =
        new StatusEvent(
            seq,
            id.leafHash(),
            id.spkiHash(),
            cert,
            r.state().get(),
            op,
            reason,
            clock.millis(),
            supersededBy);
    byte[] encoded = e.encode();
    try {
      sl.apply(e);
      statusEvents.put(seq, encoded);
      logState.put(
          STATUS_COUNT_PREFIX + log.origin(),
          java.nio.ByteBuffer.allocate(8).putLong(seq + 1).array());
      for (Submission q : in.getRequests()) {
        statusSequenced.put(requestId(certHash, q), seq);
      }
      if (op == Lifecycle.Operation.REVOKE || op == Lifecycle.Operation.RENEW) {
        admission.revokeKey(certHash, reason, held);
      }
    } catch (RuntimeException ex) {
      statusLog = null;
      throw ex;
    }
    counters.inc(IntegrateProcessor.STATUS_SEQUENCED);
    StatusEntry out =
        signer.sign(
            StatusEntry.newBuilder(in)
                .setSequence(seq)
                .setEvent(Evidence.buffer(encoded))
                .setSequencedAt(Instant.ofEpochMilli(clock.millis()))
                .build());
    context.forward(
        new Record<>(log.origin(), (Object) out, record.timestamp()), IssuanceTopology.STATUS_SINK);
    LOG.info(
        "status event {} of {}: {} of {} by {} ({}), now {}",
        seq,
        log.origin(),
        op,
        certHash,
        in.getRequests().stream().map(x -> x.getSubmitter()).toList(),
        reason == null ? "no reason code" : "reason " + reason,
        e.state());
    return true;
  }

  /** The status log as the stores hold it. */
  StatusLog statusLog() {
    long count = statusCount(logState, log.origin());
    if (statusLog == null || statusLog.count() != count) {
      StatusLog s = new StatusLog();
      for (long i = 0; i < count; i++) {
        byte[] e = statusEvents.get(i);
        try {
          s.apply(StatusEvent.decode(e));
        } catch (MalformedInputException | RuntimeException ex) {
          throw new IllegalStateException(
              "store "
                  + IssuanceTopology.STATUS_EVENTS_STORE
                  + ": status event "
                  + i
                  + " of "
                  + log.origin()
                  + " cannot be replayed: "
                  + ex.getMessage(),
              ex);
        }
      }
      statusLog = s;
    }
    return statusLog;
  }

  /**
   * The identity of a lifecycle request in {@code status-sequenced}: (certificate, submitter,
   * submissionId), so that one member's id never shadows another's request.
   */
  static String requestId(String certHash, Submission q) {
    return certHash + "/" + q.getSubmitter() + "/" + q.getSubmissionId();
  }
}
