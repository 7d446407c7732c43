package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.EdgeCachedProofs;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;

/**
 * One issuance log as the inquiry node mirrors it: the RFC 9162 tree over its entries, each entry's
 * MTCLogEntry bytes and certificate, its cosigned checkpoints by size and its cosigned landmarks by
 * number.
 *
 * <p>One writer (the follower) and many readers (HTTP requests): writes take the write lock,
 * lookups the read lock, so a reader always sees a tree, its entries and its checkpoints at one
 * consistent point. Lookups cost O(log n) node reads and hashes and never touch Kafka or disk.
 *
 * <p>A checkpoint or landmark is served only once the tree has reached its size and the checkpoint
 * root (or every landmark subtree hash) equals the tree's own; until then it waits, and a mismatch
 * is logged and dropped: the node never serves a checkpoint its entries do not prove.
 */
public final class LogState {
  private static final Logger log = Logger.getLogger(LogState.class);

  private final String origin;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final InMemoryNodeStore store = new InMemoryNodeStore();
  private final MerkleTree tree = new MerkleTree(store);
  // Inclusion proofs with the tree's right edge cached at the size of the checkpoint last proved
  // against: replaced when a lookup meets another size, i.e. once a newer checkpoint is served.
  private final EdgeCachedProofs proofs = new EdgeCachedProofs(tree, store);
  private final ArrayList<byte[]> entries = new ArrayList<>();
  private final ArrayList<byte[]> certificates = new ArrayList<>();
  private final TreeMap<Long, CheckpointView> checkpoints = new TreeMap<>();
  private final TreeMap<Long, CheckpointView> uncheckedCheckpoints = new TreeMap<>();
  private final TreeMap<Long, LandmarkView> landmarks = new TreeMap<>();
  private final TreeMap<Long, LandmarkView> uncheckedLandmarks = new TreeMap<>();
  private volatile int logNumber;
  private final StatusLog status = new StatusLog();
  private final PendingStatusEvents pendingEvents = new PendingStatusEvents();
  private final StatusProofs statusProofs = new StatusProofs();
  // The largest tree size and status count of any cosigned checkpoint whose signatures verified,
  // served or not: what the log's keys vouch for. Entries and status events beyond them are
  // unproven, and the follower reads only so many of those (UnprovenLimits).
  private long provenSize;
  private long provenStatusCount;

  // Entry leaf hash (hex) → the first index it is at: status is a property of the entry, so a
  // certificate the ledger does not hold byte for byte is found by its entry.
  private final java.util.HashMap<String, Long> byLeaf = new java.util.HashMap<>();
  // The status identity of each entry, decoded once when it is appended (null for the null entry
  // or an entry that does not decode), so a lookup does not parse the entry again.
  private final ArrayList<EntryId> ids = new ArrayList<>();

  LogState(String origin) {
    this.origin = origin;
  }

  /** The log's checkpoint origin. */
  public String origin() {
    return origin;
  }

  /** The MTC log number, 0 until an entry has been seen. */
  public int logNumber() {
    return logNumber;
  }

  /**
   * Applies entry {@code index}. {@code ledger.entries} is written in index order (key = log
   * origin, so one partition holds a log's entries; one transactional writer), so an entry after a
   * gap can only be a forgery: it is dropped ({@link EntryOutcome#AHEAD}), not held. Requires
   * {@code index >= 0}.
   */
  EntryOutcome append(long index, int number, byte[] entry, byte[] certificate) {
    lock.writeLock().lock();
    try {
      if (logNumber == 0 && number > 0) {
        logNumber = number;
      }
      long size = tree.size();
      if (index < size) {
        return same(entries.get((int) index), certificates.get((int) index), entry, certificate)
            ? EntryOutcome.SAME
            : EntryOutcome.CONFLICT;
      }
      if (index > size) {
        return EntryOutcome.AHEAD;
      }
      add(entry, certificate);
      promote();
      return EntryOutcome.APPENDED;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void add(byte[] entry, byte[] certificate) {
    long index = tree.size();
    byte[] leaf = Rfc9162.leafHash(entry);
    tree.append(leaf);
    byLeaf.putIfAbsent(org.ledgerpki.core.Hex.encode(leaf), index);
    entries.add(entry);
    certificates.add(certificate);
    ids.add(identity(entry, certificate));
  }

  private static EntryId identity(byte[] entry, byte[] certificate) {
    if (certificate == null) {
      return null;
    }
    try {
      return EntryId.of(entry);
    } catch (org.ledgerpki.core.MalformedInputException e) {
      return null;
    }
  }

  private static boolean same(byte[] e1, byte[] c1, byte[] e2, byte[] c2) {
    return Arrays.equals(e1, e2) && Arrays.equals(c1, c2);
  }

  /**
   * Applies a status event (from {@code ledger.status}). Events are applied to the status map only
   * as far as a served cosigned checkpoint commits to, so that every status proof the node gives
   * leads to the root its checkpoint carries.
   */
  SealOutcome addStatusEvent(StatusEvent e) {
    lock.writeLock().lock();
    try {
      return switch (pendingEvents.offer(e, status.count())) {
        case SAME -> SealOutcome.SAME;
        case FIRST -> {
          promote();
          yield SealOutcome.DEFERRED;
        }
        case CONFLICT -> {
          log.errorf(
              "log %s: %d different status events with sequence %d; the cosigned checkpoint"
                  + " decides which one is served",
              origin, pendingEvents.candidates(e.sequence()), e.sequence());
          retryAwaiting();
          yield SealOutcome.CONFLICT;
        }
        case DROPPED -> {
          log.errorf(
              "log %s: %d status events with sequence %d already; this one is dropped",
              origin, pendingEvents.candidates(e.sequence()), e.sequence());
          yield SealOutcome.CONFLICT;
        }
        case AHEAD -> {
          log.errorf(
              "log %s: status event %d comes before event %d; ledger.status is written in sequence"
                  + " order, so only a forgery leaves a gap: dropped",
              origin, e.sequence(), statusKnown());
          yield SealOutcome.CONFLICT;
        }
      };
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Status events known, applied or waiting: the next one expected is this number. */
  private long statusKnown() {
    return pendingEvents.known(status.count());
  }

  /** Applies a cosigned checkpoint whose signatures the caller verified. */
  SealOutcome addCheckpoint(CheckpointView cp) {
    lock.writeLock().lock();
    try {
      provenSize = Math.max(provenSize, cp.size());
      provenStatusCount = Math.max(provenStatusCount, cp.status().count());
      CheckpointView held = checkpoints.get(cp.size());
      if (held == null) {
        held = uncheckedCheckpoints.get(cp.size());
      }
      if (held != null) {
        if (Arrays.equals(held.rootHash(), cp.rootHash())) {
          if (cp.status().count() < held.status().count()
              || cp.status().count() == held.status().count()
                  && !cp.publishedAt().isAfter(held.publishedAt())) {
            return SealOutcome.SAME;
          }
          // The same tree with more status events (a revocation without new entries), or the same
          // checkpoint re-cosigned on a heartbeat (fresh cosignature timestamps, which relying
          // parties take freshness from): the newer one replaces the held one once its events are
          // known. It may name no covering subtrees: keep the held one's, which standalone MTC
          // certificates of the entries it first covered need.
          if (cp.subtrees().isEmpty() || cp.previousSize() == cp.size()) {
            cp = cp.withCoverageOf(held);
          }
        } else {
          log.errorf(
              "log %s: two cosigned checkpoints at size %d with roots %s and %s; keeping the first",
              origin, cp.size(), Hex.encode(held.rootHash()), Hex.encode(cp.rootHash()));
          return SealOutcome.CONFLICT;
        }
      }
      if (cp.size() > tree.size() || cp.status().count() > statusKnown()) {
        uncheckedCheckpoints.put(cp.size(), cp);
        return SealOutcome.DEFERRED;
      }
      return checkCheckpoint(cp) ? SealOutcome.ACCEPTED : SealOutcome.CONFLICT;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Applies a COSIGNED landmark. */
  SealOutcome addLandmark(LandmarkView lm) {
    lock.writeLock().lock();
    try {
      LandmarkView held = landmarks.get(lm.number());
      if (held == null) {
        held = uncheckedLandmarks.get(lm.number());
      }
      if (held != null) {
        if (held.treeSize() == lm.treeSize() && held.previousTreeSize() == lm.previousTreeSize()) {
          return SealOutcome.SAME;
        }
        log.errorf(
            "log %s: landmark %d was at tree size %d, now claims %d; keeping the first",
            origin, lm.number(), held.treeSize(), lm.treeSize());
        return SealOutcome.CONFLICT;
      }
      if (lm.treeSize() > tree.size()) {
        uncheckedLandmarks.put(lm.number(), lm);
        return SealOutcome.DEFERRED;
      }
      return checkLandmark(lm) ? SealOutcome.ACCEPTED : SealOutcome.CONFLICT;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Moves the checkpoints and landmarks the tree has now reached to the served maps. */
  private void promote() {
    Map.Entry<Long, CheckpointView> cp;
    while ((cp = uncheckedCheckpoints.firstEntry()) != null
        && cp.getKey() <= tree.size()
        && cp.getValue().status().count() <= statusKnown()) {
      uncheckedCheckpoints.pollFirstEntry();
      checkCheckpoint(cp.getValue());
    }
    Iterator<LandmarkView> it = uncheckedLandmarks.values().iterator();
    while (it.hasNext()) {
      LandmarkView lm = it.next();
      if (lm.treeSize() <= tree.size()) {
        it.remove();
        checkLandmark(lm);
      }
    }
  }

  private boolean checkCheckpoint(CheckpointView cp) {
    if (cp.status().count() < status.count()) {
      log.errorf(
          "log %s: cosigned checkpoint at size %d commits to %d status events, fewer than the %d"
              + " already served; not served",
          origin, cp.size(), cp.status().count(), status.count());
      return false;
    }
    PendingStatusEvents.Refusal refusal = pendingEvents.apply(status, cp.status());
    if (refusal != null) {
      log.errorf(
          "log %s: cosigned checkpoint at size %d %s; not served%s",
          origin,
          cp.size(),
          refusal.reason(),
          refusal.awaitsEvents() ? " unless another event of those sequence numbers comes" : "");
      if (refusal.awaitsEvents()) {
        pendingEvents.await(cp);
      }
      return false;
    }
    byte[] ours = tree.rootAt(cp.size());
    if (!Arrays.equals(ours, cp.rootHash())) {
      log.errorf(
          "log %s: cosigned checkpoint at size %d has root %s, the entries give %s; not served",
          origin, cp.size(), Hex.encode(cp.rootHash()), Hex.encode(ours));
      return false;
    }
    for (SubtreeView s : cp.subtrees()) {
      if (!subtreeMatches(s, cp.size())) {
        log.errorf(
            "log %s: cosigned checkpoint at size %d carries subtree [%d, %d) with a hash the entries"
                + " do not give; not served",
            origin, cp.size(), s.start(), s.end());
        return false;
      }
    }
    checkpoints.put(cp.size(), cp);
    return true;
  }

  /** Tries again the checkpoints that waited for another event of their sequence numbers. */
  private void retryAwaiting() {
    for (CheckpointView cp : pendingEvents.takeAwaiting()) {
      if (cp.status().count() >= status.count() && checkCheckpoint(cp)) {
        log.infof(
            "log %s: cosigned checkpoint at size %d served, with the status events its status line"
                + " commits to",
            origin, cp.size());
      }
    }
  }

  private boolean checkLandmark(LandmarkView lm) {
    for (SubtreeView s : lm.subtrees()) {
      if (!subtreeMatches(s, lm.treeSize())) {
        log.errorf(
            "log %s: landmark %d carries subtree [%d, %d) with a hash the entries do not give;"
                + " not served",
            origin, lm.number(), s.start(), s.end());
        return false;
      }
    }
    landmarks.put(lm.number(), lm);
    return true;
  }

  private boolean subtreeMatches(SubtreeView s, long limit) {
    return s.start() >= 0
        && s.start() < s.end()
        && s.end() <= limit
        && Subtrees.isValid(s.start(), s.end())
        && Arrays.equals(tree.subtreeHash(s.start(), s.end()), s.hash());
  }

  // --- lookups (read lock) -----------------------------------------------------------------

  /**
   * The entry at {@code index} with the latest cosigned checkpoint covering it and the inclusion
   * proof relative to that checkpoint. Requires {@code 0 <= index < size()}.
   */
  public Located locate(long index) {
    lock.readLock().lock();
    try {
      int i = Math.toIntExact(index);
      Map.Entry<Long, CheckpointView> latest = checkpoints.lastEntry();
      CheckpointView cp = latest != null && latest.getKey() > index ? latest.getValue() : null;
      List<byte[]> proof = cp == null ? null : proofs.inclusionProof(index, cp.size());
      byte[] cert = certificates.get(i);
      StatusProofs.Proven p = StatusProofs.Proven.NONE;
      if (cp != null && cert != null) {
        EntryId id = ids.get(i);
        if (id == null) {
          throw new IllegalStateException("entry " + index + " of " + origin + " is malformed");
        }
        p = statusProofs.of(status, id, i);
      }
      return new Located(origin, logNumber, index, entries.get(i), cert, cp, proof, p);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The first index of the entry with this RFC 9162 leaf hash, if the log holds it. */
  public java.util.OptionalLong indexOfLeaf(byte[] leafHash) {
    lock.readLock().lock();
    try {
      Long i = byLeaf.get(org.ledgerpki.core.Hex.encode(leafHash));
      return i == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(i);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The latest status event of every certificate that has one, as far as the served cosigned
   * checkpoints commit to (the status map the node proves against), in no particular order.
   */
  public List<StatusEvent> statusEvents() {
    lock.readLock().lock();
    try {
      return status.latestEvents();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The number of entries appended to the tree. */
  public long size() {
    lock.readLock().lock();
    try {
      return tree.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Records held beyond what the largest verified checkpoint commits to. */
  public record Unproven(long entries, long statusEvents) {}

  /** The entries and status events (applied or held) beyond the largest verified checkpoint. */
  Unproven unproven() {
    lock.readLock().lock();
    try {
      return new Unproven(
          Math.max(0, tree.size() - provenSize),
          Math.max(0, status.count() + pendingEvents.size() - provenStatusCount));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The latest (largest) cosigned checkpoint served, or null. */
  public CheckpointView latestCheckpoint() {
    lock.readLock().lock();
    try {
      Map.Entry<Long, CheckpointView> e = checkpoints.lastEntry();
      return e == null ? null : e.getValue();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The first cosigned checkpoint whose tree covers {@code index}, or null if none does yet. */
  public CheckpointView firstCheckpointCovering(long index) {
    lock.readLock().lock();
    try {
      Map.Entry<Long, CheckpointView> e = checkpoints.higherEntry(index);
      return e == null ? null : e.getValue();
    } finally {
      lock.readLock().unlock();
    }
  }

  public NavigableMap<Long, CheckpointView> checkpoints() {
    lock.readLock().lock();
    try {
      return new TreeMap<>(checkpoints);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The cosigned landmarks served, by number. */
  public NavigableMap<Long, LandmarkView> landmarks() {
    lock.readLock().lock();
    try {
      return new TreeMap<>(landmarks);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The RFC 9162 consistency proof between tree sizes. Requires {@code 0 <= from <= to <= size()}.
   */
  public List<byte[]> consistencyProof(long from, long to) {
    lock.readLock().lock();
    try {
      return tree.consistencyProof(from, to);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The subtree inclusion proof of {@code index} in the valid subtree {@code [start, end)}.
   * Requires {@code start <= index < end <= size()}.
   */
  public List<byte[]> subtreeInclusionProof(long index, long start, long end) {
    lock.readLock().lock();
    try {
      return tree.subtreeInclusionProof(index, start, end);
    } finally {
      lock.readLock().unlock();
    }
  }
}
