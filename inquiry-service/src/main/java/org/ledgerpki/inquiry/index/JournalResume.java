package org.ledgerpki.inquiry.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Where the follower starts reading: it replays the node's journal into the index and seeks every
 * partition to the position the journal saved, unless the journal does not fit the topics (another
 * cluster, or topics recreated) or cannot be read, in which case it is wiped and every partition is
 * read from the beginning.
 */
final class JournalResume {
  private static final Logger log = Logger.getLogger(JournalResume.class);

  private final Journal journal;
  private final FollowerState state;
  private final Function<TopicPartition, Journal.Partition> toJournal;
  private final Function<Journal.Partition, TopicPartition> toTopic;

  JournalResume(
      Journal journal,
      FollowerState state,
      Function<TopicPartition, Journal.Partition> toJournal,
      Function<Journal.Partition, TopicPartition> toTopic) {
    this.journal = journal;
    this.state = state;
    this.toJournal = toJournal;
    this.toTopic = toTopic;
  }

  /**
   * Assigns {@code partitions} to {@code c}, replays the journal into {@code replay} and seeks.
   *
   * @param targets the partitions' end offsets now: a saved position beyond one does not fit
   * @param replay applies one record of the journal, which the node checked before it wrote it
   */
  void resume(
      Consumer<byte[], byte[]> c,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> targets,
      Journal.Sink replay) {
    c.assign(partitions);
    Map<Journal.Partition, Long> saved = Map.of();
    try {
      saved = journal.replay(null);
    } catch (RuntimeException e) {
      log.warnf("the store's journal cannot be read (%s); rebuilding from the topics", e);
      journal.wipe();
    }
    String misfit = misfit(saved, targets, c.beginningOffsets(partitions));
    if (misfit != null) {
      log.warnf("the store does not fit the topics (%s): rebuilding from the topics", misfit);
      journal.wipe();
      saved = Map.of();
    } else if (!saved.isEmpty()) {
      try {
        state.phase("replaying the store");
        journal.replay(replay);
      } catch (RuntimeException e) {
        // The index may hold part of the journal: what follows re-applies it idempotently.
        log.warnf("the store's journal cannot be replayed (%s); rebuilding from the topics", e);
        journal.wipe();
        saved = Map.of();
      }
    }
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long position = saved.get(toJournal.apply(tp));
      if (position == null) {
        fromStart.add(tp);
      } else {
        c.seek(tp, position);
      }
    }
    // Not with an empty list: the consumer reads that as "every assigned partition", which would
    // re-read the whole ledger after replaying the journal.
    if (!fromStart.isEmpty()) {
      c.seekToBeginning(fromStart);
    }
  }

  /** Why the saved positions do not fit the topics, or null if they do. */
  private String misfit(
      Map<Journal.Partition, Long> saved,
      Map<TopicPartition, Long> targets,
      Map<TopicPartition, Long> beginnings) {
    String misfit = null;
    for (Map.Entry<Journal.Partition, Long> e : saved.entrySet()) {
      TopicPartition tp = toTopic.apply(e.getKey());
      Long end = targets.get(tp);
      if (end == null) {
        misfit = "partition " + tp + " no longer exists";
      } else if (e.getValue() > end || e.getValue() < beginnings.get(tp)) {
        misfit =
            "position "
                + e.getValue()
                + " of "
                + tp
                + " is outside ["
                + beginnings.get(tp)
                + ", "
                + end
                + "]";
      }
    }
    return misfit;
  }
}
