package org.ledgerpki.inquiry.index;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The partitions of {@code ledger.entries} and {@code ledger.status} the follower stopped reading
 * because a log holds as many unproven records as {@link UnprovenLimits} allows, each with that
 * log. A paused partition is rewound to the record that was not applied and read again once a
 * cosigned checkpoint commits to more of the log: nothing is dropped, and a forger who writes
 * records no checkpoint will ever cover costs the node a bounded amount of memory. The follower's
 * thread only.
 */
final class UnprovenPauses {
  private static final Logger log = Logger.getLogger(UnprovenPauses.class);

  private final LedgerIndex index;
  private final Function<String, LedgerTopic> topicOf;
  private final FollowerState state;
  private final Map<TopicPartition, String> paused = new HashMap<>();

  /**
   * @param topicOf the ledger topic of a Kafka topic name
   */
  UnprovenPauses(LedgerIndex index, Function<String, LedgerTopic> topicOf, FollowerState state) {
    this.index = index;
    this.topicOf = topicOf;
    this.state = state;
  }

  /** The log of a record whose topic {@link UnprovenLimits} bounds; null for the other topics. */
  static String boundedOrigin(LedgerTopic topic, SpecificRecord value) {
    return switch (topic) {
      case ENTRIES -> ((LedgerEntry) value).getOrigin();
      case STATUS -> ((StatusEntry) value).getOrigin();
      default -> null;
    };
  }

  /** Whether {@code tp} is paused. */
  boolean paused(TopicPartition tp) {
    return paused.containsKey(tp);
  }

  /** Stops reading {@code tp} and rewinds it to {@code offset}, read again on resuming. */
  void pauseAt(Consumer<?, ?> c, TopicPartition tp, long offset, String origin) {
    c.pause(List.of(tp));
    c.seek(tp, offset);
    paused.put(tp, origin);
    state.paused(paused.size(), true);
    log.warnf(
        "log %s holds as many unproven records of %s (beyond its newest cosigned checkpoint) as"
            + " this node allows: reading %s is paused at offset %d until a cosigned checkpoint"
            + " commits to more",
        origin, tp.topic(), tp, offset);
  }

  /** Resumes the paused partitions whose log a newer cosigned checkpoint lets go on. */
  void resumeProven(Consumer<?, ?> c) {
    if (paused.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<TopicPartition, String>> it = paused.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<TopicPartition, String> p = it.next();
      if (!index.full(topicOf.apply(p.getKey().topic()), p.getValue())) {
        c.resume(List.of(p.getKey()));
        it.remove();
        log.infof(
            "reading %s again: a cosigned checkpoint commits to more of log %s",
            p.getKey(), p.getValue());
      }
    }
    state.paused(paused.size(), false);
  }
}
