package org.ledgerpki.client;

import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.config.Settings;

/** Submits certificates as a member organisation: batch-signed ISSUE submissions, acks=all. */
public final class SubmissionClient {
  /** Certificates signed together under one batch signature. */
  public static final int BATCH = 256;

  private SubmissionClient() {}

  /** What a submission run did. */
  public record Result(int submitted, String topic, double seconds) {}

  /** A progress callback: how many of the total the broker has acknowledged. */
  public interface Progress {
    void update(long done, long total);
  }

  /**
   * Signs and produces one ISSUE submission per certificate; returns once the broker acknowledged
   * all of them (acks=all, idempotent).
   */
  public static Result submit(
      String org,
      KeyPair key,
      List<byte[]> certificates,
      String bootstrap,
      String registry,
      String prefix,
      Progress progress)
      throws Exception {
    long start = System.nanoTime();
    BatchSigner signer = new BatchSigner(org, key.getPrivate(), key.getPublic());
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry)) {
      Topics topics = topics(prefix, serdes);
      try (KafkaProducer<String, Submission> producer = producer(bootstrap, topics)) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i += BATCH) {
          List<byte[]> batch = certificates.subList(i, Math.min(certificates.size(), i + BATCH));
          for (Submissions.Keyed k : Submissions.issue(signer, batch, Instant.now())) {
            sent.add(
                producer.send(
                    new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission())));
          }
        }
        int done = 0;
        for (Future<RecordMetadata> f : sent) {
          f.get();
          done++;
          if (progress != null) {
            progress.update(done, sent.size());
          }
        }
        return new Result(
            certificates.size(), topics.submissions().name(), (System.nanoTime() - start) / 1e9);
      }
    }
  }

  /**
   * Signs {@code builders} (lifecycle requests: REVOKE, SUSPEND, RESUME, RENEW) as one batch of
   * {@code org} and produces them; returns the keyed submissions once the broker acknowledged all
   * of them (acks=all, idempotent).
   */
  public static List<Submissions.Keyed> submitSigned(
      String org,
      KeyPair key,
      List<Submission.Builder> builders,
      String bootstrap,
      String registry,
      String prefix)
      throws Exception {
    BatchSigner signer = new BatchSigner(org, key.getPrivate(), key.getPublic());
    List<Submissions.Keyed> signed = Submissions.sign(signer, builders);
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry)) {
      Topics topics = topics(prefix, serdes);
      try (KafkaProducer<String, Submission> producer = producer(bootstrap, topics)) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Submissions.Keyed k : signed) {
          sent.add(
              producer.send(
                  new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission())));
        }
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
      }
    }
    return signed;
  }

  private static Topics topics(String prefix, LedgerSerdes serdes) {
    return Topics.create(TopicSettings.defaults().withPrefix(prefix == null ? "" : prefix), serdes);
  }

  /**
   * A producer of signed submissions (acks=all, idempotent); fails fast if the topic is missing.
   */
  private static KafkaProducer<String, Submission> producer(String bootstrap, Topics topics) {
    Properties p = new Properties();
    // Client settings (TLS, SASL) from LEDGERPKI_KAFKA_* variables; the delivery settings win.
    p.putAll(Settings.kafkaClientProperties(System.getenv()));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A loaded cluster with mutual TLS can take well over 15 s to answer the first metadata
    // request.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    // A bulk submission to a loaded cluster (a broker failing over, a host with more work than
    // cores) can wait over a minute for one batch to be acknowledged: give it three (Kafka's
    // default is two) before the submission is reported as failed.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    KafkaProducer<String, Submission> producer =
        new KafkaProducer<>(
            p,
            topics.submissions().keySerde().serializer(),
            topics.submissions().valueSerde().serializer());
    try {
      requireTopic(producer, topics.submissions().name(), bootstrap);
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
    return producer;
  }

  /** Fails fast, with a message that says what to check, if the topic does not exist. */
  private static void requireTopic(KafkaProducer<?, ?> producer, String topic, String bootstrap) {
    try {
      producer.partitionsFor(topic);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " not found on "
              + bootstrap
              + " within 30 s: it does not exist there, or the brokers did not answer (is the"
              + " consortium running there, and is the topic prefix right?)",
          e);
    }
  }
}
