package org.ledgerpki.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ledger topics that are missing, with their partition counts, replication and
 * settings, and says in its log what it created.
 *
 * <p>Idempotent and safe to run from several processes at once: a topic that exists (or that
 * another process creates meanwhile) is left as it is. It never changes an existing topic; if an
 * existing topic has another partition count than expected, it logs a warning (the sequencing
 * topic's partition count is the number of logs, and it must not change behind the sequencer's
 * back).
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin the client to use; not closed by this object
   * @param timeout how long one {@link #ensure} may wait for the cluster; positive
   */
  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** What {@link #ensure} found and did. */
  public record Result(List<String> created, List<String> existing) {
    /** Freezes the lists. */
    public Result {
      created = List.copyOf(created);
      existing = List.copyOf(existing);
    }
  }

  /** Creates the missing topics of {@code topics}; see {@link #ensure(Collection)}. */
  public Result ensure(Topics topics) {
    return ensure(topics.all());
  }

  /**
   * Creates those of {@code topics} that do not exist yet.
   *
   * @return the names created by this call and the names that already existed, in the given order
   * @throws KafkaException if the cluster cannot be reached or refuses a topic within the timeout
   *     (the message names the topic and the cause)
   */
  public Result ensure(Collection<? extends Topic<?, ?>> topics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> present =
        await(
            admin.listTopics(new ListTopicsOptions().timeoutMs(remainingMs(deadline))).names(),
            deadline,
            "list the topics");

    List<Topic<?, ?>> missing = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      if (present.contains(topic.name())) {
        existing.add(topic.name());
      } else {
        missing.add(topic);
      }
    }

    List<String> created = new ArrayList<>();
    if (!missing.isEmpty()) {
      List<NewTopic> requests = missing.stream().map(Topic::newTopic).toList();
      Map<String, KafkaFuture<Void>> results =
          admin
              .createTopics(requests, new CreateTopicsOptions().timeoutMs(remainingMs(deadline)))
              .values();
      for (Topic<?, ?> topic : missing) {
        try {
          await(results.get(topic.name()), deadline, "create topic " + topic.name());
          created.add(topic.name());
          log.info(
              "Created topic {} (partitions={}, replication factor={}, config={})",
              topic.name(),
              topic.partitions(),
              topic.replicationFactor(),
              new java.util.TreeMap<>(topic.config()));
        } catch (KafkaException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          // Another process created it between our list and our create: fine.
          existing.add(topic.name());
        }
      }
    }
    if (!created.isEmpty()) {
      awaitLeaders(created, deadline);
    }
    if (!existing.isEmpty()) {
      checkPartitions(topics, existing, deadline);
    }
    log.info(
        "Topics ready: {} created, {} already present{}",
        created.size(),
        existing.size(),
        created.isEmpty() ? "" : " (created " + created + ")");
    return new Result(created, existing);
  }

  private void checkPartitions(
      Collection<? extends Topic<?, ?>> topics, List<String> existing, long deadline) {
    Map<String, TopicDescription> descriptions =
        await(admin.describeTopics(existing).allTopicNames(), deadline, "describe " + existing);
    for (Topic<?, ?> topic : topics) {
      TopicDescription description = descriptions.get(topic.name());
      if (description != null && description.partitions().size() != topic.partitions()) {
        log.warn(
            "Topic {} exists with {} partitions, expected {}; it is left as it is",
            topic.name(),
            description.partitions().size(),
            topic.partitions());
      }
    }
  }

  /**
   * Waits until every partition of the new topics has a leader that serves it, so that clients can
   * use them at once: the controller answers before the brokers have caught up, and a broker's
   * metadata can name it leader a moment before it serves the partition. A produce request that
   * meets that moment fails with NOT_LEADER_OR_FOLLOWER, and an idempotent producer that had a
   * later batch of the same partition in flight then retries the first one with
   * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout expires it (KAFKA-15591). A partition
   * counts as served once its leader answers a ListOffsets request for it, which the leader checks
   * as it checks a produce request.
   */
  private void awaitLeaders(List<String> names, long deadline) {
    while (true) {
      List<String> leaderless;
      try {
        Map<String, TopicDescription> descriptions =
            await(admin.describeTopics(names).allTopicNames(), deadline, "describe " + names);
        leaderless =
            descriptions.values().stream()
                .filter(d -> d.partitions().stream().anyMatch(p -> p.leader() == null))
                .map(TopicDescription::name)
                .toList();
        if (leaderless.isEmpty()) {
          leaderless = unserved(descriptions.values(), deadline);
        }
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // The broker that answered has not seen the new topics yet.
        leaderless = names;
      }
      if (leaderless.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException(
            "topics "
                + leaderless
                + " have partitions without a leader that serves them "
                + timeout.toSeconds()
                + " s after their creation; are enough brokers up?");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while waiting for leaders of " + leaderless, e);
      }
    }
  }

  /** The topics some partition of which its leader does not serve yet. */
  private List<String> unserved(Collection<TopicDescription> topics, long deadline) {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (TopicDescription d : topics) {
      d.partitions()
          .forEach(p -> ask.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    ListOffsetsResult answers = admin.listOffsets(ask);
    Set<String> out = new TreeSet<>();
    for (TopicPartition tp : ask.keySet()) {
      try {
        await(answers.partitionResult(tp), deadline, "list the offsets of " + tp);
      } catch (KafkaException e) {
        // Not served yet (a retriable error), or no answer before the deadline, which the caller
        // reports.
        if (!(e.getCause() instanceof RetriableException
            || e.getCause() instanceof TimeoutException)) {
          throw e;
        }
        out.add(tp.topic());
      }
    }
    return new ArrayList<>(out);
  }

  private static int remainingMs(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  private <T> T await(KafkaFuture<T> future, long deadline, String what) {
    try {
      return future.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting to " + what, e);
    } catch (ExecutionException e) {
      throw new KafkaException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException(
          "could not " + what + " within " + timeout.toSeconds() + " s; is the cluster reachable?",
          e);
    }
  }
}
