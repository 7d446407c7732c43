package org.ledgerpki.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.schemas.DeadLetters;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.slf4j.Logger;

/**
 * Decode-or-dead-letter for a processor that reads raw bytes: the one place where a Streams service
 * turns an input record it gives up on into its {@code ledger.dlq} record (where it came from, why,
 * its raw key and value, so that it can be inspected and replayed), logs it and hands it to the
 * processor's {@link Sink}, which counts it and forwards it to the processor's dead-letter child. A
 * dead-lettered record changes no state and consumes no sequence number.
 *
 * <p>Anyone who can write to an input topic can make a flood of dead letters, and a flood of
 * forgeries must not flood the log too: for each logger and service (all the tasks and threads of
 * one processor of one service), the first dead letter is logged at WARN, then at most one a {@link
 * #WARN_INTERVAL} (by the processor's clock), which says how many were dead-lettered since the
 * previous warning; the others are logged at DEBUG. Every one still goes to the sink, and so is
 * counted and on {@code ledger.dlq}. A log line says where the record came from and the reason,
 * never the record's key or value.
 */
public final class DeadLetterOut {
  /** The kind of fault of a record that {@link #decode} could not read. */
  public static final String UNDECODABLE = "undecodable";

  /** The kind of fault of a record that {@link #send(Record, String)} dead-letters. */
  public static final String INVALID = "invalid";

  /**
   * The least time between two WARN lines about dead letters of one logger and service; those in
   * between are logged at DEBUG and counted in the next WARN line.
   */
  public static final Duration WARN_INTERVAL = Duration.ofSeconds(60);

  // By logger name and service: shared by the tasks of a processor, and by of() (whose callers
  // hold no DeadLetterOut). The keys are the processors' loggers and services, a handful.
  private static final ConcurrentMap<String, WarnThrottle> THROTTLES = new ConcurrentHashMap<>();

  /** Where a processor's dead letters go. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Counts and forwards {@code letter}, the dead letter of {@code record}.
     *
     * @param kind a short name of the fault (e.g. {@value #UNDECODABLE}), for a counter's tag
     */
    void send(Record<String, byte[]> record, String kind, DeadLetter letter);
  }

  private final ProcessingContext context;
  private final String service;
  private final Clock clock;
  private final Logger log;
  private final Sink sink;

  /**
   * @param context the processor's context (for the metadata of the record being processed)
   * @param service the service that gives up, as the dead letter names it (e.g. {@code issuance})
   * @param clock the time of each dead letter, and of its WARN line (see {@link #WARN_INTERVAL})
   * @param log the processor's logger
   */
  public DeadLetterOut(
      ProcessingContext context, String service, Clock clock, Logger log, Sink sink) {
    this.context = Objects.requireNonNull(context, "context");
    this.service = Objects.requireNonNull(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * The dead-letter output of a processor whose dead letters go to its child {@code child}, keyed
   * by the topic they came from ("?" if unknown), with the input record's timestamp.
   *
   * @param count counts one dead letter (e.g. the processor's {@code dead-letters} counter)
   */
  public static DeadLetterOut toChild(
      ProcessorContext<String, ? super DeadLetter> context,
      String service,
      Clock clock,
      Logger log,
      Runnable count,
      String child) {
    return new DeadLetterOut(
        context,
        service,
        clock,
        log,
        (record, kind, letter) -> {
          count.run();
          context.forward(
              new Record<String, DeadLetter>(letter.getSourceTopic(), letter, record.timestamp()),
              child);
        });
  }

  /**
   * The value of {@code record} read by {@code reader}, or null after dead-lettering the record
   * (kind {@value #UNDECODABLE}, reason {@code "cannot decode <what>: <why>"}) if it has no value
   * or the value does not decode.
   *
   * @param what what the value should be, with its article, e.g. {@code "a Checkpoint"}
   */
  public <T> T decode(
      Record<String, byte[]> record, Deserializer<T> reader, String topic, String what) {
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value");
      }
      T value = reader.deserialize(topic, record.value());
      if (value == null) {
        throw new IllegalArgumentException("the value is empty");
      }
      return value;
    } catch (RuntimeException e) {
      send(record, UNDECODABLE, "cannot decode " + what + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * Dead-letters {@code record}, the record being processed, for {@code reason}: a fault of kind
   * {@value #INVALID}.
   */
  public void send(Record<String, byte[]> record, String reason) {
    send(record, INVALID, reason);
  }

  /** Dead-letters {@code record}, the record being processed, for {@code reason}. */
  public void send(Record<String, byte[]> record, String kind, String reason) {
    sink.send(record, kind, letter(record.key(), record.value(), reason));
  }

  /**
   * The dead letter of the record being processed, logged with where it came from and why (at WARN,
   * or at DEBUG within {@link #WARN_INTERVAL} of the previous WARN).
   *
   * @param key the record's key, or null
   * @param value the record's bytes, or null if they are not at hand
   */
  public DeadLetter letter(String key, byte[] value, String reason) {
    return of(context, log, service, key, value, reason, clock);
  }

  /**
   * The dead letter of the record {@code context} is processing, logged with where it came from and
   * why, at WARN or, within {@link #WARN_INTERVAL} of the previous WARN of {@code log} and {@code
   * service}, at DEBUG; for a processor that forwards it itself (e.g. one whose input is already
   * decoded).
   *
   * @param service the service that gives up, as the dead letter names it
   * @param key the record's key, or null
   * @param value the record's bytes, or null if they are not at hand
   */
  public static DeadLetter of(
      ProcessingContext context,
      Logger log,
      String service,
      String key,
      byte[] value,
      String reason,
      Clock clock) {
    Optional<RecordMetadata> meta = context.recordMetadata();
    Instant now = clock.instant();
    log(log, service, where(meta), reason, now.toEpochMilli());
    return DeadLetters.of(
        meta.map(RecordMetadata::topic).orElse("?"),
        meta.map(RecordMetadata::partition).orElse(-1),
        meta.map(RecordMetadata::offset).orElse(-1L),
        key,
        value,
        service,
        reason,
        now);
  }

  private static void log(Logger log, String service, String where, String reason, long now) {
    long others =
        THROTTLES
            .computeIfAbsent(log.getName() + '\n' + service, k -> new WarnThrottle())
            .warn(now);
    if (others < 0) {
      log.debug("{}: dead-lettering {}: {}", service, where, reason);
    } else if (others == 0) {
      log.warn(
          "{}: dead-lettering {}: {} (those of the next {} s are logged at DEBUG and counted in the"
              + " next warning)",
          service,
          where,
          reason,
          WARN_INTERVAL.toSeconds());
    } else {
      log.warn(
          "{}: dead-lettering {}: {} ({} more dead-lettered since the previous warning, logged at"
              + " DEBUG; at most one warning per {} s)",
          service,
          where,
          reason,
          others,
          WARN_INTERVAL.toSeconds());
    }
  }

  /** Whether a dead letter is logged at WARN: at most once a {@link #WARN_INTERVAL}. */
  private static final class WarnThrottle {
    private static final long INTERVAL_MS = WARN_INTERVAL.toMillis();

    private final AtomicLong nextWarnAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * For a dead letter at {@code now} (epoch millis): how many were logged at DEBUG since the
     * previous WARN if this one is to be logged at WARN, else -1 (and it is counted). A clock that
     * went back warns at once rather than staying silent until it catches up.
     */
    long warn(long now) {
      long next = nextWarnAt.get();
      boolean due = now >= next || next - now > INTERVAL_MS;
      if (due && nextWarnAt.compareAndSet(next, now + INTERVAL_MS)) {
        return suppressed.getAndSet(0);
      }
      suppressed.incrementAndGet();
      return -1;
    }
  }

  /** "topic/partition@offset" of a record, or "?" without metadata; for log lines. */
  public static String where(Optional<RecordMetadata> meta) {
    return meta.map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse("?");
  }
}
