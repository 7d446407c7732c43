package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.KeyFiles;
import org.ledgerpki.streams.ServiceConfig;

/** Configuration and the start-up checks, none of which needs a broker. */
class IssuanceServiceTest {
  private static final TestConsortium TC = TestConsortium.get();

  @TempDir Path dir;

  /** A configuration with the test consortium's policy and unreachable Kafka and registry. */
  private ServiceConfig config(PolicyDocument policy, Map<String, String> extra) throws Exception {
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, policy.toYaml(), StandardCharsets.UTF_8);
    Path props = dir.resolve("issuance.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            ServiceConfig.BOOTSTRAP + "=127.0.0.1:1",
            ServiceConfig.REGISTRY + "=http://127.0.0.1:1",
            ServiceConfig.POLICY + "=" + policyFile,
            ServiceConfig.STATE_DIR + "=" + dir.resolve("state"),
            IssuanceService.PUNCTUATE + "=20ms",
            ""),
        StandardCharsets.UTF_8);
    return IssuanceService.loadConfig(props, extra);
  }

  private ServiceConfig config() throws Exception {
    return config(TestPolicies.base(), Map.of());
  }

  @Test
  void theConfigurationParsesWithDefaultsAndOverrides() throws Exception {
    ServiceConfig c = config();
    assertThat(c.policy().log().origin()).isEqualTo(TC.log().origin());
    assertThat(IssuanceService.options(c.settings()).punctuateEvery())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(c.settings().get(IssuanceService.COMMIT_INTERVAL)).contains("100ms");
    ServiceConfig overridden =
        config(TestPolicies.base(), Map.of(IssuanceService.PUNCTUATE, "5ms"));
    assertThat(IssuanceService.options(overridden.settings()).punctuateEvery())
        .isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void theUnclaimedVerdictsTtlDefaultsToAnHourAndABadOneIsNamed() throws Exception {
    assertThat(IssuanceService.options(config().settings()).unclaimedVerdictsTtl())
        .isEqualTo(Duration.ofHours(1));
    ServiceConfig set =
        config(TestPolicies.base(), Map.of(IssuanceService.UNCLAIMED_VERDICTS_TTL, "10m"));
    assertThat(IssuanceService.options(set.settings()).unclaimedVerdictsTtl())
        .isEqualTo(Duration.ofMinutes(10));
    for (String bad : List.of("500ms", "0s", "soon")) {
      ServiceConfig c =
          config(TestPolicies.base(), Map.of(IssuanceService.UNCLAIMED_VERDICTS_TTL, bad));
      assertThatThrownBy(() -> IssuanceService.options(c.settings()))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(IssuanceService.UNCLAIMED_VERDICTS_TTL);
    }
  }

  @Test
  void theCommitIntervalIsCheckedAndTheSharedOneWins() throws Exception {
    assertThat(IssuanceService.commitInterval(config().settings()))
        .isEqualTo(Duration.ofMillis(100));
    ServiceConfig tight =
        config(TestPolicies.base(), Map.of(IssuanceService.COMMIT_INTERVAL, "25ms"));
    assertThat(IssuanceService.commitInterval(tight.settings())).isEqualTo(Duration.ofMillis(25));
    ServiceConfig shared =
        config(
            TestPolicies.base(),
            Map.of(IssuanceService.COMMIT_INTERVAL, "25ms", ServiceConfig.COMMIT_INTERVAL, "40ms"));
    assertThat(IssuanceService.commitInterval(shared.settings())).isEqualTo(Duration.ofMillis(40));
    ServiceConfig bad = config(TestPolicies.base(), Map.of(IssuanceService.COMMIT_INTERVAL, "0ms"));
    assertThatThrownBy(() -> IssuanceService.commitInterval(bad.settings()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting ledgerpki.issuance.commit-interval")
        .hasMessageContaining("LEDGERPKI_ISSUANCE_COMMIT_INTERVAL")
        .hasMessageContaining("from 10ms to 60s, found 0ms");
  }

  @Test
  void theConfigFileComesFromTheArgumentOrTheEnvironment() {
    Map<String, String> env = new HashMap<>();
    assertThat(IssuanceService.configFile(new String[0], env)).isEmpty();
    env.put(IssuanceService.CONFIG_ENV, "/etc/ledgerpki/issuance.properties");
    assertThat(IssuanceService.configFile(new String[0], env))
        .contains(Path.of("/etc/ledgerpki/issuance.properties"));
    assertThat(IssuanceService.configFile(new String[] {"a.properties"}, env))
        .contains(Path.of("a.properties"));
  }

  @Test
  void theLogKeysAreReadFromTheirFiles() throws Exception {
    Path ed = dir.resolve("log-ed25519.key.pem");
    Path ml = dir.resolve("log-mldsa44.key.pem");
    KeyFiles.write(ed, TC.log().ed25519().getPrivate());
    KeyFiles.write(ml, TC.log().mlDsa44().getPrivate());
    ServiceConfig c =
        config(
            TestPolicies.base(),
            Map.of(
                IssuanceService.LOG_KEY,
                ed.toString(),
                IssuanceService.LOG_MLDSA_KEY,
                ml.toString()));
    LogSigner signer = IssuanceService.signer(c);
    assertThat(signer.mismatches(c.policy().log())).isEmpty();
    assertThat(signer.hasMlDsa()).isTrue();
  }

  @Test
  void aMissingOrWrongKeyFileIsNamed() throws Exception {
    assertThatThrownBy(() -> IssuanceService.signer(config()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IssuanceService.LOG_KEY)
        .hasMessageContaining("is missing");
    Path ecdsa = dir.resolve("ecdsa.key.pem");
    KeyFiles.write(ecdsa, TestPki.keyPair(SignatureAlgorithm.ECDSA_P256).getPrivate());
    ServiceConfig c =
        config(TestPolicies.base(), Map.of(IssuanceService.LOG_KEY, ecdsa.toString()));
    assertThatThrownBy(() -> IssuanceService.signer(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + IssuanceService.LOG_KEY)
        .hasMessageContaining("must be ed25519");
  }

  @Test
  void startRefusesKeysThatAreNotThePolicysBeforeTouchingKafka() throws Exception {
    ServiceConfig c = config();
    LogKeys stranger = LogKeys.generate(TestConsortium.CA_ID, 1);
    assertThatThrownBy(() -> IssuanceService.start(c, stranger))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IssuanceService.LOG_KEY)
        .hasMessageContaining(c.policy().log().vkey())
        .hasMessageContaining(c.policyFile().toString());
    LogKeys edOnly = new LogKeys(TC.log().caId(), TC.log().number(), TC.log().ed25519(), null);
    assertThatThrownBy(() -> IssuanceService.start(c, edOnly))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IssuanceService.LOG_MLDSA_KEY)
        .hasMessageContaining("none is configured");
  }

  @Test
  void startRefusesALogNumberBeyondTheSequencingPartitions() throws Exception {
    LogKeys log2 = LogKeys.generate(TestConsortium.CA_ID, 2);
    ServiceConfig c = config(TestPolicies.log(TestPolicies.base(), log2), Map.of());
    assertThatThrownBy(() -> IssuanceService.start(c, log2))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting " + ServiceConfig.LOGS + " = 1")
        .hasMessageContaining("log number 2");
  }
}
