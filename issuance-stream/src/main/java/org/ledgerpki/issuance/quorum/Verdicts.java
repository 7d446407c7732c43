package org.ledgerpki.issuance.quorum;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
 * the counted verdicts, at most one per validator organisation (and operation, until the submission
 * arrives), in arrival order), and how the verdicts are put to core's {@link EndorsementQuorum}. A
 * submission kept by an older version in the {@code submissions} store is read from there, and
 * removed from there when decided.
 */
final class Verdicts {
  private final KeyValueStore<String, Pending> store;
  private final KeyValueStore<String, Submission> older;
  // Whether the older store held anything when first asked (after its restore). It is never
  // written, so an empty one stays empty, and the two lookups per submission below are skipped.
  private Boolean olderHeld;
  // The ids kept without their submission at the last sweep.
  private Set<String> unclaimed = Set.of();

  Verdicts(KeyValueStore<String, Pending> store, KeyValueStore<String, Submission> older) {
    this.store = store;
    this.older = older;
    // A submission decided in the commit it arrived in (or whose verdicts all came in the commit it
    // was decided in) leaves no record in the changelog.
    UnheldTombstones.skip(store);
  }

  /**
   * What is kept of submission {@code id} until it is decided ({@link Pending#NONE} if nothing):
   * read once per record, as the store's cache holds values serialised.
   */
  Pending get(String id) {
    Pending p = store.get(id);
    if (p == null) {
      p = Pending.NONE;
    }
    if (p.submission() == null && olderHeld()) {
      Submission s = older.get(id);
      if (s != null) {
        p = p.withSubmission(s);
      }
    }
    return p;
  }

  /** Keeps {@code p} for submission {@code id}. */
  void put(String id, Pending p) {
    store.put(id, p);
  }

  /** Drops what was kept to decide submission {@code id}. */
  void drop(String id) {
    store.delete(id);
    // Only if an older version kept it there: a tombstone for a key the store never held would be
    // one more changelog record per decision.
    if (olderHeld() && older.get(id) != null) {
      older.delete(id);
    }
  }

  /**
   * What a sweep dropped: how many submissions' verdicts, and how many verdicts of each validator.
   */
  record Swept(int submissions, Map<String, Integer> byValidator) {}

  /**
   * Removes what was kept of the submissions that had not arrived at this sweep nor at the one
   * before (whose verdicts came before them, and stayed without them). Called every {@code ttl}, so
   * verdicts on a submission that never arrives are dropped one to two {@code ttl} after the first
   * of them: a validator that signs verdicts on ids no submission has cannot make the store grow
   * without end. The ids seen are kept in memory (a restart delays the drop by one sweep).
   */
  Swept sweepUnclaimed() {
    Set<String> seen = new HashSet<>();
    List<String> gone = new ArrayList<>();
    Map<String, Integer> byValidator = new TreeMap<>();
    try (KeyValueIterator<String, Pending> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, Pending> kv = all.next();
        if (kv.value.submission() != null || (olderHeld() && older.get(kv.key) != null)) {
          continue;
        }
        if (unclaimed.contains(kv.key)) {
          gone.add(kv.key);
          kv.value.verdicts().forEach(e -> byValidator.merge(e.getValidator(), 1, Integer::sum));
        } else {
          seen.add(kv.key);
        }
      }
    }
    gone.forEach(store::delete);
    unclaimed = seen;
    return new Swept(gone.size(), byValidator);
  }

  private boolean olderHeld() {
    if (olderHeld == null) {
      try (KeyValueIterator<String, Submission> all = older.all()) {
        olderHeld = all.hasNext();
      }
    }
    return olderHeld;
  }

  /**
   * {@code p} without the verdicts that arrived before its submission and disagree with it
   * (rejections are kept); those are added to {@code dropped}.
   */
  static Pending withoutInconsistent(
      Pending p, TrustPolicy policy, List<EndorsementQuorum.Ignored<Endorsement>> dropped) {
    List<Endorsement> tally = p.verdicts();
    if (tally.isEmpty()) {
      return p;
    }
    EndorsementQuorum.Tally<Endorsement> t =
        EndorsementQuorum.decide(policy, subjectOf(p.submission()), verified(tally));
    List<Endorsement> keep = new ArrayList<>(tally.size());
    t.endorsing().forEach(v -> keep.add(v.source()));
    for (EndorsementQuorum.Ignored<Endorsement> i : t.ignored()) {
      if (i.reason() == EndorsementQuorum.Reason.REJECT_VERDICT) {
        keep.add(i.verdict().source());
      } else {
        dropped.add(i);
      }
    }
    return keep.size() == tally.size() ? p : p.withVerdicts(keep);
  }

  /** The statement the verdicts on {@code s} must be about. */
  static EndorsementQuorum.Subject subjectOf(Submission s) {
    return EndorsementQuorum.Subject.of(Evidence.statement(s));
  }

  /**
   * The statement a verdict {@code v} on certificate {@code key} is judged against: its
   * submission's if it arrived, otherwise what the verdict itself names (the id fixes all of it but
   * the operation; the submission is then still needed to accept).
   */
  static EndorsementQuorum.Subject subjectOf(String key, Submission s, Endorsement v) {
    return s != null
        ? subjectOf(s)
        : new EndorsementQuorum.Subject(
            v.getSubmissionId(), v.getOperation().name(), v.getSubmitter(), Hex.decode(key));
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
