package org.ledgerpki.inquiry.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Follows {@code ledger.entries}, {@code ledger.cosigned}, {@code ledger.landmarks}, {@code
 * ledger.decisions}, {@code ledger.status} and {@code ledger.policy} with one group-less consumer
 * on its own thread, and applies every record to the {@link LedgerIndex} (the policy changes to the
 * {@link PolicyLedger}, which verifies each) and the {@link Journal}.
 *
 * <ul>
 *   <li>It waits (with back-off) until the topics exist, then assigns all their partitions and
 *       resumes from the journal's positions, or from the beginning if the store is empty.
 *   <li>It reads committed records only ({@code read_committed}).
 *   <li>It notes the end offsets at start-up; once its position reaches them on every partition (or
 *       the partition is paused, below), the node has caught up, and stays so ({@link
 *       FollowerState}).
 *   <li>It holds only so many entries and status events beyond what the newest cosigned checkpoint
 *       commits to ({@link UnprovenLimits}); past that it pauses the partition, and reads it again
 *       from the same record once a newer cosigned checkpoint raises the bound ({@link
 *       UnprovenPauses}).
 *   <li>A record that cannot be decoded or applied is logged and skipped (the node cannot write the
 *       dead-letter topic) and counted.
 *   <li>Kafka errors while polling are retried. Any other error stops the follower for good: its
 *       state then says why ({@link FollowerState#failure}), and the node fails its liveness check
 *       and, by default, exits (ADR 0014).
 * </ul>
 */
public final class LedgerFollower implements AutoCloseable {
  private static final Logger log = Logger.getLogger(LedgerFollower.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * How to reach Kafka.
   *
   * @param bootstrap Kafka bootstrap servers
   * @param clientId the consumer's client id
   * @param extra further consumer settings (security, for example); win over the defaults
   */
  public record Settings(String bootstrap, String clientId, Map<String, Object> extra) {
    public Settings {
      Objects.requireNonNull(bootstrap, "bootstrap");
      Objects.requireNonNull(clientId, "clientId");
      extra = Map.copyOf(extra);
    }
  }

  private final Settings settings;
  private final Map<String, LedgerTopic> byName = new HashMap<>();
  private final Map<LedgerTopic, Topic<String, ? extends SpecificRecord>> topics = new HashMap<>();
  private final LedgerIndex index;
  private final PolicyLedger policies;
  private final Journal journal;
  private final FollowerState state;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private boolean journaling = true;
  private final UnprovenPauses pauses;

  /**
   * @param topics the topic names and their value serdes
   * @param policies the policy chain, from the genesis policy; changes read are verified into it
   * @param journal the local store, already opened; owned (closed) by this follower
   */
  public LedgerFollower(
      Settings settings,
      Topics topics,
      LedgerIndex index,
      PolicyLedger policies,
      Journal journal,
      FollowerState state) {
    this.settings = settings;
    this.index = index;
    this.policies = policies;
    this.journal = journal;
    this.state = state;
    put(LedgerTopic.ENTRIES, topics.entries());
    put(LedgerTopic.COSIGNED, topics.cosigned());
    put(LedgerTopic.LANDMARKS, topics.landmarks());
    put(LedgerTopic.DECISIONS, topics.decisions());
    put(LedgerTopic.STATUS, topics.status());
    put(LedgerTopic.POLICY, topics.policy());
    this.pauses = new UnprovenPauses(index, byName::get, state);
    this.thread = new Thread(this::run, "ledgerpki-inquiry-follower");
    thread.setDaemon(true);
  }

  private void put(LedgerTopic t, Topic<String, ? extends SpecificRecord> topic) {
    topics.put(t, topic);
    byName.put(topic.name(), t);
  }

  /** Starts following, on the follower's own thread. */
  public void start() {
    thread.start();
  }

  private void run() {
    long started = System.nanoTime();
    Throwable failure = null;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      if (stopping()) {
        return;
      }
      List<TopicPartition> partitions = awaitTopics(c);
      if (partitions == null) {
        return;
      }
      journal(
          () ->
              journal.adopt(
                  JournalIdentity.of(settings, t -> topics.get(t).name(), Duration.ofSeconds(10))));
      Map<TopicPartition, Long> targets = c.endOffsets(partitions);
      new JournalResume(journal, state, this::journalPartition, this::topicPartition)
          .resume(
              c,
              partitions,
              targets,
              (topic, value) -> {
                index.signatures().vouch(value);
                apply(topic, value);
                state.replayed();
              });
      log.infof(
          "following %d partitions of %s; end offsets at start-up %s",
          partitions.size(), byName.keySet(), targets);
      state.phase("catching up");
      Map<Journal.Partition, Long> written = new HashMap<>();
      while (!stopping()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(POLL);
        } catch (WakeupException | InterruptException e) {
          break;
        } catch (KafkaException e) {
          log.errorf("polling the ledger topics failed: %s; retrying", e.toString());
          if (pause(Duration.ofSeconds(1))) {
            break;
          }
          continue;
        }
        List<Object> decoded =
            PolledRecords.decode(
                records, name -> topics.get(byName.get(name)).valueSerde().deserializer());
        index.signatures().checkAhead(decoded);
        Set<TopicPartition> stopped = new HashSet<>();
        int i = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          Object value = decoded.get(i++);
          if (!stopped.isEmpty()
              && stopped.contains(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          String full = handle(r, value);
          if (full != null) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            pauses.pauseAt(c, tp, r.offset(), full);
            stopped.add(tp);
          }
        }
        pauses.resumeProven(c);
        Map<Journal.Partition, Long> positions = positions(c, partitions);
        if (!positions.equals(written)) {
          journal(() -> journal.positions(positions));
          written = positions;
        }
        journal(journal::flush);
        updateLag(c, partitions, targets, positions);
        if (!state.caughtUp() && reached(positions, targets)) {
          state.markCaughtUp();
          log.infof(
              "caught up with the ledger in %d ms: %d entries, %d certificates in logs, %d"
                  + " decisions, %d records skipped",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
              index.entryCount(),
              index.certificateCount(),
              index.decisionCount(),
              state.skipped());
        }
      }
    } catch (WakeupException | InterruptException e) {
      // closing
    } catch (RuntimeException | Error e) {
      log.error("the ledger follower stopped on an unexpected error", e);
      failure = e;
    } finally {
      consumer = null;
      journal.close();
      if (failure != null) {
        // After the journal is closed: what is told of the failure may end the process.
        state.failed(failure);
      }
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    p.putAll(settings.extra());
    return p;
  }

  /** All partitions of the four topics, once all exist; null if stopped meanwhile. */
  private List<TopicPartition> awaitTopics(KafkaConsumer<byte[], byte[]> c) {
    Duration backoff = Duration.ofMillis(200);
    while (!stopping()) {
      List<TopicPartition> all = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      try {
        for (String name : byName.keySet()) {
          List<PartitionInfo> infos = c.partitionsFor(name, Duration.ofSeconds(10));
          if (infos == null || infos.isEmpty()) {
            missing.add(name);
          } else {
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
          }
        }
      } catch (WakeupException | InterruptException e) {
        return null;
      } catch (KafkaException e) {
        missing.add("(" + e + ")");
      }
      if (missing.isEmpty()) {
        return all;
      }
      state.phase("waiting for topics " + missing);
      log.infof("waiting for the ledger topics %s at %s", missing, settings.bootstrap());
      if (pause(backoff)) {
        return null;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    return null;
  }

  /**
   * Applies {@code r}, {@code decoded} as {@link PolledRecords#decode} gave it. Returns null, or
   * the log whose unproven records are as many as allowed ({@link LedgerIndex#full}): then {@code
   * r} was not applied, and must be read again.
   */
  private String handle(ConsumerRecord<byte[], byte[]> r, Object decoded) {
    LedgerTopic topic = byName.get(r.topic());
    if (decoded == null || decoded instanceof RuntimeException) {
      state.consumed();
      if (decoded instanceof RuntimeException e) {
        state.skip();
        log.warnf(
            "skipping %s-%d@%d: it cannot be decoded (%s)",
            r.topic(), r.partition(), r.offset(), PolledRecords.rootCause(e));
        log.debug("decoding failed", e);
      }
      return null;
    }
    SpecificRecord value = (SpecificRecord) decoded;
    String origin = UnprovenPauses.boundedOrigin(topic, value);
    if (origin != null && index.full(topic, origin)) {
      return origin;
    }
    state.consumed();
    boolean held;
    try {
      held = apply(topic, value);
    } catch (RuntimeException e) {
      state.skip();
      log.errorf(
          e, "skipping %s-%d@%d: it cannot be applied", r.topic(), r.partition(), r.offset());
      return null;
    }
    if (held) {
      // A replay takes what the journal holds as checked: a forgery, or any record the index
      // refused or ignored, must not get into it.
      Journal.Partition p = new Journal.Partition(topic, r.partition());
      journal(() -> journal.append(p, r.offset(), value));
    }
    return null;
  }

  /** Applies {@code value}; whether the index (or the policy chain) now holds it. */
  private boolean apply(LedgerTopic topic, SpecificRecord value) {
    return switch (topic) {
      case ENTRIES -> index.apply((LedgerEntry) value);
      case COSIGNED -> index.apply((CosignedCheckpoint) value);
      case LANDMARKS -> index.apply((Landmark) value);
      case DECISIONS -> index.apply((Decision) value);
      case STATUS -> index.apply((StatusEntry) value);
      case POLICY -> {
        boolean extended = policies.apply((PolicyChange) value);
        if (extended) {
          index.policyExtended();
        }
        yield extended;
      }
    };
  }

  /** Runs a journal write; if the disk fails, the node goes on from memory without a store. */
  private void journal(Runnable write) {
    if (!journaling) {
      return;
    }
    try {
      write.run();
    } catch (RuntimeException e) {
      journaling = false;
      log.errorf(
          "the store %s cannot be written (%s): going on without it; a restart rebuilds from the"
              + " topics",
          journal.directory(), e.getMessage());
      journal.wipe();
    }
  }

  private Map<Journal.Partition, Long> positions(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
    Map<Journal.Partition, Long> out = new HashMap<>();
    for (TopicPartition tp : partitions) {
      out.put(journalPartition(tp), c.position(tp));
    }
    return out;
  }

  /**
   * Whether every partition reached its end offset at start-up, or is paused: a paused partition
   * waits for a cosigned checkpoint, and the topic of those is never paused, so once that topic is
   * read to its end nothing more the node could prove is waiting.
   */
  private boolean reached(
      Map<Journal.Partition, Long> positions, Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
      if (positions.get(journalPartition(t.getKey())) < t.getValue()
          && !pauses.paused(t.getKey())) {
        return false;
      }
    }
    return true;
  }

  private void updateLag(
      KafkaConsumer<byte[], byte[]> c,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> targets,
      Map<Journal.Partition, Long> positions) {
    Map<LedgerTopic, Long> sums = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OptionalLong current = c.currentLag(tp);
      long lag =
          current.isPresent()
              ? current.getAsLong()
              : Math.max(0, targets.get(tp) - positions.get(journalPartition(tp)));
      sums.merge(byName.get(tp.topic()), lag, Long::sum);
    }
    sums.forEach(state::lag);
  }

  private Journal.Partition journalPartition(TopicPartition tp) {
    return new Journal.Partition(byName.get(tp.topic()), tp.partition());
  }

  private TopicPartition topicPartition(Journal.Partition p) {
    return new TopicPartition(topics.get(p.topic()).name(), p.partition());
  }

  private boolean stopping() {
    return stop.getCount() == 0;
  }

  /** Waits {@code d} unless stopped meanwhile; returns whether it was stopped. */
  private boolean pause(Duration d) {
    try {
      return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stops following and waits for the thread to end. */
  @Override
  public void close() {
    stop.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
