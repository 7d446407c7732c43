package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Outcome;

/**
 * Garbage on {@code ledger.submissions}: random bytes and bare truncated DER go to {@code
 * ledger.dlq} with a reason from every service that reads them (the three validators and the
 * issuance stream), while valid traffic around them is admitted. A well-formed submission whose
 * certificate is truncated DER is not garbage but an invalid request: it is rejected with
 * MALFORMED_CERTIFICATE.
 */
class GarbageIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  @TempDir Path dir;

  @Test
  void garbageIsDeadLetteredAndValidTrafficGoesOn() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("garbage");
    GeneratedConsortium gc =
        GeneratedConsortium.generate("garbage", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    TrustPolicy policy = TrustPolicyReader.of(gc.document(), "p");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    String org = policy.member("vendor-a").orElseThrow().organization();
    MemberKeys a = gc.members().get(0);
    BatchSigner signer =
        new BatchSigner("vendor-a", a.submission().getPrivate(), a.submission().getPublic());

    List<byte[]> valid = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      valid.add(
          Certificates.der(
              new CertificateBuilder()
                  .subject("CN=nf-" + i + ",O=" + org)
                  .keyPair(Keys.generate(SignatureAlgorithm.ECDSA_P256))
                  .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                  .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                  .build()));
    }
    byte[] random = new byte[300];
    new SecureRandom().nextBytes(random);
    byte[] truncatedDer = Arrays.copyOf(valid.get(0), 100);
    byte[] truncatedCert = Arrays.copyOf(valid.get(1), valid.get(1).length - 40);

    try (LocalConsortium services =
            LocalConsortium.start(
                new LocalConsortium.Connection(
                    kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state")),
                policyFile,
                gc.log(),
                gc.members(),
                Duration.ofSeconds(120));
        LedgerSerdes serdes = LedgerSerdes.registry(kafka.registryUrl())) {
      Topics topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      String t = topics.submissions().name();
      try (KafkaProducer<String, byte[]> producer =
              new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
          LedgerReader<DeadLetter> dlq =
              new LedgerReader<>(kafka.bootstrapServers(), topics.dlq());
          LedgerReader<Decision> decisions =
              new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
        List<Submissions.Keyed> first =
            Submissions.issue(signer, valid.subList(2, 4), Instant.now());
        List<Submissions.Keyed> last =
            Submissions.issue(signer, valid.subList(4, 6), Instant.now());
        Submissions.Keyed malformed =
            Submissions.issue(signer, List.of(truncatedCert), Instant.now()).get(0);
        for (Submissions.Keyed k : first) {
          producer.send(
              new ProducerRecord<>(
                  t,
                  k.key(),
                  topics.submissions().valueSerde().serializer().serialize(t, k.submission())));
        }
        RecordMetadata randomAt = producer.send(new ProducerRecord<>(t, "random", random)).get();
        RecordMetadata truncatedAt =
            producer
                .send(new ProducerRecord<>(t, Hex.encode(Sha256.hash(valid.get(0))), truncatedDer))
                .get();
        String randomWhere = randomAt.partition() + "@" + randomAt.offset();
        String truncatedWhere = truncatedAt.partition() + "@" + truncatedAt.offset();
        producer.send(
            new ProducerRecord<>(
                t,
                malformed.key(),
                topics
                    .submissions()
                    .valueSerde()
                    .serializer()
                    .serialize(t, malformed.submission())));
        for (Submissions.Keyed k : last) {
          producer.send(
              new ProducerRecord<>(
                  t,
                  k.key(),
                  topics.submissions().valueSerde().serializer().serialize(t, k.submission())));
        }
        producer.flush();

        List<Decision> d = decisions.until(l -> l.size() >= 5, Duration.ofSeconds(90));
        assertThat(d).hasSize(5);
        Set<String> accepted = new HashSet<>();
        for (Decision x : d) {
          String h = Hex.encode(Evidence.bytes(x.getCertificateSha256()));
          if (h.equals(malformed.key())) {
            assertThat(x.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(x.getReasons())
                .extracting(r -> r.getCode().name())
                .contains("MALFORMED_CERTIFICATE");
          } else {
            assertThat(x.getOutcome()).isEqualTo(Outcome.ACCEPTED);
            accepted.add(h);
          }
        }
        assertThat(accepted).hasSize(4).contains(first.get(0).key(), last.get(1).key());

        List<String> readers =
            List.of(
                "validator/vendor-a",
                "validator/operator-b",
                "validator/operator-c",
                IssuanceTopology.SERVICE);
        List<DeadLetter> dead =
            dlq.until(
                l -> readers.stream().allMatch(v -> of(l, v).size() >= 2), Duration.ofSeconds(30));
        for (String v : readers) {
          List<DeadLetter> mine = of(dead, v);
          assertThat(mine)
              .as(
                  v + " dead-letters both garbage records, at %s and %s",
                  randomWhere,
                  truncatedWhere)
              .extracting(x -> x.getPartition() + "@" + x.getOffset())
              .containsExactlyInAnyOrder(randomWhere, truncatedWhere);
          for (DeadLetter x : mine) {
            assertThat(x.getSourceTopic()).isEqualTo(t);
            boolean isRandom = (x.getPartition() + "@" + x.getOffset()).equals(randomWhere);
            assertThat(Evidence.bytes(x.getValue()))
                .as(v + ": the dead letter keeps the raw value")
                .isEqualTo(isRandom ? random : truncatedDer);
            if (v.equals(IssuanceTopology.SERVICE) && isRandom) {
              // The quorum looks at the key first: "random" is no certificate hash.
              assertThat(x.getReason())
                  .as(v + " reason")
                  .isEqualTo("record key random is not a lowercase hex SHA-256 of a certificate");
            } else {
              assertThat(x.getReason())
                  .as(v + " reason")
                  .startsWith("cannot decode a Submission: ");
            }
          }
        }
      }
    }
  }

  static List<DeadLetter> of(List<DeadLetter> l, String service) {
    return l.stream().filter(x -> x.getService().equals(service)).toList();
  }
}
