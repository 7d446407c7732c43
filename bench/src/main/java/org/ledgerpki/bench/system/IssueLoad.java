package org.ledgerpki.bench.system;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Submission;

/**
 * The ISSUE submissions of the revocation benchmark: the certificates, the admission of the targets
 * and the steady background of new submissions.
 */
final class IssueLoad {
  private IssueLoad() {}

  /** New ISSUE submissions at a fixed rate, in signed batches every 100 ms. */
  static final class Background implements Runnable {
    final KafkaProducer<String, Submission> producer;
    final Topics topics;
    final BatchSigner signer;
    final List<byte[]> certs;
    final double rate;
    final AtomicInteger sent = new AtomicInteger();
    volatile boolean running = true;
    volatile long startedAt = System.nanoTime();

    Background(
        KafkaProducer<String, Submission> producer,
        Topics topics,
        BatchSigner signer,
        List<byte[]> certs,
        double rate) {
      this.producer = producer;
      this.topics = topics;
      this.signer = signer;
      this.certs = certs;
      this.rate = rate;
    }

    @Override
    public void run() {
      startedAt = System.nanoTime();
      if (rate <= 0) {
        return;
      }
      int next = 0;
      long tick = 0;
      while (running && next < certs.size()) {
        long due = startedAt + tick * 100_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000);
          } catch (InterruptedException e) {
            return;
          }
        }
        tick++;
        int target = (int) Math.min(certs.size(), Math.round(rate * tick / 10.0));
        if (target > next) {
          List<byte[]> batch = certs.subList(next, target);
          for (Submissions.Keyed k : Submissions.issue(signer, batch, Instant.now())) {
            producer.send(
                new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission()));
          }
          sent.addAndGet(batch.size());
          next = target;
        }
      }
    }

    void stop() {
      running = false;
    }
  }

  static KafkaProducer<String, Submission> producer(EmbeddedKafka kafka, Topics topics) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    return new KafkaProducer<>(
        p,
        topics.submissions().keySerde().serializer(),
        topics.submissions().valueSerde().serializer());
  }

  static void sendIssues(
      KafkaProducer<String, Submission> producer,
      Topics topics,
      BatchSigner signer,
      List<byte[]> certs)
      throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < certs.size(); i += 256) {
      for (Submissions.Keyed k :
          Submissions.issue(
              signer, certs.subList(i, Math.min(certs.size(), i + 256)), Instant.now())) {
        sent.add(
            producer.send(
                new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission())));
      }
    }
    for (Future<RecordMetadata> f : sent) {
      f.get();
    }
  }

  static List<byte[]> generate(SignatureAlgorithm algorithm, int n, String name) {
    List<byte[]> out = new ArrayList<>(n);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      out.add(
          Certificates.der(
              new CertificateBuilder()
                  .subject("CN=" + name + "-" + i + ".bench,O=Vendor A")
                  .keyPair(Keys.generate(algorithm))
                  .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                  .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                  .build()));
    }
    return out;
  }
}
