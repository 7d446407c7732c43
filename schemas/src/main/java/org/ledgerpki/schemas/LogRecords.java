package org.ledgerpki.schemas;

import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.function.Supplier;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.DecisionStatement;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.EntryStatement;
import org.ledgerpki.core.evidence.EvidenceDigest;
import org.ledgerpki.core.evidence.LogRecordSignatures;
import org.ledgerpki.core.evidence.StatementEncodingException;
import org.ledgerpki.core.evidence.StatusStatement;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;

/**
 * The log's signature on the records it publishes to {@code ledger.entries}, {@code ledger.status}
 * and {@code ledger.decisions} (field {@code logSignature};
 * docs/adr/0012-log-signed-ledger-records.md): what each record asserts, signing it, and checking
 * it. A reader calls {@link #problem(LedgerEntry, PublicKey)} on arrival, with the log key of its
 * trust policy, and refuses the record unless it returns null.
 */
public final class LogRecords {
  private LogRecords() {}

  /** What the log asserts by publishing this entry. */
  public static EntryStatement statement(LedgerEntry e) {
    byte[] certificate = Evidence.bytes(e.getCertificate());
    byte[] entry = Evidence.bytes(e.getEntry());
    return new EntryStatement(
        e.getOrigin(),
        e.getLogNumber(),
        e.getIndex(),
        Sha256.hash(entry == null ? new byte[0] : entry),
        certificate == null ? null : Sha256.hash(certificate),
        Evidence.bytes(e.getCertificateSha256()),
        e.getSubmissionId(),
        e.getSubmitter(),
        e.getSequencedAt().toEpochMilli(),
        evidenceSha256(List.of(), e.getEvidence()));
  }

  /** What the log asserts by publishing this status event. */
  public static StatusStatement statement(StatusEntry s) {
    byte[] event = Evidence.bytes(s.getEvent());
    return new StatusStatement(
        s.getOrigin(),
        s.getLogNumber(),
        s.getSequence(),
        Sha256.hash(event == null ? new byte[0] : event),
        Evidence.bytes(s.getCertificateSha256()),
        s.getOperation().name(),
        s.getReasonCode(),
        Evidence.bytes(s.getSupersededBy()),
        s.getOwner(),
        s.getSequencedAt().toEpochMilli(),
        evidenceSha256(s.getRequests(), s.getEvidence()));
  }

  /** What the log asserts by publishing this decision. */
  public static DecisionStatement statement(Decision d) {
    List<DecisionStatement.Reason> reasons =
        d.getReasons().stream()
            .map(r -> new DecisionStatement.Reason(r.getCode().name(), r.getDetail()))
            .toList();
    return new DecisionStatement(
        d.getOrigin(),
        d.getSubmissionId(),
        d.getOperation().name(),
        d.getSubmitter(),
        Evidence.bytes(d.getCertificateSha256()),
        d.getOutcome().name(),
        reasons,
        d.getDecidedAt().toEpochMilli(),
        evidenceSha256(List.of(), d.getEvidence()));
  }

  /**
   * The {@link EvidenceDigest} of signed requests, then endorsements, in order.
   *
   * @throws StatementEncodingException if an item's statement cannot be encoded
   */
  static byte[] evidenceSha256(List<Submission> requests, List<Endorsement> endorsements) {
    EvidenceDigest d = new EvidenceDigest();
    for (Submission q : requests) {
      d.add(
          SubmissionStatement.KIND,
          Evidence.statement(q).encode(),
          Evidence.evidence(q.getSignature()));
    }
    for (Endorsement x : endorsements) {
      d.add(
          EndorsementStatement.KIND,
          Evidence.statement(x).encode(),
          Evidence.evidence(x.getSignature()));
    }
    return d.digest();
  }

  /**
   * Sets {@code e}'s {@code logSignature} to the log's signature of its statement.
   *
   * @param logKey the log's Ed25519 private key
   * @return {@code e}
   */
  public static LedgerEntry sign(LedgerEntry e, PrivateKey logKey) {
    e.setLogSignature(ByteBuffer.wrap(LogRecordSignatures.sign(logKey, statement(e).encode())));
    return e;
  }

  /** Sets {@code s}'s {@code logSignature}, as {@link #sign(LedgerEntry, PrivateKey)}. */
  public static StatusEntry sign(StatusEntry s, PrivateKey logKey) {
    s.setLogSignature(ByteBuffer.wrap(LogRecordSignatures.sign(logKey, statement(s).encode())));
    return s;
  }

  /** Sets {@code d}'s {@code logSignature}, as {@link #sign(LedgerEntry, PrivateKey)}. */
  public static Decision sign(Decision d, PrivateKey logKey) {
    d.setLogSignature(ByteBuffer.wrap(LogRecordSignatures.sign(logKey, statement(d).encode())));
    return d;
  }

  /**
   * Why {@code e} is not an entry the log signed, or null if it is.
   *
   * @param logKey the Ed25519 key the reader's trust policy gives the entry's log
   */
  public static String problem(LedgerEntry e, PublicKey logKey) {
    return problem(e.getLogSignature(), () -> statement(e).encode(), e.getOrigin(), logKey);
  }

  /** Why {@code s} is not a status event the log signed, or null if it is. */
  public static String problem(StatusEntry s, PublicKey logKey) {
    return problem(s.getLogSignature(), () -> statement(s).encode(), s.getOrigin(), logKey);
  }

  /**
   * Why {@code d} is not a decision the log signed, or null if it is.
   *
   * @param logKey the Ed25519 key the reader's trust policy gives the decision's log ({@code
   *     origin})
   */
  public static String problem(Decision d, PublicKey logKey) {
    return problem(d.getLogSignature(), () -> statement(d).encode(), d.getOrigin(), logKey);
  }

  /** Why {@code logSignature} is not {@code origin}'s signature of the statement; null if it is. */
  private static String problem(
      ByteBuffer logSignature, Supplier<byte[]> statement, String origin, PublicKey logKey) {
    byte[] signature = Evidence.bytes(logSignature);
    if (signature == null) {
      return "it carries no log signature";
    }
    try {
      return LogRecordSignatures.verify(logKey, statement.get(), signature)
          ? null
          : "its log signature does not verify with the key of log " + origin;
    } catch (StatementEncodingException ex) {
      return "its fields cannot be encoded: " + ex.getMessage();
    }
  }
}
