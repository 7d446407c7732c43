package org.ledgerpki.streams;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
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
 * its raw key and value, so that it can be inspected and replayed), logs it at WARN and hands it to
 * the processor's {@link Sink}, which counts it and forwards it to the processor's dead-letter
 * child. A dead-lettered record changes no state and consumes no sequence number.
 */
public final class DeadLetterOut {
  /** The kind of fault of a record that {@link #decode} could not read. */
  public static final String UNDECODABLE = "undecodable";

  /** The kind of fault of a record that {@link #send(Record, String)} dead-letters. */
  public static final String INVALID = "invalid";

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
   * The dead letter of the record being processed, logged at WARN with where it came from.
   *
   * @param key the record's key, or null
   * @param value the record's bytes, or null if they are not at hand
   */
  public DeadLetter letter(String key, byte[] value, String reason) {
    return of(context, log, service, key, value, reason, clock);
  }

  /**
   * The dead letter of the record {@code context} is processing, logged at WARN with where it came
   * from; for a processor that forwards it itself (e.g. one whose input is already decoded).
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
    log.warn("{}: dead-lettering {}: {}", service, where(meta), reason);
    return DeadLetters.of(
        meta.map(RecordMetadata::topic).orElse("?"),
        meta.map(RecordMetadata::partition).orElse(-1),
        meta.map(RecordMetadata::offset).orElse(-1L),
        key,
        value,
        service,
        reason,
        clock.instant());
  }

  /** "topic/partition@offset" of a record, or "?" without metadata; for log lines. */
  public static String where(Optional<RecordMetadata> meta) {
    return meta.map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse("?");
  }
}
