package org.ledgerpki.issuance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * The endorsement quorum of the trust policy, without Kafka: a submission is accepted once {@code
 * k} distinct validator organisations endorse it, and rejected once more than {@code n - k} reject
 * it (then {@code k} endorsements can no longer come). Organisations are counted, never records: of
 * several verdicts by one organisation only the first counts.
 *
 * @param k the endorsement quorum, {@code 1 <= k <= n}
 * @param n the number of validator organisations
 */
record QuorumRule(int k, int n) {

  /** Where a submission stands. */
  enum Standing {
    PENDING,
    ACCEPTED,
    REJECTED
  }

  /** The standing and the verdicts that decided it (empty while pending). */
  record Result(Standing standing, List<Endorsement> deciding) {}

  QuorumRule {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("quorum needs 1 <= k <= n, got k=" + k + ", n=" + n);
    }
  }

  static QuorumRule of(TrustPolicy policy) {
    return new QuorumRule(policy.endorsementQuorum(), policy.validatorCount());
  }

  /**
   * Decides on the verdicts given so far, in arrival order. Requires the verdicts to be counted
   * ones (verified, by validator members); a second verdict of an organisation is ignored here too.
   */
  Result decide(Collection<Endorsement> verdicts) {
    Map<String, Endorsement> first = new LinkedHashMap<>();
    for (Endorsement e : verdicts) {
      first.putIfAbsent(e.getValidator(), e);
    }
    List<Endorsement> endorse = new ArrayList<>();
    List<Endorsement> reject = new ArrayList<>();
    for (Endorsement e : first.values()) {
      (e.getVerdict() == Verdict.ENDORSE ? endorse : reject).add(e);
    }
    if (endorse.size() >= k) {
      return new Result(Standing.ACCEPTED, List.copyOf(endorse));
    }
    if (reject.size() > n - k) {
      return new Result(Standing.REJECTED, List.copyOf(reject));
    }
    return new Result(Standing.PENDING, List.of());
  }
}
