package org.ledgerpki.issuance.lifecycle;

import java.util.List;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.Submission;

/**
 * How the lifecycle quorum records what it decides about one submission, and learns who owns a
 * certificate: the quorum's {@code decided}, {@code owners}, {@code verdicts} and {@code
 * submissions} stores and the {@code ledger.decisions} output, which it shares with the ISSUE
 * quorum.
 */
public interface Decisions {
  /** The {@code decided} marker of an endorsed non-owner request waiting for its quorum. */
  String WAITING = "WAITING";

  /**
   * The store key of one submission of one certificate: the certificate, the submitter and its
   * submission id, so that one member's id never names another member's submission.
   */
  static String id(String certHash, String submitter, String submissionId) {
    return certHash + "/" + submitter + "/" + submissionId;
  }

  /**
   * The member that owns certificate {@code certHash}: the submitter of its accepted ISSUE, or null
   * if none was accepted.
   */
  String owner(String certHash);

  /**
   * Publishes the decision on submission {@code id} of certificate {@code key} and drops what was
   * kept to decide it.
   *
   * @param s the submission, or null if only its verdicts arrived
   * @param first a verdict on it, naming it when {@code s} is null
   * @param evidence the verdicts the decision rests on
   */
  void decide(
      String key,
      String id,
      Submission s,
      Endorsement first,
      Outcome outcome,
      List<Reason> reasons,
      List<Endorsement> evidence,
      long timestamp);

  /**
   * Marks submission {@code id} as {@link #WAITING} for more requesters and drops its submission
   * and verdicts (the waiting request keeps them), so that a replay of it changes nothing.
   */
  void waiting(String id);
}
