package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.embedded.KafkaFixtureExtension;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;

/**
 * Two cosign-stream services (m = 2) against a real broker and registry, run through their
 * programmatic API: a log played onto the topics comes back cosigned, with a cosigned landmark.
 */
@ExtendWith(KafkaFixtureExtension.class)
class CosignServiceIT {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private KafkaFixture kafka;
  private ServiceConfig config;
  private Map<String, String> settings;
  private List<String> keys;
  private LedgerSerdes serdes;
  private Topics topics;
  private final List<CosignService> services = new ArrayList<>();

  @BeforeEach
  void start(KafkaFixture fixture) throws Exception {
    kafka = fixture;
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TC.document(2, 2, "seed").toYaml(), StandardCharsets.UTF_8);
    Map<String, String> s = new HashMap<>();
    s.put(ServiceConfig.BOOTSTRAP, kafka.bootstrapServers());
    s.put(ServiceConfig.REGISTRY, kafka.registryUrl());
    s.put(ServiceConfig.POLICY, policy.toString());
    s.put(ServiceConfig.PREFIX, KafkaFixture.uniquePrefix("cosignserviceit"));
    s.put(ServiceConfig.STATE_DIR, dir.resolve("state").toString());
    List<String> keys = new ArrayList<>(ServiceConfig.keys());
    keys.addAll(CosignService.KEYS);
    config = ServiceConfig.from(Settings.load(ServiceConfig.defaults(), null, Map.of(), s, keys));
    settings = s;
    this.keys = keys;
    serdes = config.openSerdes();
    topics = config.topics(serdes);
  }

  @AfterEach
  void stop() {
    services.forEach(CosignService::close);
    serdes.close();
  }

  @Test
  void aLogPlayedOntoTheTopicsComesBackCosignedWithALandmark() throws Exception {
    // vendor-a's serves its health and metrics (as in docker-compose.yml), operator-b's none.
    services.add(CosignService.start(withHttpPort(), TC.member("vendor-a")));
    services.add(CosignService.start(config, TC.member("operator-b")));
    assertThat(services.get(1).ops()).as("no endpoint unless a port is set").isEmpty();
    for (CosignService s : services) {
      assertThat(s.awaitRunning(TIMEOUT)).isTrue();
    }

    TestLedger ledger = new TestLedger();
    ledger.add(4);
    Checkpoint cp = ledger.checkpoint(System.currentTimeMillis());
    try (KafkaProducer<String, LedgerEntry> entries = producer(topics.entries());
        KafkaProducer<String, Checkpoint> checkpoints = producer(topics.checkpoints())) {
      // The checkpoint first: the cosigners park it until the mirror has caught up.
      checkpoints.send(new ProducerRecord<>(topics.checkpoints().name(), cp.getOrigin(), cp)).get();
      for (LedgerEntry e : ledger.entries()) {
        entries.send(new ProducerRecord<>(topics.entries().name(), e.getOrigin(), e)).get();
      }
    }

    CosignedCheckpoint cosigned =
        await(topics.cosigned(), c -> c.getSize() == ledger.size()).get(0);
    assertThat(cosigned.getCosigners()).containsExactly("operator-b", "vendor-a");
    assertThat(
            new CheckpointVerifier(TrustBundle.fromPolicy(config.policy()))
                .verify(cosigned.getNote())
                .cosigners())
        .containsExactlyInAnyOrder(
            TC.member("operator-b").cosignerName(), TC.member("vendor-a").cosignerName());
    assertThat(cosigned.getSubtrees()).allSatisfy(s -> assertThat(s.getSignatures()).hasSize(2));

    List<Landmark> landmarks =
        await(topics.landmarks(), l -> l.getState() == LandmarkState.COSIGNED);
    assertThat(landmarks.get(landmarks.size() - 1).getTreeSize()).isEqualTo(ledger.size());

    // One endpoint answers for vendor-a's cosigner and its aggregator instance.
    int port = services.get(0).ops().orElseThrow().port();
    HttpResponse<String> ready = get(port, "/health/ready");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = get(port, "/health/ready");
    }
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"name\":\"cosigner/vendor-a\"")
        .contains("\"name\":\"aggregator/vendor-a\"");
    String scrape = get(port, "/metrics").body();
    assertThat(
            samples(
                scrape,
                "ledgerpki_cosigner_cosigned_checkpoints_total",
                "ledger_cosigner_id=\"vendor-a\""))
        .as("vendor-a's cosignatures, as Prometheus reads them")
        .isGreaterThanOrEqualTo(1.0);
    assertThat(samples(scrape, "ledgerpki_streams_ready", "application=\"aggregator/vendor-a\""))
        .isEqualTo(1.0);
  }

  /** {@link #config} with a free port for the health and metrics endpoint. */
  private ServiceConfig withHttpPort() throws IOException {
    Map<String, String> s = new HashMap<>(settings);
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.put(ServiceConfig.HTTP_PORT, Integer.toString(free.getLocalPort()));
    }
    return ServiceConfig.from(Settings.load(ServiceConfig.defaults(), null, Map.of(), s, keys));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of the samples {@code name} whose labels include {@code label}; fails if none. */
  private static double samples(String scrape, String name, String label) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (m.group(1).contains(label)) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertThat(found).as("a sample %s with %s in:%n%s", name, label, scrape).isTrue();
    return sum;
  }

  private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
    return new KafkaProducer<>(
        kafka.producerProperties(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** Reads {@code topic} from the start until a record matches; returns the records read. */
  private <V> List<V> await(Topic<String, V> topic, Predicate<V> done) {
    List<V> seen = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            kafka.consumerProperties("cosign-it-" + topic.name()),
            topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(r.value());
          if (done.test(r.value())) {
            return seen;
          }
        }
      }
    }
    throw new AssertionError(
        "no matching record on " + topic.name() + " within " + TIMEOUT + ": " + seen);
  }
}
