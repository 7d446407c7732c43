package org.ledgerpki.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixture's settings and build-time resources, without starting anything. */
class FixtureSettingsTest {

  @AfterEach
  void clearMode() {
    System.clearProperty(KafkaFixture.MODE_VARIABLE);
  }

  @Test
  void theBuildWroteTheBrokerClasspathAndTheRegistryLocation() {
    assertThat(Resources.brokerClasspath())
        .anyMatch(entry -> entry.contains("kafka_2.13"))
        .anyMatch(entry -> entry.contains("log4j-core"))
        .allMatch(entry -> Files.isRegularFile(Path.of(entry)));
    assertThat(Resources.registryHome()).isDirectory();
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = Resources.freePorts(6);
    Set<Integer> distinct = new HashSet<>();
    Arrays.stream(ports).forEach(distinct::add);
    assertThat(distinct).hasSize(6).allMatch(p -> p > 0 && p < 65536);
  }

  @Test
  void uniquePrefixesAreDistinctAndLegalTopicNames() {
    String a = KafkaFixture.uniquePrefix("My Test/Name");
    String b = KafkaFixture.uniquePrefix("My Test/Name");
    assertThat(a).isNotEqualTo(b).startsWith("mytestname-").endsWith(".");
    assertThat(a + "ledger.submissions").matches("[a-zA-Z0-9._-]+");
    assertThat(KafkaFixture.uniquePrefix("!!!")).startsWith("test-");
  }

  @Test
  void theModeCanBeForced() {
    System.setProperty(KafkaFixture.MODE_VARIABLE, "embedded");
    assertThat(KafkaFixture.choose().mode()).isEqualTo(KafkaFixture.Mode.EMBEDDED);
    assertThat(KafkaFixture.choose().reason()).isEqualTo("LEDGERPKI_KAFKA=embedded");
    System.setProperty(KafkaFixture.MODE_VARIABLE, "Docker");
    assertThat(KafkaFixture.choose().mode()).isEqualTo(KafkaFixture.Mode.DOCKER);
    System.setProperty(KafkaFixture.MODE_VARIABLE, "podman");
    assertThatThrownBy(KafkaFixture::choose)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LEDGERPKI_KAFKA must be embedded, docker or auto, got \"podman\"");
  }

  @Test
  void autoModeAnswersQuicklyAndWithAReason() {
    long started = System.nanoTime();
    KafkaFixture.Choice choice = KafkaFixture.choose();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(choice.reason()).isNotBlank();
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().nodes(0))
        .hasMessage("nodes must be in [1, 9], got 0");
    assertThatThrownBy(() -> EmbeddedKafka.builder().heap("lots"))
        .hasMessage("heap must look like 256m or 1g, got lots");
    assertThatThrownBy(() -> EmbeddedKafka.builder().startupTimeout(Duration.ZERO))
        .hasMessageContaining("startupTimeout must be positive");
    assertThatThrownBy(() -> EmbeddedRegistry.builder().heap("1 GB"))
        .hasMessageContaining("heap must look like");
  }
}
