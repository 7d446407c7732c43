package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;

/**
 * The status events of one log that a node holds but has not applied, by sequence number: normally
 * one each. Events that conflict (another event offered for the same number, as a forgery written
 * to {@code ledger.status} would be) are kept beside it, up to {@value #MAX_CANDIDATES}, until a
 * cosigned status line says which ones the log committed to: keeping the first would leave the node
 * unable to serve any later checkpoint if the first was forged. An event whose predecessor is
 * neither applied nor held is dropped: {@code ledger.status} is written in sequence order (key =
 * log origin, so one partition holds a log's events; one transactional writer), so only a forgery
 * leaves a gap, and forged events with far-future sequence numbers would otherwise be held without
 * bound. Not thread-safe: {@link LogState} holds its lock.
 */
final class PendingStatusEvents {
  /** The most events kept for one status sequence number. */
  static final int MAX_CANDIDATES = 4;

  /** The most combinations of conflicting events tried against one status line. */
  static final int MAX_COMBINATIONS = 256;

  /** What became of an offered event. */
  enum Offer {
    /** Held already, or at a sequence number already applied. */
    SAME,
    /** The first event of its sequence number. */
    FIRST,
    /** Another event for a sequence number that had one: kept beside it. */
    CONFLICT,
    /** Another event for a sequence number that has {@value #MAX_CANDIDATES} already: dropped. */
    DROPPED,
    /** An event after a gap (its predecessor is neither applied nor held): dropped. */
    AHEAD
  }

  /** The most checkpoints kept waiting for a conflicting event. */
  static final int MAX_AWAITING = 4;

  private final TreeMap<Long, List<StatusEvent>> bySequence = new TreeMap<>();
  private int heldCount;

  // Checkpoints whose status line no combination of the held events gave, by size: tried again
  // when another event is offered for a sequence number that had one (the real one after a
  // forgery).
  private final TreeMap<Long, CheckpointView> awaiting = new TreeMap<>();

  /** Keeps {@code cp} to try again when a conflicting event comes (the newest few only). */
  void await(CheckpointView cp) {
    awaiting.put(cp.size(), cp);
    while (awaiting.size() > MAX_AWAITING) {
      awaiting.pollFirstEntry();
    }
  }

  /** The checkpoints kept by {@link #await}, oldest first; they are no longer kept. */
  List<CheckpointView> takeAwaiting() {
    List<CheckpointView> out = new ArrayList<>(awaiting.values());
    awaiting.clear();
    return out;
  }

  /**
   * Offers an event.
   *
   * @param applied the number of events applied to the status log
   */
  Offer offer(StatusEvent e, long applied) {
    if (e.sequence() < applied) {
      return Offer.SAME;
    }
    // Every held sequence number was reached this way, so the held ones run on from the applied
    // ones without a gap, and this is the same as e.sequence() > known(applied).
    if (e.sequence() > applied && !bySequence.containsKey(e.sequence() - 1)) {
      return Offer.AHEAD;
    }
    List<StatusEvent> held = bySequence.computeIfAbsent(e.sequence(), n -> new ArrayList<>(1));
    if (held.contains(e)) {
      return Offer.SAME;
    }
    if (held.isEmpty()) {
      held.add(e);
      heldCount++;
      return Offer.FIRST;
    }
    if (held.size() >= MAX_CANDIDATES) {
      return Offer.DROPPED;
    }
    held.add(e);
    heldCount++;
    return Offer.CONFLICT;
  }

  /** How many events are held, conflicting ones included. */
  int size() {
    return heldCount;
  }

  /** How many events are held for {@code sequence}. */
  int candidates(long sequence) {
    return bySequence.getOrDefault(sequence, List.of()).size();
  }

  /** The next sequence number no event is held for, from {@code applied} on. */
  long known(long applied) {
    long n = applied;
    while (bySequence.containsKey(n)) {
      n++;
    }
    return n;
  }

  /** Forgets the events of {@code sequence}, once one of them is applied. */
  void applied(long sequence) {
    List<StatusEvent> gone = bySequence.remove(sequence);
    if (gone != null) {
      heldCount -= gone.size();
    }
  }

  /**
   * Why a status line could not be applied.
   *
   * @param awaitsEvents whether another event for one of its sequence numbers could still make it
   *     apply (no combination of the held events gives its status log root)
   * @param reason what is wrong, for the log
   */
  record Refusal(boolean awaitsEvents, String reason) {}

  /**
   * Applies to {@code status} the held events {@code line} commits to, up to its count.
   *
   * @return null once applied, or why not: no held combination gives the line's status log root
   *     (nothing applied), an event that cannot be applied, or a map root other than the line's
   */
  Refusal apply(StatusLog status, StatusCommitment line) {
    List<StatusEvent> chosen = committed(status, line);
    if (chosen == null) {
      return new Refusal(
          true,
          "commits to status log root "
              + org.ledgerpki.core.Hex.encode(line.logRoot())
              + ", which none of the status events this node holds gives");
    }
    for (StatusEvent e : chosen) {
      applied(e.sequence());
      try {
        status.apply(e);
      } catch (IllegalArgumentException ex) {
        return new Refusal(
            false,
            "needs status event " + e.sequence() + ", which cannot be applied: " + ex.getMessage());
      }
    }
    if (!status.commitment().equals(line)) {
      return new Refusal(
          false,
          "commits to status "
              + line.extensionLine()
              + ", the status events give "
              + status.commitment().extensionLine());
    }
    return null;
  }

  /**
   * The held events, one per sequence number from {@code status}'s count up to {@code line}'s
   * count, whose status log root is the one {@code line} commits to: the first combination that
   * gives it (there is only one when no events conflict), or null if none of the first {@value
   * #MAX_COMBINATIONS} does. Nothing is applied.
   */
  List<StatusEvent> committed(StatusLog status, StatusCommitment line) {
    List<List<StatusEvent>> options = new ArrayList<>();
    for (long n = status.count(); n < line.count(); n++) {
      List<StatusEvent> held = bySequence.get(n);
      if (held == null || held.isEmpty()) {
        return null;
      }
      options.add(held);
    }
    int[] pick = new int[options.size()];
    for (int tried = 0; tried < MAX_COMBINATIONS; tried++) {
      List<StatusEvent> combination = new ArrayList<>(options.size());
      for (int i = 0; i < pick.length; i++) {
        combination.add(options.get(i).get(pick[i]));
      }
      if (Arrays.equals(status.logRootWith(combination), line.logRoot())) {
        return combination;
      }
      // The next combination: count up, the last sequence number varying fastest.
      int i = pick.length - 1;
      while (i >= 0 && ++pick[i] == options.get(i).size()) {
        pick[i] = 0;
        i--;
      }
      if (i < 0) {
        return null;
      }
    }
    return null;
  }
}
