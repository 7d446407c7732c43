package org.ledgerpki.inquiry.index;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The records the index refuses or ignores: counted for the metrics, and logged so that a flood of
 * them (forged landmarks, checkpoints that do not verify: each costs its writer nothing) cannot
 * flood the node's log. The first {@value #LOUD} refusals are logged at ERROR each; after that at
 * most one ERROR per {@link #INTERVAL} says how many were refused since the previous one and names
 * the newest, and the others are logged at DEBUG. A record of a log the trust policy does not name
 * is logged once. Every one is counted.
 */
final class Refusals {
  /** Refusals logged at ERROR each before the log is throttled. */
  static final int LOUD = 10;

  /** At most one ERROR line per interval once the first {@value #LOUD} are logged. */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  /** Where the lines go: the index's logger, or a test's list. */
  interface Out {
    void line(Logger.Level level, String line);
  }

  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong foreign = new AtomicLong();
  private final LongSupplier nanos;
  private final Out out;
  private long logged; // refusals described by refuse()
  private long unsaid; // of those, logged at DEBUG since the last ERROR line
  private long lastSaid; // nanos of the last ERROR line

  Refusals() {
    this(System::nanoTime, Logger.getLogger(LedgerIndex.class)::log);
  }

  Refusals(LongSupplier nanos, Out out) {
    this.nanos = nanos;
    this.out = out;
  }

  /** Counts a refusal that was logged where it was found (a signature check, a conflict). */
  void count() {
    refused.incrementAndGet();
  }

  /** Counts a refusal and logs {@code format} with {@code args}, throttled as the class says. */
  synchronized void refuse(String format, Object... args) {
    refused.incrementAndGet();
    String line = String.format(format, args);
    long now = nanos.getAsLong();
    if (++logged <= LOUD) {
      lastSaid = now;
      out.line(Logger.Level.ERROR, line);
    } else if (now - lastSaid >= INTERVAL.toNanos()) {
      out.line(
          Logger.Level.ERROR,
          String.format(
              "%s (%d more records refused since the previous error, logged at DEBUG; at most one"
                  + " error per %d s; the ledgerpki.inquiry.refused.records counter counts them)",
              line, unsaid, INTERVAL.toSeconds()));
      lastSaid = now;
      unsaid = 0;
    } else {
      unsaid++;
      out.line(Logger.Level.DEBUG, line);
    }
  }

  /** Counts a record of a log the trust policy does not name; logs the first. */
  void foreign(String kind, long number, String origin) {
    if (foreign.getAndIncrement() == 0) {
      out.line(
          Logger.Level.WARN,
          String.format(
              "%s %d of log '%s' ignored: the trust policy names no such log (said once; the"
                  + " ledgerpki.inquiry.foreign.records counter counts them)",
              kind, number, origin));
    }
  }

  long refusedCount() {
    return refused.get();
  }

  long foreignCount() {
    return foreign.get();
  }
}
