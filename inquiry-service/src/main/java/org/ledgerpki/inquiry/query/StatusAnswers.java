package org.ledgerpki.inquiry.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.inquiry.index.CertKey;
import org.ledgerpki.inquiry.index.CheckpointView;
import org.ledgerpki.inquiry.index.DecisionView;
import org.ledgerpki.inquiry.index.LedgerIndex;
import org.ledgerpki.inquiry.index.Located;

/**
 * Composes a status answer from the index: GOOD, REVOKED or SUSPENDED with the inclusion and status
 * proofs against the cosigned checkpoint that covers the entry; PENDING while no checkpoint covers
 * it or the request is accepted but not yet in a log; REJECTED with the reasons; else UNKNOWN.
 * {@link InquiryQueries} decides whether the node may answer at all.
 */
final class StatusAnswers {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private StatusAnswers() {}

  /**
   * The status of the certificate with hash {@code key}; when the query carried the certificate
   * ({@code der} not null) and the ledger holds another encoding of its entry, the status of that
   * entry (status is a property of the entry: docs/status.md).
   *
   * @param now the answer's {@code producedAt}; {@code nextUpdate} is {@code now + nextUpdate}
   * @param form how the client asked: the note is left out if it holds the checkpoint, and a
   *     compact answer carries the note's status form and no certificate when the query carried it
   */
  static StatusResult answer(
      LedgerIndex ledger,
      CertKey key,
      byte[] der,
      Instant now,
      Duration nextUpdate,
      AnswerForm form) {
    String produced = now.toString();
    String next = now.plus(nextUpdate).toString();
    Optional<Located> located = ledger.locate(key);
    boolean byEntry = located.isEmpty() && der != null;
    if (byEntry) {
      located = ledger.locateEntry(der);
    }
    if (located.isPresent()) {
      Located l = located.get();
      // Found by its hash, the held certificate is the one asked about: no need to hash it again.
      byte[] heldSha256 = byEntry ? org.ledgerpki.core.Sha256.hash(l.certificate()) : key.bytes();
      if (l.covered() && form.compact()) {
        return compact(l, heldSha256, der != null, form);
      }
      String entry = B64.encodeToString(l.entry());
      String held = org.ledgerpki.core.Hex.encode(heldSha256);
      String certificate = B64.encodeToString(l.certificate());
      if (l.covered()) {
        CheckpointView cp = l.checkpoint();
        String note = form.holds(cp.sha256()) ? null : cp.answerNote();
        List<String> proof = new ArrayList<>(l.inclusionProof().size());
        for (byte[] h : l.inclusionProof()) {
          proof.add(B64.encodeToString(h));
        }
        StatusEvent e = l.event();
        StatusAnswer answer =
            new StatusAnswer(
                held,
                l.state(),
                l.origin(),
                l.index(),
                entry,
                proof,
                note,
                cp.sha256(),
                "GOOD".equals(l.state()) ? null : revocation(e, l.entry()),
                null,
                l.statusProof(),
                certificate,
                produced,
                next);
        return "GOOD".equals(l.state())
            ? new StatusResult.Good(answer, null)
            : new StatusResult.Revoked(answer, null);
      }
      return new StatusResult.Pending(
          new StatusAnswer(
              held,
              "PENDING",
              l.origin(),
              l.index(),
              entry,
              null,
              null,
              null,
              null,
              null,
              certificate,
              produced,
              next));
    }
    Optional<DecisionView> decision = ledger.decision(key);
    if (decision.isPresent()) {
      DecisionView d = decision.get();
      if (d.accepted()) {
        return new StatusResult.Pending(
            new StatusAnswer(
                key.hex(), "PENDING", null, null, null, null, null, null, null, null, null,
                produced, next));
      }
      return new StatusResult.Rejected(
          new StatusAnswer(
              key.hex(),
              "REJECTED",
              null,
              null,
              null,
              null,
              null,
              null,
              d.reasons(),
              null,
              null,
              produced,
              next));
    }
    return new StatusResult.Unknown(
        new StatusAnswer(
            key.hex(), "UNKNOWN", null, null, null, null, null, null, null, null, null, produced,
            next));
  }

  /**
   * A covered entry's answer in the compact form, encoded from the index's bytes: the note's status
   * form unless the client holds the checkpoint, and no certificate when the query carried it.
   */
  private static StatusResult compact(
      Located l, byte[] heldSha256, boolean queryCarriedCertificate, AnswerForm form) {
    CheckpointView cp = l.checkpoint();
    byte[] body =
        CompactAnswer.encode(
            l.compactFields(heldSha256, !form.holds(cp.sha256()), !queryCarriedCertificate));
    return "GOOD".equals(l.state())
        ? new StatusResult.Good(null, body)
        : new StatusResult.Revoked(null, body);
  }

  /**
   * The {@code revocation} object of a REVOKED or SUSPENDED answer, from the deciding event: when
   * the key was reported compromised through another entry, it says which.
   */
  private static Map<String, Object> revocation(StatusEvent e, byte[] entry) {
    if (e == null || e.state() == CertificateState.GOOD) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (e.reportsKeyCompromise()
        && !java.util.Arrays.equals(
            e.entryHash(), org.ledgerpki.core.merkle.Rfc9162.leafHash(entry))) {
      m.put("keyCompromisedBy", org.ledgerpki.core.Hex.encode(e.certificateSha256()));
    }
    m.put("state", e.state().name());
    m.put("reason", e.reasonCode() == null ? null : Lifecycle.reasonName(e.reasonCode()));
    m.put("reasonCode", e.reasonCode());
    m.put(
        e.state() == CertificateState.REVOKED ? "revokedAt" : "suspendedAt",
        Instant.ofEpochMilli(e.effectiveAtMillis()).toString());
    m.put("operation", e.operation().name());
    m.put("sequence", e.sequence());
    if (e.supersededBy() != null) {
      m.put("supersededBy", org.ledgerpki.core.Hex.encode(e.supersededBy()));
    }
    return m;
  }
}
