package org.ledgerpki.cli;

import java.security.PublicKey;
import java.util.function.Supplier;
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
  /** Records of one kind checked, and of those refused. */
  private static final class Tally {
    long checked;
    long refused;
  }

  private final TrustPolicy.LogIdentity log;
  private final PublicKey key;
  private final Tally entries = new Tally();
  private final Tally events = new Tally();
  private final Tally decisions = new Tally();

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
    return check(entries, e.getOrigin(), () -> LogRecords.problem(e, key));
  }

  /** Why {@code s} is not a status event of the policy's log, signed by it; null if it is. */
  String statusEvent(StatusEntry s) {
    return check(events, s.getOrigin(), () -> LogRecords.problem(s, key));
  }

  /** Why {@code d} is not a decision of the policy's log, signed by it; null if it is. Counted. */
  String decision(Decision d) {
    return check(decisions, d.getOrigin(), () -> LogRecords.problem(d, key));
  }

  /** The record's log must be the policy's, and then its signature valid ({@code problem}). */
  private String check(Tally tally, String origin, Supplier<String> problem) {
    tally.checked++;
    String why =
        log.origin().equals(origin)
            ? problem.get()
            : "its log " + origin + " is not the policy's log " + log.origin();
    if (why != null) {
      tally.refused++;
    }
    return why;
  }

  /** One line for the audit's report, on the decisions. */
  String decisionSummary() {
    return String.format(
        "log signatures: %d decisions checked with the key of log %s; %d without a valid one",
        decisions.checked, log.origin(), decisions.refused);
  }

  long entriesRefused() {
    return entries.refused;
  }

  long eventsRefused() {
    return events.refused;
  }

  /** One line for the audit's report. */
  String summary() {
    return String.format(
        "log signatures: %d entries and %d status events checked with the key of log %s;"
            + " %d entries and %d status events without a valid one",
        entries.checked, events.checked, log.origin(), entries.refused, events.refused);
  }
}
