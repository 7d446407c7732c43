package org.ledgerpki.inquiry.index;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the follower reports: whether the node has caught up with the ledger as it stood at start-up
 * (once true, it stays true), whether it still follows or stopped on an error, the lag per topic,
 * how many records it skipped, and how many it replayed from its store and consumed from the
 * topics. Thread-safe.
 */
public final class FollowerState {
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Map<LedgerTopic, AtomicLong> lag = new EnumMap<>(LedgerTopic.class);
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong consumed = new AtomicLong();
  private final AtomicLong pauses = new AtomicLong();
  private volatile int paused;
  private volatile String phase = "starting";
  private final CompletableFuture<String> failure = new CompletableFuture<>();

  public FollowerState() {
    for (LedgerTopic t : LedgerTopic.values()) {
      lag.put(t, new AtomicLong());
    }
  }

  /** Whether the node has read every followed partition up to its end offset at start-up. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /**
   * Waits until the node has caught up.
   *
   * @return whether it did within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void markCaughtUp() {
    phase = "following";
    caughtUp.countDown();
  }

  /** What the follower is doing, for the readiness check: e.g. "waiting for topics". */
  public String phase() {
    return phase;
  }

  void phase(String phase) {
    this.phase = phase;
  }

  /**
   * Whether the follower still runs: false once it stopped on an error, from which it does not
   * recover (the node's answers would only go stale). A follower closed at shutdown stays live.
   */
  public boolean live() {
    return !failure.isDone();
  }

  /** Why the follower stopped, once it stopped on an error. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure.getNow(null));
  }

  /**
   * Runs {@code action} with the reason once the follower stops on an error (at once, if it already
   * did), on the follower's thread.
   */
  public void whenFailed(java.util.function.Consumer<String> action) {
    failure.thenAccept(action);
  }

  void failed(Throwable e) {
    String reason = e.toString();
    phase = "stopped: " + reason;
    failure.complete(reason);
  }

  /** Records behind the end of {@code topic}, summed over its partitions. */
  public long lag(LedgerTopic topic) {
    return lag.get(topic).get();
  }

  void lag(LedgerTopic topic, long records) {
    lag.get(topic).set(records);
  }

  /** Records that could not be decoded or applied, and were skipped. */
  public long skipped() {
    return skipped.get();
  }

  void skip() {
    skipped.incrementAndGet();
  }

  /**
   * Records applied from the store's journal at start-up (zero if the node started without a store,
   * or found it unusable and rebuilt from the topics).
   */
  public long replayedRecords() {
    return replayed.get();
  }

  void replayed() {
    replayed.incrementAndGet();
  }

  /**
   * Records read from the ledger topics since start-up, skipped ones included: after a replay of
   * the journal only those written since it, after a rebuild every record of the topics.
   */
  public long consumedRecords() {
    return consumed.get();
  }

  void consumed() {
    consumed.incrementAndGet();
  }

  /**
   * Partitions whose reading is paused now because a log holds as many unproven records as the node
   * allows ({@link UnprovenLimits}).
   */
  public int pausedPartitions() {
    return paused;
  }

  /** How many times a partition was paused since start-up. */
  public long pauses() {
    return pauses.get();
  }

  void paused(int partitions, boolean anotherPause) {
    paused = partitions;
    if (anotherPause) {
      pauses.incrementAndGet();
    }
  }
}
