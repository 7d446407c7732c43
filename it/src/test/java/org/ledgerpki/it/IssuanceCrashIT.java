package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.config.KeyFiles;

/**
 * The issuance stream runs in its own JVM and is killed with SIGKILL in the middle of a load, then
 * restarted on the same state directory. Exactly-once v2 must keep the indices contiguous with no
 * duplicate, and the cosigners (which rebuild the tree themselves) must agree on every root.
 */
class IssuanceCrashIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final int LOAD = 600;
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir Path dir;

  static byte[] cert(String org, int i) {
    KeyPair kp =
        Keys.generate(i % 2 == 0 ? SignatureAlgorithm.ED25519 : SignatureAlgorithm.ECDSA_P256);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject("CN=nf-" + i + ",O=" + org)
            .keyPair(kp)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
            .build());
  }

  @Test
  void aKilledSequencerResumesWithContiguousIndicesAndTheCosignersAgree() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("crash");
    GeneratedConsortium gc =
        GeneratedConsortium.generate("crash", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    TrustPolicy policy = TrustPolicyReader.of(gc.document(), "crash-policy");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    KeyFiles.write(dir.resolve("log.key.pem"), gc.log().ed25519().getPrivate());
    KeyFiles.write(dir.resolve("log-mldsa.key.pem"), gc.log().mlDsa44().getPrivate());
    String org = policy.member("vendor-a").orElseThrow().organization();

    Path home = Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();
    Path launcherJar = home.resolve("launcher/target/ledgerpki.jar");
    assertThat(launcherJar)
        .as("the launcher is packaged before the integration tests run")
        .exists();
    Map<String, String> env =
        Map.of(
            "LEDGERPKI_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
            "LEDGERPKI_REGISTRY_URL", kafka.registryUrl(),
            "LEDGERPKI_POLICY", policyFile.toString(),
            "LEDGERPKI_TOPICS_PREFIX", prefix,
            "LEDGERPKI_STATE_DIR", dir.resolve("issuance-state").toString(),
            "LEDGERPKI_KEYS_LOG", dir.resolve("log.key.pem").toString(),
            "LEDGERPKI_KEYS_LOG_MLDSA", dir.resolve("log-mldsa.key.pem").toString());

    try (LocalConsortium others =
            LocalConsortium.start(
                new LocalConsortium.Connection(
                    kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state")),
                policyFile,
                null,
                gc.members(),
                Duration.ofSeconds(120));
        LedgerSerdes serdes = LedgerSerdes.registry(kafka.registryUrl())) {
      Topics topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
      KeyPair submitKey = gc.members().get(0).submission();
      List<byte[]> certs = new ArrayList<>();
      for (int i = 0; i < LOAD; i++) {
        certs.add(cert(org, i));
      }
      JvmService first = startIssuance(launcherJar, env, dir.resolve("issuance-1.log"));
      try (LedgerReader<LedgerEntry> entries =
          new LedgerReader<>(kafka.bootstrapServers(), topics.entries())) {
        // A first batch, sequenced before the rest is sent: a slow start of the issuance JVM must
        // not let the whole load queue up and be sequenced at once, before the kill.
        SubmissionClient.submit(
            "vendor-a",
            submitKey,
            certs.subList(0, 50),
            kafka.bootstrapServers(),
            kafka.registryUrl(),
            prefix,
            null);
        assertThat(entries.until(l -> l.size() >= 51, TIMEOUT))
            .as("the first batch sequenced before the rest of the load")
            .hasSizeGreaterThanOrEqualTo(51);
        CompletableFuture<Void> load =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    for (int i = 50; i < LOAD; i += 50) {
                      SubmissionClient.submit(
                          "vendor-a",
                          submitKey,
                          certs.subList(i, i + 50),
                          kafka.bootstrapServers(),
                          kafka.registryUrl(),
                          prefix,
                          null);
                      Thread.sleep(300);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(entries.until(l -> l.size() >= 120, TIMEOUT))
            .as("entries sequenced before the kill")
            .hasSizeGreaterThanOrEqualTo(120);
        first.kill();
        // Everything the killed sequencer committed (read_committed stops before its open
        // transaction, which its successor aborts).
        int atKill = entries.untilEnd(TIMEOUT).size();
        JvmService second = startIssuance(launcherJar, env, dir.resolve("issuance-2.log"));
        try {
          load.join();
          List<LedgerEntry> all = entries.until(l -> l.size() >= LOAD + 1, TIMEOUT);
          entries.until(l -> false, Duration.ofSeconds(3));
          System.out.printf(
              "crash: killed the sequencer at %d entries; %d entries after the restart%n",
              atKill, all.size());
          assertThat(atKill)
              .as(
                  "killed inside the load: after some certificates were sequenced (more than the"
                      + " null entry), before all %d were",
                  LOAD)
              .isGreaterThan(1)
              .isLessThan(LOAD + 1);
          assertThat(all).hasSize(LOAD + 1);
          MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
          Set<String> seen = new HashSet<>();
          for (int i = 0; i < all.size(); i++) {
            LedgerEntry e = all.get(i);
            assertThat(e.getIndex()).as("contiguous, no gap, no duplicate index").isEqualTo(i);
            if (i > 0) {
              assertThat(seen.add(Hex.encode(Sha256.hash(Evidence.bytes(e.getCertificate())))))
                  .as("each certificate once")
                  .isTrue();
            }
            tree.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
          }
          CheckpointVerifier verifier = new CheckpointVerifier(TrustBundle.fromPolicy(policy));
          try (LedgerReader<CosignedCheckpoint> cosigned =
              new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned())) {
            List<CosignedCheckpoint> cps =
                cosigned.until(
                    l -> !l.isEmpty() && l.get(l.size() - 1).getSize() == LOAD + 1, TIMEOUT);
            for (CosignedCheckpoint c : cps) {
              var v = verifier.verify(c.getNote());
              assertThat(v.checkpoint().rootHash())
                  .as("root at " + c.getSize())
                  .isEqualTo(tree.rootAt(c.getSize()));
            }
            assertThat(cps.get(cps.size() - 1).getSize()).isEqualTo(LOAD + 1);
          }
        } finally {
          second.close();
        }
      }
    }
  }

  private static JvmService startIssuance(Path launcherJar, Map<String, String> env, Path log) {
    return JvmService.start(
        "issuance",
        log.getParent(),
        List.of("-Xmx512m"),
        List.of(launcherJar.toString()),
        "org.ledgerpki.launcher.LedgerPki",
        List.of("run", "issuance"),
        env,
        log);
  }
}
