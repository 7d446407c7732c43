package org.ledgerpki.issuance.quorum;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ledgerpki.issuance.lifecycle.LifecycleQuorum;

/** The quorum's counters and what each counts, as its metrics describe them. */
final class QuorumEvents {
  private QuorumEvents() {}

  static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(QuorumProcessor.SUBMISSIONS_STORED, "Submissions kept for their decision.");
    m.put(
        QuorumProcessor.SUBMISSIONS_INVALID,
        "Submissions ignored: submitter not a member or signature invalid.");
    m.put(
        QuorumProcessor.SUBMISSIONS_REPLAYED,
        "Submissions ignored: the submitter already used the id on this certificate.");
    m.put(QuorumProcessor.ENDORSEMENTS_COUNTED, "Verdicts counted towards a quorum.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_NOT_MEMBER,
        "Verdicts ignored: the validator is not a policy member.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_NOT_VALIDATOR,
        "Verdicts ignored: the member has no validator role.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_BAD_SIGNATURE,
        "Verdicts ignored: the batch evidence does not verify.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_DUPLICATE,
        "Verdicts ignored: the organisation already gave one.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_INCONSISTENT,
        "Verdicts ignored: they disagree with the submission.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_LATE, "Verdicts ignored: the submission was already decided.");
    m.put(
        QuorumProcessor.ENDORSEMENTS_UNCLAIMED,
        "Verdicts dropped: their submission did not arrive within the unclaimed-verdicts TTL.");
    m.put(QuorumProcessor.DECISIONS_ACCEPTED, "Submissions accepted.");
    m.put(QuorumProcessor.DECISIONS_REJECTED, "Submissions rejected (DUPLICATE included).");
    m.put(
        QuorumProcessor.DECISIONS_DUPLICATE,
        "Submissions rejected because the certificate is already admitted.");
    m.put(QuorumProcessor.DEAD_LETTERS, "Input records sent to the dead-letter topic.");
    m.putAll(LifecycleQuorum.events());
    return Map.copyOf(m);
  }
}
