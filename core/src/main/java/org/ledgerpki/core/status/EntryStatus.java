package org.ledgerpki.core.status;

import org.ledgerpki.core.smt.SmtProof;

/**
 * What a status log proves about one entry at its current count, as bytes: the entry's latest event
 * and the report that its key was compromised, each with its status-map proof (docs/status.md). The
 * JSON answer carries it as {@code StatusAnswer.StatusProof}, the compact form (ADR 0009) as it is.
 *
 * @param count the number of status events the map commits to
 * @param latest the entry's latest event, or null if it has none
 * @param latestEncoded {@code latest}'s encoding, or null
 * @param entryProof the map's proof at the entry key
 * @param compromise the event that reported the entry's key compromised, or null if none did
 * @param compromiseEncoded {@code compromise}'s encoding, or null
 * @param keyProof the map's proof at the key's compromised-key key
 */
public record EntryStatus(
    long count,
    StatusEvent latest,
    byte[] latestEncoded,
    SmtProof entryProof,
    StatusEvent compromise,
    byte[] compromiseEncoded,
    SmtProof keyProof) {

  /** What {@code log} proves now about the entry {@code id}. */
  public static EntryStatus of(StatusLog log, EntryId id) {
    StatusEvent latest = log.latest(id.leafHash());
    StatusEvent compromise = log.compromise(id.spkiHash());
    return new EntryStatus(
        log.count(),
        latest,
        latest == null ? null : latest.encode(),
        log.proveEntry(id.leafHash()),
        compromise,
        compromise == null ? null : compromise.encode(),
        log.proveKey(id.spkiHash()));
  }

  /**
   * The event that decides the status: the compromise report if there is one, otherwise the entry's
   * latest event; null if neither exists.
   */
  public StatusEvent deciding() {
    return compromise != null ? compromise : latest;
  }

  /** The state a relying party is told, as {@link StatusLog#effectiveState} has it. */
  public CertificateState state() {
    return StatusLog.effectiveState(latest, compromise);
  }
}
