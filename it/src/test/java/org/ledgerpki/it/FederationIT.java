package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * Federation (docs/federation.md): the consortium's cluster, and an operator's own cluster fed by
 * Kafka's MirrorMaker 2 through {@code ledgerpki run mirror} (its own JVM, as an operator runs it),
 * with an inquiry node on each. The same certificate's answers from both edges verify offline with
 * the same trust bundle; a revocation reaches the mirrored edge, and the time it takes is measured;
 * and records the mirror forges are refused on arrival: they never become an answer, and they delay
 * no real record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {
  private static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();

  /** Revocations timed in {@link #revocationLatencyAtTheMirroredEdge()}. */
  private static final int REVOCATIONS = Integer.getInteger("federation.revocations", 20);

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static KafkaFixture consortiumKafka;
  static EmbeddedKafka operatorKafka;
  static GeneratedConsortium g;
  static TrustPolicy policy;
  static LocalConsortium services;
  static LocalConsortium.Connection conn;
  static LocalConsortium.Connection mirrorConn;
  static JvmService mirror;
  static JvmService consortiumNode;
  static JvmService mirroredNode;
  static String consortiumEdge;
  static String mirroredEdge;
  static StatusVerifier verifier;
  static final HttpClient http = HttpClient.newHttpClient();
  static int serial = 600;

  @BeforeAll
  static void start() throws Exception {
    consortiumKafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("federation");
    g = GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    ConsortiumFiles files = new ConsortiumFiles(dir.resolve("consortium"));
    policy = files.write(g.log(), g.members(), g.document());
    conn =
        new LocalConsortium.Connection(
            consortiumKafka.bootstrapServers(),
            consortiumKafka.registryUrl(),
            prefix,
            dir.resolve("state"));
    services =
        LocalConsortium.start(conn, files.policy(), g.log(), g.members(), Duration.ofSeconds(120));
    verifier =
        new StatusVerifier(TrustBundle.parse(Files.readString(files.trust())), Duration.ZERO);

    // The operator's own cluster, and MirrorMaker 2 feeding it, as docs/federation.md runs it.
    operatorKafka = EmbeddedKafka.builder().dataDir(dir.resolve("operator-kafka")).start();
    Path launcherJar = HOME.resolve("launcher/target/ledgerpki.jar");
    assertThat(launcherJar)
        .as("the launcher is packaged before the integration tests run")
        .exists();
    mirror =
        JvmService.start(
            "ledgerpki-run-mirror",
            Files.createDirectories(dir.resolve("mirror-cli")),
            List.of("-Xmx128m"),
            List.of(launcherJar.toString()),
            "org.ledgerpki.launcher.LedgerPki",
            List.of(
                "run",
                "mirror",
                "--from",
                consortiumKafka.bootstrapServers(),
                "--to",
                operatorKafka.bootstrapServers(),
                "--topics-prefix",
                prefix,
                "--replication-factor",
                "1",
                "--work-dir",
                dir.resolve("mirror").toString()),
            Map.of("LEDGERPKI_MIRROR_HEAP", "384m"),
            dir.resolve("mirror.log"));
    // The mirrored edge reads only the operator's cluster; the records' schema ids are the
    // consortium registry's, so it decodes them with that registry (docs/federation.md).
    mirrorConn =
        new LocalConsortium.Connection(
            operatorKafka.bootstrapServers(),
            consortiumKafka.registryUrl(),
            prefix,
            dir.resolve("state-operator"));

    Path jar = HOME.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the inquiry node is built before the it module").isRegularFile();
    int p1 = JvmService.freeLoopbackPort();
    int p2 = JvmService.freeLoopbackPort();
    consortiumNode = node("edge-consortium", jar, conn, files.policy(), p1);
    mirroredNode = node("edge-operator", jar, mirrorConn, files.policy(), p2);
    consortiumEdge = "http://127.0.0.1:" + p1;
    mirroredEdge = "http://127.0.0.1:" + p2;
    for (JvmService n : List.of(consortiumNode, mirroredNode)) {
      String url = n == consortiumNode ? consortiumEdge : mirroredEdge;
      assertThat(n.awaitHttpOk(URI.create(url + "/q/health/ready"), Duration.ofSeconds(180)))
          .as(
              "inquiry node at %s ready; its log:\n%s\nthe mirror's log:\n%s",
              url, n.logTail(40), mirror.logTail(60))
          .isTrue();
    }
  }

  private static JvmService node(
      String name, Path jar, LocalConsortium.Connection c, Path policyFile, int port)
      throws IOException {
    return InquiryNodeProcess.start(
        name,
        jar,
        c,
        policyFile,
        dir.resolve(name + "-store"),
        port,
        List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
        dir.resolve(name + "-jvm"),
        dir.resolve(name + ".log"));
  }

  @AfterAll
  static void stop() {
    for (JvmService s : Arrays.asList(consortiumNode, mirroredNode, mirror)) {
      if (s != null) {
        s.close();
      }
    }
    if (operatorKafka != null) {
      operatorKafka.close();
    }
    if (services != null) {
      services.close();
    }
  }

  private static KeyPair submissionKey(String org) {
    return g.members().stream()
        .filter(m -> m.id().equals(org))
        .findFirst()
        .map(MemberKeys::submission)
        .orElseThrow();
  }

  private static TestPki.Vendor newCertificate(String name) {
    return TestPki.vendor(
        SignatureAlgorithm.ECDSA_P256,
        policy.member("vendor-a").orElseThrow().organization(),
        name,
        serial++);
  }

  private static void issue(List<byte[]> certs) throws Exception {
    SubmissionClient.submit(
        "vendor-a",
        submissionKey("vendor-a"),
        certs,
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
  }

  private static void revoke(byte[] cert) throws Exception {
    SubmissionClient.submitSigned(
        "vendor-a",
        submissionKey("vendor-a"),
        List.of(
            Submissions.lifecycle(
                "vendor-a",
                Operation.REVOKE,
                Sha256.hash(cert),
                Lifecycle.REASON_KEY_COMPROMISE,
                null)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
  }

  /** The edge's answer for {@code cert}, or null when it has none (not 200). */
  private static StatusAnswer ask(String edge, byte[] cert) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(edge + "/v1/status/" + Hex.encode(Sha256.hash(cert))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? StatusAnswer.fromJson(r.body()) : null;
  }

  /** Waits until {@code edge} answers {@code status} for {@code cert}; returns it verified. */
  private static StatusVerifier.Verified await(String edge, byte[] cert, String status)
      throws Exception {
    Instant deadline = Instant.now().plus(TIMEOUT);
    StatusAnswer a = null;
    while (Instant.now().isBefore(deadline)) {
      a = ask(edge, cert);
      if (a != null && status.equals(a.status())) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(a).as("an answer from %s", edge).isNotNull();
    assertThat(a.status()).as("status at %s", edge).isEqualTo(status);
    StatusVerifier.Verified v = verifier.verify(a, cert, Instant.now());
    assertThat(v.status()).isEqualTo(status);
    assertThat(v.ledgerCertificateSha256()).isEqualTo(Hex.encode(Sha256.hash(cert)));
    return v;
  }

  @Test
  @Order(1)
  void theSameCertificateVerifiesAtBothEdgesAndItsRevocationReachesTheMirror() throws Exception {
    byte[] amf = newCertificate("amf-fed").der();
    issue(List.of(amf));
    StatusVerifier.Verified atConsortium = await(consortiumEdge, amf, "GOOD");
    StatusVerifier.Verified atMirror = await(mirroredEdge, amf, "GOOD");
    // The same entry of the same log, proven against checkpoints the same cosigners signed.
    assertThat(atMirror.origin()).isEqualTo(atConsortium.origin());
    assertThat(atMirror.index()).isEqualTo(atConsortium.index());
    assertThat(atMirror.entryHash()).isEqualTo(atConsortium.entryHash());

    revoke(amf);
    for (String edge : List.of(consortiumEdge, mirroredEdge)) {
      StatusVerifier.Verified v = await(edge, amf, "REVOKED");
      assertThat(v.index()).isEqualTo(atConsortium.index());
      assertThat(v.event().reasonCode()).isEqualTo(Lifecycle.REASON_KEY_COMPROMISE);
      assertThat(v.event().certificateSha256()).isEqualTo(Sha256.hash(amf));
    }
    // The mirror copied the ledger: the operator's cluster holds the topics under their names,
    // and not the issuance stream's internal sequencing topics.
    Topics topics =
        Topics.create(
            TopicSettings.defaults().withPrefix(conn.topicPrefix()), LedgerSerdes.inMemory());
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", operatorKafka.bootstrapServers()))) {
      var names = admin.listTopics().names().get();
      assertThat(names)
          .contains(
              topics.entries().name(),
              topics.status().name(),
              topics.cosigned().name(),
              topics.landmarks().name(),
              topics.decisions().name(),
              topics.checkpoints().name())
          .doesNotContain(topics.sequence().name(), topics.statusSequence().name());
    }
    // Byte for byte: the mirrored records are the consortium's, schema ids included, so the
    // mirrored edge decodes them with the consortium's registry (docs/federation.md).
    java.util.Set<Integer> schemaIds = new java.util.TreeSet<>();
    for (var t :
        List.of(
            topics.entries(),
            topics.status(),
            topics.cosigned(),
            topics.landmarks(),
            topics.decisions())) {
      // The mirror first: checkpoints keep coming (heartbeats), so what it holds is a prefix of
      // what the consortium holds a moment later.
      List<String> copied =
          rawValues(operatorKafka.bootstrapServers(), t.name()).stream().map(Hex::encode).toList();
      List<String> original =
          rawValues(conn.bootstrap(), t.name()).stream().map(Hex::encode).toList();
      if (t != topics.landmarks()) {
        // (No landmark is due yet: the landmark interval is an hour.)
        assertThat(copied).as("the mirrored %s", t.name()).isNotEmpty();
      }
      assertThat(original.subList(0, Math.min(copied.size(), original.size())))
          .as("the mirrored %s, record by record", t.name())
          .containsExactlyElementsOf(copied);
      for (String hex : copied) {
        byte[] v = Hex.decode(hex);
        assertThat(v[0]).as("Confluent framing's magic byte").isZero();
        schemaIds.add(ByteBuffer.wrap(v, 1, 4).getInt());
      }
    }
    System.out.println(
        "federation: the mirrored edge's five topics carry "
            + schemaIds.size()
            + " schema ids of the consortium's registry: "
            + schemaIds);
    // And wrote nothing to the consortium's cluster: no internal topics, no heartbeats there.
    assertThat(consortiumKafka.admin().listTopics().names().get())
        .noneMatch(n -> n.startsWith("mm2-") || n.equals("heartbeats"));
  }

  /** Every committed record value of {@code topic} on the cluster at {@code bootstrap}, raw. */
  private static List<byte[]> rawValues(String bootstrap, String topic) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        parts.add(new TopicPartition(pi.topic(), pi.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      Instant deadline = Instant.now().plus(TIMEOUT);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }

  @Test
  @Order(2)
  void revocationLatencyAtTheMirroredEdge() throws Exception {
    List<byte[]> certs = new ArrayList<>();
    for (int i = 0; i < REVOCATIONS; i++) {
      certs.add(newCertificate("nf-fed-" + i).der());
    }
    issue(certs);
    for (byte[] c : certs) {
      await(mirroredEdge, c, "GOOD");
    }
    List<Long> mirrored = new ArrayList<>();
    List<Long> consortium = new ArrayList<>();
    for (byte[] c : certs) {
      revoke(c);
      // From the revocation acknowledged by the consortium cluster to a REVOKED answer that
      // verifies, at each edge; both edges are polled in the same loop.
      long t0 = System.nanoTime();
      long atMirror = -1;
      long atConsortium = -1;
      long deadline = t0 + TIMEOUT.toNanos();
      while ((atMirror < 0 || atConsortium < 0) && System.nanoTime() < deadline) {
        if (atMirror < 0 && revokedAndVerified(mirroredEdge, c)) {
          atMirror = System.nanoTime() - t0;
        }
        if (atConsortium < 0 && revokedAndVerified(consortiumEdge, c)) {
          atConsortium = System.nanoTime() - t0;
        }
        Thread.sleep(10);
      }
      assertThat(atMirror)
          .as("a verified REVOKED at the mirrored edge within %s", TIMEOUT)
          .isPositive();
      assertThat(atConsortium)
          .as("a verified REVOKED at the consortium edge within %s", TIMEOUT)
          .isPositive();
      mirrored.add(atMirror / 1_000_000);
      consortium.add(atConsortium / 1_000_000);
    }
    // What the mirror adds: each revocation's time at the mirrored edge less its time at the
    // consortium edge (negative when the mirrored edge answered first within the poll).
    List<Long> added = new ArrayList<>();
    for (int i = 0; i < mirrored.size(); i++) {
      added.add(mirrored.get(i) - consortium.get(i));
    }
    String report =
        String.format(
            Locale.ROOT,
            "federation: %d revocations, one at a time; revocation acknowledged -> verified"
                + " REVOKED: mirrored edge p50 %d ms p99 %d ms max %d ms; consortium edge p50 %d"
                + " ms p99 %d ms max %d ms; mirrored minus consortium, per revocation: p50 %d ms"
                + " p99 %d ms",
            REVOCATIONS,
            percentile(mirrored, 50),
            percentile(mirrored, 99),
            percentile(mirrored, 100),
            percentile(consortium, 50),
            percentile(consortium, 99),
            percentile(consortium, 100),
            percentile(added, 50),
            percentile(added, 99));
    System.out.println(report);
    Files.writeString(
        HOME.resolve("it/target/federation-latency.txt"),
        report
            + "\nmirrored ms: "
            + mirrored
            + "\nconsortium ms: "
            + consortium
            + "\nload average at the end: "
            + (Files.isReadable(Path.of("/proc/loadavg"))
                ? Files.readString(Path.of("/proc/loadavg")).strip()
                : "unknown")
            + "\n");
  }

  private static boolean revokedAndVerified(String edge, byte[] cert) throws Exception {
    StatusAnswer a = ask(edge, cert);
    if (a == null || !"REVOKED".equals(a.status())) {
      return false;
    }
    return verifier.verify(a, cert, Instant.now()).status().equals("REVOKED");
  }

  /** Nearest-rank percentile. */
  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  @Test
  @Order(3)
  void recordsOfAnAbortedTransactionAreNotMirrored() throws Exception {
    Topics topics =
        Topics.create(
            TopicSettings.defaults().withPrefix(conn.topicPrefix()), LedgerSerdes.inMemory());
    String topic = topics.dlq().name();
    byte[] aborted = "aborted".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] committed = "committed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, conn.bootstrap());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "federation-it-" + conn.topicPrefix());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, aborted)).get();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, committed)).get();
      producer.commitTransaction();
    }
    // On the operator's cluster, read everything MirrorMaker 2 wrote (read_uncommitted) until
    // the committed record, written after the aborted one, arrives: the barrier.
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, operatorKafka.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      Instant deadline = Instant.now().plus(TIMEOUT);
      while (parts.isEmpty() && Instant.now().isBefore(deadline)) {
        for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
          parts.add(new TopicPartition(pi.topic(), pi.partition()));
        }
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (!seen.contains("committed") && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(new String(r.value(), java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
    }
    assertThat(seen).as("the mirrored %s", topic).contains("committed").doesNotContain("aborted");
  }

  /**
   * A writer without keys (a dishonest mirror, or anyone with write access to the operator's
   * cluster) forges, straight into the mirrored topics, an entry at the log's next index and a
   * revocation of a GOOD certificate at the next status sequence number, both before the real
   * records of those positions exist. Neither carries the log's signature (ADR 0012): the mirrored
   * edge refuses both on arrival and holds nothing of them, so the real entry and the real
   * revocation that then take those positions are served as soon as they are cosigned. Before the
   * log signed its records, the forged entry stalled the mirrored edge's log for good (no newer
   * checkpoint matched its tree again), and the forged event sat beside the real one until the
   * cosigned checkpoint decided between them.
   */
  @Test
  @Order(4)
  void recordsForgedIntoTheMirrorAreRefusedOnArrivalAndDelayNothing() throws Exception {
    byte[] victim = newCertificate("upf-fed").der();
    byte[] barrier = newCertificate("nrf-fed").der();
    issue(List.of(victim, barrier));
    StatusVerifier.Verified good = await(mirroredEdge, victim, "GOOD");
    await(mirroredEdge, barrier, "GOOD");
    assertThat(unsignedRecords(consortiumEdge)).as("refused at the consortium edge").isZero();
    assertThat(unsignedRecords(mirroredEdge)).as("refused at the mirrored edge").isZero();

    // The last entry and status event the consortium sequenced: the forgeries take the next ones.
    Topics topics;
    long nextIndex;
    long next;
    byte[] mallory = newCertificate("mallory-fed").der();
    try (LedgerSerdes serdes = LedgerSerdes.registry(conn.registryUrl())) {
      topics = Topics.create(TopicSettings.defaults().withPrefix(conn.topicPrefix()), serdes);
      LedgerEntry lastEntry;
      try (LedgerReader<LedgerEntry> reader =
          new LedgerReader<>(conn.bootstrap(), topics.entries())) {
        List<LedgerEntry> entries = reader.untilEnd(TIMEOUT);
        lastEntry = entries.get(entries.size() - 1);
      }
      StatusEntry last;
      try (LedgerReader<StatusEntry> reader =
          new LedgerReader<>(conn.bootstrap(), topics.status())) {
        List<StatusEntry> events = reader.untilEnd(TIMEOUT);
        assertThat(events).as("the earlier tests' revocations").isNotEmpty();
        last = events.get(events.size() - 1);
      }
      nextIndex = lastEntry.getIndex() + 1;
      next = last.getSequence() + 1;
      // An entry for a certificate no validator saw, at the next index: built as the log builds
      // one, but without the log's key it cannot be signed.
      LedgerEntry forgedEntry =
          LedgerEntry.newBuilder()
              .setOrigin(lastEntry.getOrigin())
              .setLogNumber(lastEntry.getLogNumber())
              .setIndex(nextIndex)
              .setEntry(
                  ByteBuffer.wrap(
                      TbsCertificateLogEntry.fromSubmittedCertificate(mallory, policy.log().caId())
                          .toMtcLogEntry(List.of())
                          .encode()))
              .setCertificate(ByteBuffer.wrap(mallory))
              .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(mallory)))
              .setSubmissionId("forged")
              .setSubmitter("vendor-a")
              .setEvidence(List.of())
              .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build();
      byte[] hash = Sha256.hash(victim);
      byte[] spkiHash = Sha256.hash(spki(victim));
      StatusEvent forged =
          new StatusEvent(
              next,
              good.entryHash(),
              spkiHash,
              hash,
              CertificateState.REVOKED,
              Lifecycle.Operation.REVOKE,
              Lifecycle.REASON_KEY_COMPROMISE,
              System.currentTimeMillis(),
              null);
      StatusEntry forgedEvent =
          StatusEntry.newBuilder(last)
              .setSequence(next)
              .setEvent(ByteBuffer.wrap(forged.encode()))
              .setCertificateSha256(ByteBuffer.wrap(hash))
              .setOperation(Operation.REVOKE)
              .setReasonCode(Lifecycle.REASON_KEY_COMPROMISE)
              .build();
      forgedEvent.setLogSignature(null); // the copy's signature was the log's, of another event
      // Written straight into the operator's cluster, as a dishonest mirror (or anyone with write
      // access to it) would.
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, operatorKafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, LedgerEntry> producer =
          new KafkaProducer<>(
              p,
              topics.entries().keySerde().serializer(),
              topics.entries().valueSerde().serializer())) {
        producer
            .send(new ProducerRecord<>(topics.entries().name(), last.getOrigin(), forgedEntry))
            .get();
      }
      try (KafkaProducer<String, StatusEntry> producer =
          new KafkaProducer<>(
              p,
              topics.status().keySerde().serializer(),
              topics.status().valueSerde().serializer())) {
        producer
            .send(new ProducerRecord<>(topics.status().name(), last.getOrigin(), forgedEvent))
            .get();
      }
    }

    // The mirrored edge reads both forgeries before any real record of their positions exists,
    // and refuses both, counted: the barrier.
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (unsignedRecords(mirroredEdge) < 2 && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(unsignedRecords(mirroredEdge))
        .as("records the mirrored edge refused for want of the log's signature")
        .isEqualTo(2);
    assertThat(ask(mirroredEdge, mallory))
        .as("the forged entry is not held, not even as pending")
        .isNull();

    // The real records of those positions: a certificate admitted at the consortium takes the
    // index of the forged entry, and a revocation of the barrier the sequence of the forged event.
    // The mirrored edge serves both, verified: nothing of the forgeries stands in their way.
    byte[] real = newCertificate("smf-fed").der();
    issue(List.of(real));
    revoke(barrier);
    StatusVerifier.Verified admitted = await(mirroredEdge, real, "GOOD");
    assertThat(admitted.index())
        .as("the real entry at the forged entry's index")
        .isEqualTo(nextIndex);
    StatusVerifier.Verified revoked = await(mirroredEdge, barrier, "REVOKED");
    assertThat(revoked.event().sequence()).isEqualTo(next);
    await(consortiumEdge, barrier, "REVOKED");
    // Never held, the forged event never met the real one: no conflict for the checkpoint to
    // decide.
    assertThat(Files.readAllLines(mirroredNode.logFile()))
        .as("the mirrored edge's log")
        .noneMatch(line -> line.contains("different status events with sequence " + next));

    // The victim stays GOOD, verified, at both edges; the forged entry is still not served; the
    // consortium edge, which reads the honest cluster, refused nothing.
    StatusVerifier.Verified stillGood = await(mirroredEdge, victim, "GOOD");
    assertThat(stillGood.checkpoint().checkpoint().size())
        .isGreaterThanOrEqualTo(revoked.checkpoint().checkpoint().size());
    await(consortiumEdge, victim, "GOOD");
    assertThat(ask(mirroredEdge, mallory)).as("the forged entry, later").isNull();
    assertThat(unsignedRecords(consortiumEdge)).as("refused at the consortium edge").isZero();
    assertThat(unsignedRecords(mirroredEdge))
        .as("refused at the mirrored edge, later")
        .isEqualTo(2);
  }

  /**
   * The node's count of entries and status events refused for want of their log's valid signature
   * ({@code ledgerpki_inquiry_unsigned_records_total} in {@code /q/metrics}).
   */
  private static long unsignedRecords(String edge) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(edge + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s/q/metrics", edge).isEqualTo(200);
    String name = "ledgerpki_inquiry_unsigned_records_total ";
    return r.body()
        .lines()
        .filter(l -> l.startsWith(name))
        .map(l -> (long) Double.parseDouble(l.substring(name.length()).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(edge + "/q/metrics has no " + name.strip()));
  }

  private static byte[] spki(byte[] der) throws Exception {
    return java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(der))
        .getPublicKey()
        .getEncoded();
  }
}
