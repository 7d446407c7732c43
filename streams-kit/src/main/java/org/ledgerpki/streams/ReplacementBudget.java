package org.ledgerpki.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How many stream threads {@link StreamsRuntime} may replace after transient broker conditions: at
 * most {@code max} within any {@code window}. A broker lost for a few minutes, or a rolling
 * restart, costs a few replacements, which the window gives back; a condition that does not pass
 * spends the budget quickly, and the client is then stopped (and its process exits, {@link
 * ServiceProcess}). A budget for the process's whole life would instead stop a long-running service
 * on its eleventh broker restart, however far apart.
 */
final class ReplacementBudget {
  private final int max;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final ArrayDeque<Long> spent = new ArrayDeque<>();

  ReplacementBudget(int max, Duration window, LongSupplier nanoClock) {
    this.max = max;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Spends one replacement if fewer than {@code max} were spent within the window. */
  synchronized boolean tryTake() {
    long now = nanoClock.getAsLong();
    while (!spent.isEmpty() && now - spent.peekFirst() >= windowNanos) {
      spent.pollFirst();
    }
    if (spent.size() >= max) {
      return false;
    }
    spent.addLast(now);
    return true;
  }

  /** The replacements spent within the window, as of the last {@link #tryTake}. */
  synchronized int spent() {
    return spent.size();
  }
}
