package org.ledgerpki.cosign.status;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.cosign.mirror.Fault;
import org.ledgerpki.cosign.mirror.MirrorIndex;
import org.ledgerpki.cosign.mirror.MirrorProgress;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.mirror.MirrorStore;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status checker: mirrors the status log. Each event must have the next sequence number and
 * pass {@link StatusCheck} under the policy in force at its sequence number, name the entry and key
 * the mirror holds for its certificate, and be a valid transition of this cosigner's own status
 * log. An event that fails taints the status log from its sequence number (logged, counted in
 * {@code tainted-status-events-total{reason}}); the status mirror stops there, and no checkpoint
 * committing to that event or a later one is cosigned. One per processor instance.
 */
public final class StatusMirror {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMirror.class);

  private final MirrorStore store;
  private final StatusChecks checks;
  private final LedgerCounters counters;
  private final String service;
  private final MirrorProgress progress;
  // Per origin, a cache of the status log the status store holds; checked against the mirror
  // state's statusCount on every use, dropped with the processor instance.
  private final Map<String, StatusLog> statusLogs = new HashMap<>();

  /**
   * @param service the name that opens each log line, {@code cosigner/<org>}
   * @param progress told after each status event applied, before the state is saved
   */
  public StatusMirror(
      MirrorStore store,
      StatusChecks checks,
      LedgerCounters counters,
      String service,
      MirrorProgress progress) {
    this.store = store;
    this.checks = checks;
    this.counters = counters;
    this.service = service;
    this.progress = progress;
  }

  /** Mirrors {@code s}, a status event the policy's log signed, published at {@code timestamp}. */
  public void onStatus(StatusEntry s, long timestamp) {
    String origin = s.getOrigin();
    MirrorState st = store.state(origin);
    long seq = s.getSequence();
    byte[] encoded = Evidence.bytes(s.getEvent());
    if (seq < 0) {
      taintStatus(st, origin, st.statusCount, "a status event has the negative sequence " + seq);
    } else if (seq < st.statusCount) {
      byte[] held = store.event(origin, seq);
      if (Arrays.equals(held, encoded)) {
        LOG.debug("{}: status event {} of {} replayed, already mirrored", service, seq, origin);
        return;
      }
      taintStatus(st, origin, seq, "status event " + seq + " was published again, different");
    } else if (seq > st.statusCount) {
      taintStatus(
          st,
          origin,
          st.statusCount,
          "gap: the next status event must have sequence " + st.statusCount + ", got " + seq);
    } else if (st.statusTaintedFrom >= 0) {
      LOG.warn(
          "{}: status event {} of {} not mirrored: the status log is tainted from {}",
          service,
          seq,
          origin,
          st.statusTaintedFrom);
    } else {
      apply(st, origin, s, encoded, timestamp);
    }
    store.save(origin, st);
  }

  private void apply(MirrorState st, String origin, StatusEntry s, byte[] encoded, long timestamp) {
    long seq = s.getSequence();
    StatusEvent e;
    try {
      e = StatusEvent.decode(encoded);
    } catch (MalformedInputException ex) {
      taintStatus(st, origin, seq, "status event " + seq + ": " + ex.getMessage());
      return;
    }
    MirrorIndex mirror = store.index(origin);
    StatusCheck statusCheck = checks.at(seq);
    Optional<Fault> fault =
        statusCheck.check(s, e, (hash, leaf) -> store.ownerOf(origin, hash, leaf), mirror);
    if (fault.isPresent()) {
      checks.refresh();
      if (checks.at(seq) != statusCheck) {
        statusCheck = checks.at(seq);
        fault = statusCheck.check(s, e, (hash, leaf) -> store.ownerOf(origin, hash, leaf), mirror);
      }
    }
    if (fault.isEmpty()) {
      fault = entryIdFault(origin, e).map(d -> new Fault(Fault.ENTRY_MISMATCH, d));
    }
    if (fault.isPresent()) {
      taintStatus(
          st, origin, seq, fault.get().tag(), "status event " + seq + ": " + fault.get().detail());
      return;
    }
    StatusLog log = statusLog(origin, st);
    try {
      log.apply(e);
    } catch (IllegalArgumentException ex) {
      statusLogs.remove(origin);
      taintStatus(st, origin, seq, ex.getMessage());
      return;
    }
    store.putEvent(origin, seq, encoded);
    statusCheck.remember(s, e, mirror);
    StatusCommitment c = log.commitment();
    store.putCommitment(origin, c);
    st.statusCount = c.count();
    LOG.debug("{}: mirrored status event {} of {} ({})", service, seq, origin, e.state());
    progress.advanced(origin, st, store.tree(origin, st), timestamp);
  }

  /** The status log of {@code origin} as the store holds it. */
  private StatusLog statusLog(String origin, MirrorState st) {
    StatusLog log = statusLogs.get(origin);
    if (log == null || log.count() != st.statusCount) {
      log = new StatusLog();
      for (long i = 0; i < st.statusCount; i++) {
        byte[] b = store.event(origin, i);
        try {
          log.apply(StatusEvent.decode(b));
        } catch (MalformedInputException | RuntimeException ex) {
          throw new IllegalStateException(
              "status event " + i + " of " + origin + " in the store cannot be replayed", ex);
        }
      }
      statusLogs.put(origin, log);
    }
    return log;
  }

  /**
   * Status is keyed by the log entry: the event must name the entry (leaf hash) and key (SPKI hash)
   * of the certificate it is about, as this cosigner mirrored them.
   */
  private Optional<String> entryIdFault(String origin, StatusEvent e) {
    Optional<EntryId> held = store.entryId(origin, e.certificateSha256(), e.entryHash());
    if (held.isEmpty()) {
      return Optional.of(
          "certificate " + Hex.encode(e.certificateSha256()) + " has no entry in the mirror");
    }
    byte[] leaf = held.get().leafHash();
    byte[] spki = held.get().spkiHash();
    if (!Arrays.equals(leaf, e.entryHash()) || !Arrays.equals(spki, e.spkiHash())) {
      return Optional.of(
          "the event names entry "
              + Hex.encode(e.entryHash())
              + " and key "
              + Hex.encode(e.spkiHash())
              + ", the mirror's entry of certificate "
              + Hex.encode(e.certificateSha256())
              + " is "
              + Hex.encode(leaf)
              + " with key "
              + Hex.encode(spki));
    }
    return Optional.empty();
  }

  private void taintStatus(MirrorState st, String origin, long seq, String reason) {
    taintStatus(st, origin, seq, Fault.INVALID, reason);
  }

  private void taintStatus(MirrorState st, String origin, long seq, String tag, String reason) {
    counters.count(
        "tainted-status-events", "Status events that failed the cosigner's checks", "reason", tag);
    if (st.taintStatus(seq, reason)) {
      LOG.warn(
          "{}: the status log of {} is tainted from event {}: {}; no checkpoint committing to it"
              + " will be cosigned",
          service,
          origin,
          seq,
          reason);
    } else {
      LOG.warn(
          "{}: status log of {}: {} (already tainted from {})",
          service,
          origin,
          reason,
          st.statusTaintedFrom);
    }
  }
}
