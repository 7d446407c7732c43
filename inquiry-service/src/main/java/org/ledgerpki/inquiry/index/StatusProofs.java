package org.ledgerpki.inquiry.index;

import java.util.concurrent.ConcurrentHashMap;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.EntryStatus;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * The status part of a log's answers (deciding event, state, status-map proofs), kept per entry for
 * as long as the status map is unchanged.
 *
 * <p>A status-map proof walks the sparse Merkle tree from its root: for an entry that has an event,
 * all 256 levels, two look-ups each, and as much again for the key's compromised-key key. A profile
 * of the demo's node under load put a third of its CPU there (BENCHMARKS "P3 — status proofs kept
 * per status map"). The map changes only when an event is applied, and every applied event adds one
 * to {@link StatusLog#count()}, so a proof computed at a count stays exact until the count moves.
 *
 * <p>Called under the log's read lock, by many readers at once; the status log changes only under
 * the write lock. Readers that hold the read lock together see the same count, so whatever any of
 * them puts is right for it. At most {@link #CAPACITY} entries are kept; past that the cache starts
 * again empty (a node asked about more entries than that within one status map pays the walk
 * again).
 */
final class StatusProofs {
  /**
   * The most entries kept: at 10^5 events an entry's proofs are about 40 hashes, ≈ 1.5 KB as bytes,
   * ≈ 3.5 KB once their JSON form has been asked for too; so ≤ ≈ 60 MB when full.
   */
  static final int CAPACITY = 16_384;

  /**
   * What an answer needs from the status map, for one entry: the proofs as bytes (the compact form
   * carries them as they are) and, made on first use, in their JSON form.
   */
  static final class Proven {
    /** For an entry no cosigned checkpoint covers yet: nothing. */
    static final Proven NONE = new Proven(null);

    private final EntryStatus raw;
    // Made from raw on first use by a JSON answer; racing readers make equal values.
    private volatile StatusAnswer.StatusProof json;

    Proven(EntryStatus raw) {
      this.raw = raw;
    }

    /** The proofs as bytes; null for {@link #NONE}. */
    EntryStatus raw() {
      return raw;
    }

    /** The deciding event (see {@link EntryStatus#deciding()}); null if none or uncovered. */
    StatusEvent event() {
      return raw == null ? null : raw.deciding();
    }

    /** GOOD, SUSPENDED or REVOKED; null if uncovered. */
    String state() {
      return raw == null ? null : raw.state().name();
    }

    /** The proofs in their JSON form; null if uncovered. */
    StatusAnswer.StatusProof proof() {
      if (raw == null) {
        return null;
      }
      StatusAnswer.StatusProof p = json;
      if (p == null) {
        p = StatusAnswer.StatusProof.of(raw);
        json = p;
      }
      return p;
    }
  }

  private final ConcurrentHashMap<Integer, Proven> byIndex = new ConcurrentHashMap<>();
  private volatile long count = -1;

  /**
   * The status of entry {@code index} (status identity {@code id}) as {@code status} proves it now.
   */
  Proven of(StatusLog status, EntryId id, int index) {
    long now = status.count();
    if (count != now || byIndex.size() >= CAPACITY) {
      byIndex.clear();
      count = now;
    }
    Proven p = byIndex.get(index);
    if (p == null) {
      p = new Proven(EntryStatus.of(status, id));
      byIndex.put(index, p);
    }
    return p;
  }
}
