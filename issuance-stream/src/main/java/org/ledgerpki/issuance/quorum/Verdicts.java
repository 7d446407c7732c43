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
 * What the quorum keeps of each submission until it is decided ({@code verdicts}: {@code
 * <certHash>/<submitter>/<submissionId>} → a {@link Pending}: the submission once it arrived, and
 * the counted verdicts, at most one per validator organisation, in arrival order), and how the
 * verdicts are put to core's {@link EndorsementQuorum}. A submission kept by an older version in
 * the {@code submissions} store is read from there, and removed from there when decided.
 */
final class Verdicts {
  private final KeyValueStore<String, Pending> store;
  private final KeyValueStore<String, Submission> older;

  Verdicts(KeyValueStore<String, Pending> store, KeyValueStore<String, Submission> older) {
    this.store = store;
    this.older = older;
    // A submission decided in the commit it arrived in (or whose verdicts all came in the commit it
    // was decided in) leaves no record in the changelog.
    UnheldTombstones.skip(store);
  }

  /** The submission {@code id} if it arrived and is not decided, else null. */
  Submission submission(String id) {
    Pending p = store.get(id);
    if (p != null && p.submission() != null) {
      return p.submission();
    }
    return older.get(id);
  }

  /** Keeps submission {@code s} under {@code id}, beside the verdicts counted on it so far. */
  void putSubmission(String id, Submission s) {
    Pending p = store.get(id);
    store.put(id, (p == null ? Pending.NONE : p).withSubmission(s));
  }

  /** The verdicts counted on submission {@code id} (a fresh, mutable list; empty if none). */
  List<Endorsement> tally(String id) {
    Pending p = store.get(id);
    return p == null ? new ArrayList<>() : new ArrayList<>(p.verdicts());
  }

  /** Stores the verdicts counted on submission {@code id}, beside its submission. */
  void put(String id, List<Endorsement> tally) {
    Pending p = store.get(id);
    store.put(id, (p == null ? Pending.NONE : p).withVerdicts(tally));
  }

  /** Drops what was kept to decide submission {@code id}. */
  void drop(String id) {
    store.delete(id);
    // Only if an older version kept it there: a tombstone for a key the store never held would be
    // one more changelog record per decision.
    if (older.get(id) != null) {
      older.delete(id);
    }
  }

  /**
   * Drops the verdicts on {@code id} that arrived before its submission {@code s} and disagree with
   * it (rejections are kept), and returns them.
   */
  List<EndorsementQuorum.Ignored<Endorsement>> dropInconsistent(
      String id, Submission s, TrustPolicy policy) {
    List<Endorsement> tally = tally(id);
    if (tally.isEmpty()) {
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
      put(id, keep);
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
