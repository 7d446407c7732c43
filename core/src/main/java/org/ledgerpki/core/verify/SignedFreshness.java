package org.ledgerpki.core.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import org.ledgerpki.core.VerificationException;

/**
 * The freshness rule of a status check, in one place for {@link StatusVerifier} and {@link
 * HeldCheckpoints}: a checkpoint is fresh when at least {@code cosignerQuorum} distinct trusted
 * cosigners' {@code cosignature/v1} timestamps on it lie in {@code [now − maxAgeSeconds, now +
 * skew]}, and, when the bundle requires them (ADR 0010), as many cosigners' ML-DSA-44 status
 * cosignature timestamps too.
 */
final class SignedFreshness {
  private SignedFreshness() {}

  /**
   * Checks that {@code cp} is fresh at {@code now} under {@code bundle}.
   *
   * @return the time the cosigners vouch for: in each required form the quorum-th newest fresh
   *     timestamp, and of those the older
   * @throws VerificationException naming the form that lacks a fresh quorum, with the timestamps
   *     found and the clock
   */
  static Instant check(VerifiedCheckpoint cp, TrustBundle bundle, Instant now, Duration skew)
      throws VerificationException {
    long nowS = now.getEpochSecond();
    long age = bundle.maxAgeSeconds();
    int q = bundle.cosignerQuorum();
    List<String> fresh = cp.freshCosigners(nowS, age, skew.toSeconds());
    if (fresh.size() < q) {
      throw new VerificationException(
          "stale checkpoint: "
              + fresh.size()
              + " trusted cosigner(s) "
              + fresh
              + " signed it within the last "
              + age
              + " s, the trust bundle requires "
              + q
              + "; cosignature/v1 timestamps "
              + cp.bodyCosignatureTimes()
              + ", now "
              + nowS
              + " (a replayed answer from before a revocation looks like this)");
    }
    long signedAt = quorumTime(cp.bodyCosignatureTimes(), fresh, q);
    if (bundle.requiresMlDsaStatusCosignatures()) {
      List<String> pq = cp.freshStatusCosigners(nowS, age, skew.toSeconds());
      if (pq.size() < q) {
        throw new VerificationException(
            "the trust bundle requires ML-DSA-44 status cosignatures (statusCosignatures "
                + TrustBundle.STATUS_ED25519_ML_DSA_44
                + ") from "
                + q
                + " cosigner(s) within the last "
                + age
                + " s, found "
                + pq.size()
                + " "
                + pq
                + "; status cosignature timestamps "
                + cp.statusCosignatureTimes()
                + ", now "
                + nowS
                + " (answers leave these lines out: verify the full note of /v1/checkpoint and"
                + " hold it)");
      }
      signedAt = Math.min(signedAt, quorumTime(cp.statusCosignatureTimes(), pq, q));
    }
    return Instant.ofEpochSecond(signedAt);
  }

  /** Whether {@code cp} is fresh at {@code nowSeconds} under {@code bundle}, with {@code skew}. */
  static boolean isFresh(VerifiedCheckpoint cp, TrustBundle bundle, long nowSeconds, long skew) {
    long age = bundle.maxAgeSeconds();
    int q = bundle.cosignerQuorum();
    return cp.freshCosigners(nowSeconds, age, skew).size() >= q
        && (!bundle.requiresMlDsaStatusCosignatures()
            || cp.freshStatusCosigners(nowSeconds, age, skew).size() >= q);
  }

  /**
   * The time a quorum of its cosigners vouch for in every form the bundle requires, fresh or not:
   * the older of the quorum-th newest timestamps of each form, 0 if fewer than the quorum sign in
   * one of them.
   */
  static long signedTime(VerifiedCheckpoint cp, TrustBundle bundle) {
    int q = bundle.cosignerQuorum();
    SortedMap<String, Long> ed = cp.bodyCosignatureTimes();
    long t = quorumTime(ed, List.copyOf(ed.keySet()), q);
    if (bundle.requiresMlDsaStatusCosignatures()) {
      SortedMap<String, Long> pq = cp.statusCosignatureTimes();
      t = Math.min(t, quorumTime(pq, List.copyOf(pq.keySet()), q));
    }
    return t;
  }

  /** The quorum-th newest of the {@code names}' times, 0 if there are fewer names. */
  private static long quorumTime(SortedMap<String, Long> times, List<String> names, int q) {
    List<Long> ts = new ArrayList<>();
    for (String n : names) {
      ts.add(times.get(n));
    }
    ts.sort(Comparator.reverseOrder());
    return ts.size() < q ? 0 : ts.get(q - 1);
  }
}
