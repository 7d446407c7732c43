package org.ledgerpki.streams;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Asks Kafka Streams to commit at once an output that follows a quiet period, instead of waiting
 * for the thread's next interval commit (ADR 0017).
 *
 * <p>Under exactly-once a record a processor forwards is visible to the next hop only once its
 * transaction commits, and a thread commits every {@code commit.interval.ms}. A revocation crosses
 * five such hops, so in a quiet log it used to wait about half an interval at each. A processor on
 * that path calls {@link #forwarded()} after each output; if its previous output is at least one
 * commit interval old, it requests a commit ({@link ProcessorContext#commit()}), which the thread
 * makes right after the records it is processing now, in the same loop.
 *
 * <p>What this costs is bounded: a request needs a gap of a whole interval since the previous
 * output, so one processor requests at most one commit per interval, and a processor that outputs
 * more often than once per interval (any load) requests none and commits as before. A requested
 * commit does not reset the thread's interval timer (Kafka Streams 4.3 {@code
 * StreamThread#maybeCommit}), so each such processor adds at most one commit per interval to its
 * thread's, and only when more output follows the request within that interval: otherwise the
 * interval finds nothing to commit and commits nothing.
 */
public final class PromptCommit {
  /** Kafka Streams' default commit interval under exactly-once. */
  static final long EXACTLY_ONCE_DEFAULT_MS = 100;

  private final ProcessorContext<?, ?> context;
  private final long quietMs;
  private long lastOutputAt;
  private boolean anyOutput;
  private long requested;

  PromptCommit(ProcessorContext<?, ?> context, long quietMs) {
    this.context = context;
    this.quietMs = quietMs;
  }

  /** A prompt commit for {@code context}'s processor, quiet after one of its commit intervals. */
  public static PromptCommit of(ProcessorContext<?, ?> context) {
    return new PromptCommit(context, commitInterval(context));
  }

  /**
   * Records that the processor has just forwarded an output on the latency path, and requests a
   * commit if it is the first for a commit interval.
   */
  public void forwarded() {
    long now = context.currentSystemTimeMs();
    if (!anyOutput || now - lastOutputAt >= quietMs) {
      context.commit();
      requested++;
    }
    anyOutput = true;
    lastOutputAt = now;
  }

  /** How many commits this processor has requested since it started. */
  public long requested() {
    return requested;
  }

  private static long commitInterval(ProcessorContext<?, ?> context) {
    Object v = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    if (v == null) {
      return EXACTLY_ONCE_DEFAULT_MS;
    }
    return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
  }
}
