package org.ledgerpki.issuance.quorum;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.streams.store.UnheldTombstones;

/**
 * The counted verdicts of each submission ({@code verdicts}: {@code
 * <certHash>/<submitter>/<submissionId>} → at most one per validator organisation, in arrival
 * order), and how they are put to core's {@link EndorsementQuorum}.
 */
final class Verdicts {
  private final KeyValueStore<String, List<Endorsement>> store;

  Verdicts(KeyValueStore<String, List<Endorsement>> store) {
    this.store = store;
    // The verdicts of a submission decided before the commit their first one came in leave no
    // record in the changelog.
    UnheldTombstones.skip(store);
  }

  /** The verdicts counted on submission {@code id} (a fresh, mutable list; empty if none). */
  List<Endorsement> tally(String id) {
    List<Endorsement> l = store.get(id);
    return l == null ? new ArrayList<>() : new ArrayList<>(l);
  }

  /** Stores the verdicts counted on submission {@code id}. */
  void put(String id, List<Endorsement> tally) {
    store.put(id, tally);
  }

  /**
   * Drops the verdicts on {@code id} that arrived before its submission {@code s} and disagree with
   * it (rejections are kept), and returns them.
   */
  List<EndorsementQuorum.Ignored<Endorsement>> dropInconsistent(
      String id, Submission s, TrustPolicy policy) {
    List<Endorsement> tally = store.get(id);
    if (tally == null) {
      return List.of();
    }
    EndorsementQuorum.Tally<Endorsement> t =
        EndorsementQuorum.decide(policy, subjectOf(s), verified(tally));
    List<Endorsement> keep = new ArrayList<>(tally.size());
    List<EndorsementQuorum.Ignored<Endorsement>> dropped = new ArrayList<>();
    t.endorsing().forEach(v -> keep.add(v.source()));
    for (EndorsementQuorum.Ignored<Endorsement> i : t.ignored()) {
      if (i.reason() == EndorsementQuorum.Reason.REJECT_VERDICT) {
        keep.add(i.verdict().source());
      } else {
        dropped.add(i);
      }
    }
    if (keep.size() != tally.size()) {
      if (keep.isEmpty()) {
        store.delete(id);
      } else {
        store.put(id, keep);
      }
    }
    return dropped;
  }

  /** The statement the verdicts on {@code s} must be about. */
  static EndorsementQuorum.Subject subjectOf(Submission s) {
    return EndorsementQuorum.Subject.of(Evidence.statement(s));
  }

  /**
   * The statement the verdicts stored under {@code id} are about: its submission's if it arrived,
   * otherwise what the id and the first verdict name (the submission is then still needed to
   * accept).
   */
  static EndorsementQuorum.Subject subjectOf(String key, Submission s, Endorsement first) {
    return s != null
        ? subjectOf(s)
        : new EndorsementQuorum.Subject(
            first.getSubmissionId(),
            first.getOperation().name(),
            first.getSubmitter(),
            Hex.decode(key));
  }

  /** Verdicts whose signatures were checked when they were stored. */
  static List<EndorsementQuorum.Verdict<Endorsement>> verified(List<Endorsement> tally) {
    List<EndorsementQuorum.Verdict<Endorsement>> out = new ArrayList<>(tally.size());
    for (Endorsement e : tally) {
      out.add(EndorsementQuorum.Verdict.verified(Evidence.statement(e), e));
    }
    return out;
  }
}
