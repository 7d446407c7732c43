package org.ledgerpki.streams.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.streams.ServiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code ledger.policy} (docs/governance.md): reads it from the beginning, verifies each
 * change against the policy before it ({@code PolicyChain}, from the genesis policy the service is
 * configured with) and advances a {@link PolicyHolder}. A change that does not verify is skipped
 * with an ERROR and counted ({@link #refused()}): only the issuance stream writes the topic, and
 * cosigners refuse checkpoints naming a policy they cannot verify, so a forged change takes no
 * party with it. Reads committed records only, with no consumer group (it assigns the topic's one
 * partition), so every instance reads the whole history.
 *
 * <p>{@link #catchUp} reads to the end the topic had when it was called (services call it before
 * they start, so a restarted service decides with the policy it had); {@link #start} then follows
 * on a daemon thread until {@link #close}.
 */
public final class PolicyFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topic<String, PolicyChange> topic;
  private final PolicyHolder holder;
  private final String service;
  private final Signatures signatures = Signatures.defaults();
  private final AtomicLong refused = new AtomicLong();
  private final Object lock = new Object();
  private volatile boolean closed;
  private Thread thread;

  /**
   * @param clientSettings Kafka client settings (bootstrap servers, TLS)
   * @param service the service's name, for log lines
   */
  public PolicyFollower(
      Map<String, ?> clientSettings,
      Topic<String, PolicyChange> topic,
      PolicyHolder holder,
      String service) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.holder = holder;
    this.service = service;
    consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
    consumer.seekToBeginning(consumer.assignment());
  }

  /** A follower with the client settings of {@code config}. */
  public static PolicyFollower of(
      ServiceConfig config,
      Topic<String, PolicyChange> topic,
      PolicyHolder holder,
      String service) {
    Map<String, Object> settings = new java.util.HashMap<>(config.settings().kafkaClient());
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return new PolicyFollower(settings, topic, holder, service);
  }

  /**
   * Reads until the end offset the topic had when called.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if that takes longer than {@code
   *     timeout}
   */
  public void catchUp(Duration timeout) {
    synchronized (lock) {
      TopicPartition tp = new TopicPartition(topic.name(), 0);
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              service + ": " + topic.name() + " not read to offset " + end + " within " + timeout);
        }
        poll(Duration.ofMillis(100));
      }
    }
    LOG.debug("{}: policy history from {}: {}", service, topic.name(), holder.history());
  }

  /**
   * Makes {@link PolicyHolder#refresh()} of the holder catch up with the topic (within {@code
   * timeout}), for a party that meets a policy it does not hold yet.
   */
  public PolicyFollower refreshing(Duration timeout) {
    holder.refresher(() -> catchUp(timeout));
    return this;
  }

  /** Follows the topic on a daemon thread. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread =
        new Thread(
            () -> {
              try {
                while (!closed) {
                  synchronized (lock) {
                    poll(Duration.ofMillis(200));
                  }
                  Thread.sleep(50); // let catchUp take the lock
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (WakeupException e) {
                // closing
              } catch (RuntimeException e) {
                LOG.error("{}: following {} stopped: {}", service, topic.name(), e.toString(), e);
              } finally {
                consumer.close(Duration.ofSeconds(5));
              }
            },
            service + "-policy-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll(Duration d) {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(d)) {
      apply(r);
    }
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    PolicyHistory now = holder.history();
    org.ledgerpki.core.policy.PolicyChange change;
    try {
      change =
          Governance.toCore(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
    } catch (RuntimeException e) {
      refused.incrementAndGet();
      LOG.error(
          "{}: {}@{} is not a PolicyChange: {}", service, topic.name(), r.offset(), e.toString());
      return;
    }
    if (change.serial() <= now.latest().serial()) {
      return; // already held (e.g. sequenced by this very service)
    }
    try {
      holder.advance(now.extend(change, signatures));
      LOG.info(
          "{}: policy serial {} in force from index {} / status {}",
          service,
          change.serial(),
          change.effectiveIndex(),
          change.effectiveStatusSequence());
    } catch (GovernanceException e) {
      refused.incrementAndGet();
      LOG.error(
          "{}: policy change {}@{} (serial {}) refused: {}",
          service,
          topic.name(),
          r.offset(),
          change.serial(),
          e.getMessage());
    }
  }

  /** Records on the topic that were not a verifying policy change. */
  public long refused() {
    return refused.get();
  }

  /** The holder this follower advances. */
  public PolicyHolder holder() {
    return holder;
  }

  @Override
  public void close() {
    holder.refresher(() -> {});
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      consumer.close(Duration.ofSeconds(5));
    } else {
      consumer.wakeup();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
