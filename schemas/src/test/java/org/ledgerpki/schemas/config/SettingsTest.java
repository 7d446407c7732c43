package org.ledgerpki.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void kafkaClientVariablesBecomeClientProperties() {
    Map<String, String> env =
        Map.of(
            "LEDGERPKI_KAFKA_BOOTSTRAP", "kafka-1:9093",
            "LEDGERPKI_KAFKA_SECURITY_PROTOCOL", "SSL",
            "LEDGERPKI_KAFKA_SSL_KEYSTORE_LOCATION", "/tls/validator.pem",
            "LEDGERPKI_KAFKA_SSL_KEYSTORE_TYPE", "PEM",
            "LEDGERPKI_KAFKA_SSL_KEY_PASSWORD", " ",
            "LEDGERPKI_REGISTRY_URL", "http://registry:8081",
            "OTHER_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");

    assertThat(Settings.kafkaClientProperties(env))
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    "security.protocol", "SSL",
                    "ssl.keystore.location", "/tls/validator.pem",
                    "ssl.keystore.type", "PEM")));
  }

  @Test
  void fileAndEnvironmentMergeAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("service.properties");
    Files.writeString(
        file,
        "ledgerpki.kafka.bootstrap=a:9092\n"
            + "ledgerpki.kafka.security.protocol=PLAINTEXT\n"
            + "ledgerpki.kafka.ssl.truststore.type=PEM\n");
    Map<String, String> env =
        Map.of(
            "LEDGERPKI_KAFKA_SECURITY_PROTOCOL", "SSL",
            "LEDGERPKI_KAFKA_SSL_KEY_PASSWORD", "s3cret");

    Settings s = Settings.load(Map.of(), file, env, Map.of(), List.of("ledgerpki.kafka.bootstrap"));

    assertThat(s.kafkaClient())
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    "security.protocol", "SSL",
                    "ssl.key.password", "s3cret",
                    "ssl.truststore.type", "PEM")));
    assertThat(s.require("ledgerpki.kafka.bootstrap")).isEqualTo("a:9092");
    assertThat(s.describeAll().get("ledgerpki.kafka.security.protocol"))
        .isEqualTo("SSL  [env LEDGERPKI_KAFKA_SECURITY_PROTOCOL]");
    assertThat(s.describeAll().get("ledgerpki.kafka.ssl.key.password"))
        .as("a password is not shown in the start-up log")
        .doesNotContain("s3cret")
        .startsWith("****");
  }
}
