package org.ledgerpki.cli;

import java.security.PublicKey;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * What {@code ledgerpki audit} checks of the log's signature on each record of {@code
 * ledger.entries}, {@code ledger.status} and {@code ledger.decisions}: it must be the signature of
 * the log the trust policy names, with that log's Ed25519 key, over the record's statement
 * (docs/adr/0012-log-signed-ledger-records.md). A record without a valid one is what an inquiry
 * node, a cosigner and a validator refuse: the audit reports it and leaves it out of the log it
 * checks. Counts what it checked. Not thread-safe.
 */
final class LogSignatureAudit {
  private final TrustPolicy.LogIdentity log;
  private final PublicKey key;
  private long entries;
  private long entriesRefused;
  private long events;
  private long eventsRefused;
  private long decisions;
  private long decisionsRefused;

  /**
   * @param log the log of the trust policy the audit is given
   */
  LogSignatureAudit(TrustPolicy.LogIdentity log) {
    this.log = log;
    // Converted once: every record of both topics is verified with it.
    this.key = Signatures.defaults().adopt(log.ed25519());
  }

  /** Why {@code e} is not an entry of the policy's log, signed by it; null if it is. Counted. */
  String entry(LedgerEntry e) {
    entries++;
    String why = foreign(e.getOrigin());
    if (why == null) {
      why = LogRecords.problem(e, key);
    }
    if (why != null) {
      entriesRefused++;
    }
    return why;
  }

  /** Why {@code s} is not a status event of the policy's log, signed by it; null if it is. */
  String statusEvent(StatusEntry s) {
    events++;
    String why = foreign(s.getOrigin());
    if (why == null) {
      why = LogRecords.problem(s, key);
    }
    if (why != null) {
      eventsRefused++;
    }
    return why;
  }

  /** Why {@code d} is not a decision of the policy's log, signed by it; null if it is. Counted. */
  String decision(Decision d) {
    decisions++;
    String why = foreign(d.getOrigin());
    if (why == null) {
      why = LogRecords.problem(d, key);
    }
    if (why != null) {
      decisionsRefused++;
    }
    return why;
  }

  private String foreign(String origin) {
    return log.origin().equals(origin)
        ? null
        : "its log " + origin + " is not the policy's log " + log.origin();
  }

  /** One line for the audit's report, on the decisions. */
  String decisionSummary() {
    return String.format(
        "log signatures: %d decisions checked with the key of log %s; %d without a valid one",
        decisions, log.origin(), decisionsRefused);
  }

  long entriesRefused() {
    return entriesRefused;
  }

  long eventsRefused() {
    return eventsRefused;
  }

  /** One line for the audit's report. */
  String summary() {
    return String.format(
        "log signatures: %d entries and %d status events checked with the key of log %s;"
            + " %d entries and %d status events without a valid one",
        entries, events, log.origin(), entriesRefused, eventsRefused);
  }
}
