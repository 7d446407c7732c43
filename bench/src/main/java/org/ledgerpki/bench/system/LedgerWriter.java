package org.ledgerpki.bench.system;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;

/**
 * Writes a synthetic ledger ({@link SyntheticLedger}) to the {@code p3.*} topics, as the inquiry
 * benchmark's node reads it.
 */
final class LedgerWriter {
  /** The topic prefix of the benchmark's ledger. */
  static final String PREFIX = "p3.";

  private LedgerWriter() {}

  record Plan(long lastLandmarkSize, long checkpointEvery, int checkpoints, int landmarks) {}

  /**
   * Writes the entries, then a cosigned checkpoint every 1,000 entries (and at the end), then a
   * cosigned landmark every tenth of the log except the last tenth, whose certificates therefore
   * only have the standalone form.
   */
  static Plan publish(
      SyntheticLedger ledger, String bootstrap, String registry, Consumer<String> say)
      throws Exception {
    long t = System.nanoTime();
    long size = ledger.size();
    long every = Math.max(1, Math.min(1000, size / 20));
    long landmarkEvery = Math.max(every, (size / 10) / every * every);
    int checkpoints = 0;
    int landmarks = 0;
    long lastLandmark = 0;
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry);
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Topics topics = Topics.create(TopicSettings.defaults().withPrefix(PREFIX), serdes);
      new TopicProvisioner(admin, Duration.ofSeconds(60)).ensure(topics);
      AtomicReference<Exception> failed = new AtomicReference<>();
      Callback cb =
          (md, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          };
      try (var entries = producer(bootstrap, topics.entries());
          var cosigned = producer(bootstrap, topics.cosigned());
          var lms = producer(bootstrap, topics.landmarks())) {
        for (long i = 0; i < size; i++) {
          entries.send(
              new ProducerRecord<>(topics.entries().name(), ledger.origin(), ledger.entry(i)), cb);
        }
        entries.flush();
        long now = Instant.now().getEpochSecond();
        long previous = 0;
        for (long cp = every; previous < size; cp = Math.min(size, cp + every)) {
          cosigned.send(
              new ProducerRecord<>(
                  topics.cosigned().name(), ledger.origin(), ledger.cosigned(previous, cp, now)),
              cb);
          checkpoints++;
          previous = cp;
        }
        cosigned.flush();
        for (long lm = landmarkEvery; lm <= size - landmarkEvery; lm += landmarkEvery) {
          landmarks++;
          lms.send(
              new ProducerRecord<>(
                  topics.landmarks().name(),
                  ledger.origin(),
                  ledger.landmark(landmarks, lastLandmark, lm)),
              cb);
          lastLandmark = lm;
        }
        lms.flush();
      }
      if (failed.get() != null) {
        throw new IllegalStateException("writing the ledger failed", failed.get());
      }
    }
    say.accept(
        String.format(
            Locale.ROOT,
            "wrote %d entries, %d cosigned checkpoints (every %d entries) and %d cosigned landmarks"
                + " (every %d, the last at %d) to the %s* topics in %.1f s",
            size,
            checkpoints,
            every,
            landmarks,
            landmarkEvery,
            lastLandmark,
            PREFIX,
            (System.nanoTime() - t) / 1e9));
    return new Plan(lastLandmark, every, checkpoints, landmarks);
  }

  private static <V> KafkaProducer<String, V> producer(String bootstrap, Topic<String, V> topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }
}
