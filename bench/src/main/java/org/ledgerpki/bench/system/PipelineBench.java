package org.ledgerpki.bench.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.EmbeddedRegistry;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * P2: the whole pipeline on the embedded broker (three validators, the issuance stream, three
 * cosigners and the aggregator in this JVM; the broker and registry in child JVMs). It submits N
 * certificates at full speed and measures, per certificate, the time from submission until a
 * cosigned checkpoint covers it; in the same run it measures Kafka's raw rate for records of the
 * same size, the signature work per certificate, and the Kafka records each certificate cost, by
 * topic ({@link TopicRecords}).
 */
public final class PipelineBench {
  private final int count;
  private final SignatureAlgorithm algorithm;
  private final Path work;
  private final String checkpointInterval;
  private final Map<String, String> serviceSettings;

  public PipelineBench(int count, SignatureAlgorithm algorithm, Path work) {
    this(count, algorithm, work, "200ms", Map.of());
  }

  /**
   * @param checkpointInterval the generated policy's {@code checkpoints.interval}
   * @param serviceSettings settings given to every service of the consortium (see {@link
   *     BenchServiceSettings#of})
   */
  PipelineBench(
      int count,
      SignatureAlgorithm algorithm,
      Path work,
      String checkpointInterval,
      Map<String, String> serviceSettings) {
    this.count = count;
    this.algorithm = algorithm;
    this.work = work;
    this.checkpointInterval = checkpointInterval;
    this.serviceSettings = serviceSettings;
  }

  private static void say(String fmt, Object... args) {
    System.out.printf(Locale.ROOT, fmt + "%n", args);
  }

  public void run() throws Exception {
    say(
        "P2 pipeline benchmark: %d %s certificates, %d cores, JDK %s",
        count,
        algorithm.configName(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    say("%s", BenchServiceSettings.describe(serviceSettings, checkpointInterval));
    List<byte[]> certs = generate();
    GeneratedConsortium gc =
        GeneratedConsortium.generate(
            "bench",
            List.of("vendor-a", "operator-b", "operator-c"),
            "32473.1",
            2,
            2,
            "seed",
            checkpointInterval,
            "1h");
    TrustPolicy policy = TrustPolicyReader.of(gc.document(), "bench");
    Path policyFile = work.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    try (EmbeddedKafka kafka =
            EmbeddedKafka.builder().dataDir(work.resolve("kafka")).heap("1g").start();
        EmbeddedRegistry registry = EmbeddedRegistry.start()) {
      Map<String, Double> ceiling = rawKafka(kafka.bootstrapServers(), certs, gc, registry.url());
      new ValidatorAloneBench(work.resolve("state-validator"))
          .run(kafka.bootstrapServers(), registry.url(), policyFile, gc, certs);
      String prefix = "p2.";
      LocalConsortium.Connection conn =
          new LocalConsortium.Connection(
              kafka.bootstrapServers(), registry.url(), prefix, work.resolve("state"));
      try (LocalConsortium services =
              LocalConsortium.start(
                  conn,
                  policyFile,
                  gc.log(),
                  gc.members(),
                  EnumSet.allOf(LocalConsortium.Service.class),
                  serviceSettings,
                  Duration.ofSeconds(120));
          LedgerSerdes serdes = LedgerSerdes.registry(registry.url())) {
        Topics topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
        Observer observer = new Observer(kafka.bootstrapServers(), topics);
        Thread observe = new Thread(observer, "p2-observer");
        observe.start();
        TopicRecords records = new TopicRecords(kafka.bootstrapServers());
        Map<TopicPartition, Long> offsetsBefore = records.endOffsets();
        long cpuBefore = processCpuNanos();
        long brokerCpuBefore = childCpuNanos(kafka);
        long start = System.nanoTime();
        MemberKeys a = gc.members().get(0);
        Map<String, Long> submittedAt = observer.submittedAt;
        for (int i = 0; i < certs.size(); i += 2000) {
          List<byte[]> slice = certs.subList(i, Math.min(certs.size(), i + 2000));
          long t = System.nanoTime();
          for (byte[] der : slice) {
            submittedAt.put(Hex.encode(Sha256.hash(der)), t);
          }
          SubmissionClient.submit(
              "vendor-a",
              a.submission(),
              slice,
              kafka.bootstrapServers(),
              registry.url(),
              prefix,
              null);
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        observer.awaitAll(count, Duration.ofMinutes(10));
        long end = observer.lastCovered;
        long cpu = processCpuNanos() - cpuBefore;
        long brokerCpu = childCpuNanos(kafka) - brokerCpuBefore;
        Map<TopicPartition, Long> offsetsAfter = records.endOffsets();
        observer.stop();
        observe.join();
        double seconds = (end - start) / 1e9;
        Percentiles lat = new Percentiles(observer.latencies());
        say("");
        say(
            "end to end: %d certificates admitted and cosigned in %.1f s (submitting took %.1f s)",
            lat.count(), seconds, submitSeconds);
        say("  sustained rate          %8.0f certificates/s", lat.count() / seconds);
        say(
            "  latency submit→cosigned p50 %6d ms, p99 %6d ms, max %6d ms",
            lat.at(50) / 1_000_000, lat.at(99) / 1_000_000, lat.at(100) / 1_000_000);
        say(
            "  CPU, services JVM       %8.0f µs per certificate (all validators, issuance, cosigners)",
            cpu / 1e3 / count);
        say("  CPU, broker JVM         %8.0f µs per certificate", brokerCpu / 1e3 / count);
        TopicRecords.print(
            records.growth(offsetsBefore, offsetsAfter), count, line -> say("%s", line));
        say("machine ceiling, same run:");
        say(
            "  Kafka raw produce       %8.0f records/s (%d-byte records, acks=all, idempotent)",
            ceiling.get("produce"), ceiling.get("bytes").intValue());
        say("  Kafka raw consume       %8.0f records/s", ceiling.get("consume"));
        signatureCost(certs, gc, policy);
      }
    }
  }

  private List<byte[]> generate() {
    long t = System.nanoTime();
    List<byte[]> out = new ArrayList<>(count);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < count; i++) {
      KeyPair kp = Keys.generate(algorithm);
      out.add(
          Certificates.der(
              new CertificateBuilder()
                  .subject("CN=nf-" + i + ".bench,O=Vendor A")
                  .keyPair(kp)
                  .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                  .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                  .build()));
    }
    say(
        "generated %d certificates in %.1f s (not part of the measurement)",
        count, (System.nanoTime() - t) / 1e9);
    return out;
  }

  /** Kafka's own rate for records as big as our submissions: produce then consume. */
  private Map<String, Double> rawKafka(
      String bootstrap, List<byte[]> certs, GeneratedConsortium gc, String registry)
      throws Exception {
    MemberKeys a = gc.members().get(0);
    int size;
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry)) {
      Topics t = Topics.create(TopicSettings.defaults().withPrefix("raw."), serdes);
      Submissions.Keyed k =
          Submissions.issue(
                  new org.ledgerpki.core.evidence.BatchSigner(
                      "vendor-a", a.submission().getPrivate(), a.submission().getPublic()),
                  certs.subList(0, Math.min(256, certs.size())),
                  Instant.now())
              .get(0);
      size = t.submissions().valueSerde().serializer().serialize("raw", k.submission()).length;
    }
    int n = Math.max(50_000, count * 5);
    byte[] value = new byte[size];
    String topic = "raw-ceiling";
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
          .all()
          .get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
      }
      producer.flush();
    }
    double produce = n / ((System.nanoTime() - t0) / 1e9);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    long t1 = System.nanoTime();
    int read = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      while (read < n) {
        read += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    double consume = n / ((System.nanoTime() - t1) / 1e9);
    return Map.of("produce", produce, "consume", consume, "bytes", (double) size);
  }

  /** The signature work one certificate costs across all parties, timed on this machine. */
  private void signatureCost(List<byte[]> certs, GeneratedConsortium gc, TrustPolicy policy)
      throws Exception {
    int reps = Math.min(2000, certs.size());
    List<java.security.cert.X509Certificate> parsed = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      parsed.add(Certificates.parse(certs.get(i)));
    }
    for (int warm = 0; warm < 2; warm++) {
      for (var c : parsed) {
        Certificates.selfSignatureValid(c);
      }
    }
    long t = System.nanoTime();
    for (var c : parsed) {
      Certificates.selfSignatureValid(c);
    }
    double selfSig = (System.nanoTime() - t) / 1e3 / reps;
    KeyPair ed = gc.members().get(1).endorsement();
    byte[] msg = new byte[120];
    byte[] sig = Signatures.defaults().sign(ed.getPrivate(), msg);
    for (int i = 0; i < 2000; i++) {
      Signatures.defaults().verify(ed.getPublic(), msg, sig);
    }
    t = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      Signatures.defaults().verify(ed.getPublic(), msg, sig);
    }
    double edVerify = (System.nanoTime() - t) / 1e3 / 2000;
    t = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      Signatures.defaults().sign(ed.getPrivate(), msg);
    }
    double edSign = (System.nanoTime() - t) / 1e3 / 2000;
    // The log signs each entry and its decision; 3 cosigners and 3 validators check the entry.
    double logRecords = 2 * edSign + 6 * edVerify;
    say("signature work per certificate (measured here):");
    say(
        "  %s self-signature verification: %.0f µs; each of the 3 validators does one: %.0f µs",
        algorithm.configName(), selfSig, 3 * selfSig);
    say(
        "  batch signatures (Ed25519, one per batch of up to 512 verdicts or 256 submissions): verify %.0f µs per batch, amortised < %.1f µs per certificate",
        edVerify, edVerify * 20 / 256);
    say(
        "  the log's signature on each entry and decision (ADR 0012): signing %.0f µs each; 3"
            + " cosigners and 3 validators' ledger views check the entry, %.0f µs each: %.0f µs",
        edSign, edVerify, logRecords);
    say(
        "  total signature work per certificate across all parties ≈ %.0f µs of CPU",
        3 * selfSig + edVerify * 20 / 256 + logRecords);
  }

  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  /** CPU time of the broker's child JVM, from /proc (Linux); 0 elsewhere. */
  private static long childCpuNanos(EmbeddedKafka kafka) {
    try {
      long pid = kafka.pid(1);
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
      long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Follows entries and cosigned checkpoints; records when each certificate becomes covered. */
  static final class Observer implements Runnable {
    final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    final Map<Long, String> byIndex = new HashMap<>();
    final TreeMap<Long, String> uncovered = new TreeMap<>();
    final List<Long> latency = new ArrayList<>();
    final KafkaConsumer<byte[], byte[]> consumer;
    final Topics topics;
    volatile boolean running = true;
    volatile long lastCovered;
    volatile int covered;
    long cosignedSize;

    Observer(String bootstrap, Topics topics) {
      this.topics = topics;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> tps =
          List.of(
              new TopicPartition(topics.entries().name(), 0),
              new TopicPartition(topics.cosigned().name(), 0));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
    }

    @Override
    public void run() {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          if (r.topic().equals(topics.entries().name())) {
            LedgerEntry e =
                topics.entries().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (e.getCertificate() != null) {
              uncovered.put(e.getIndex(), Hex.encode(Evidence.bytes(e.getCertificateSha256())));
            }
          } else {
            CosignedCheckpoint c =
                topics.cosigned().valueSerde().deserializer().deserialize(r.topic(), r.value());
            cosignedSize = Math.max(cosignedSize, c.getSize());
          }
          var head = uncovered.headMap(cosignedSize);
          for (String h : head.values()) {
            Long t = submittedAt.get(h);
            if (t != null) {
              synchronized (latency) {
                latency.add(now - t);
              }
              lastCovered = now;
              covered++;
            }
          }
          head.clear();
        }
      }
      consumer.close();
    }

    void awaitAll(int n, Duration timeout) throws InterruptedException {
      Instant deadline = Instant.now().plus(timeout);
      while (covered < n && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
    }

    long[] latencies() {
      synchronized (latency) {
        return latency.stream().mapToLong(Long::longValue).toArray();
      }
    }

    void stop() {
      running = false;
    }
  }
}
