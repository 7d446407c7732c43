package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.policy.TrustPolicy;
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
import org.ledgerpki.schemas.runtime.ServiceConfig;
import org.ledgerpki.schemas.runtime.Settings;

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
  private LedgerSerdes serdes;
  private Topics topics;
  private final List<CosignService> services = new ArrayList<>();

  @BeforeEach
  void start(KafkaFixture fixture) throws Exception {
    kafka = fixture;
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy, TrustPolicy.toYaml(TC.document(2, 2, "seed")), StandardCharsets.UTF_8);
    Map<String, String> s = new HashMap<>();
    s.put(ServiceConfig.BOOTSTRAP, kafka.bootstrapServers());
    s.put(ServiceConfig.REGISTRY, kafka.registryUrl());
    s.put(ServiceConfig.POLICY, policy.toString());
    s.put(ServiceConfig.PREFIX, KafkaFixture.uniquePrefix("cosignserviceit"));
    s.put(ServiceConfig.STATE_DIR, dir.resolve("state").toString());
    List<String> keys = new ArrayList<>(ServiceConfig.keys());
    keys.addAll(CosignService.KEYS);
    config = ServiceConfig.from(Settings.load(ServiceConfig.defaults(), null, Map.of(), s, keys));
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
    for (String org : List.of("vendor-a", "operator-b")) {
      services.add(CosignService.start(config, TC.member(org)));
    }
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
