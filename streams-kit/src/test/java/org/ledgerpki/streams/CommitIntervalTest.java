package org.ledgerpki.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;

class CommitIntervalTest {
  private static Settings settings(Map<String, String> env) {
    return Settings.load(Map.of(), null, env, Map.of(), ServiceConfig.keys());
  }

  @Test
  void unsetKeepsTheServicesOwnDefault() {
    assertThat(ServiceConfig.commitInterval(settings(Map.of()), Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theSharedSettingWinsFromTheEnvironment() {
    Settings s = settings(Map.of("LEDGERPKI_STREAMS_COMMIT_INTERVAL", "500ms"));
    assertThat(ServiceConfig.commitInterval(s, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void outOfRangeOrMalformedFailsNamingTheSetting() {
    for (String bad : List.of("5ms", "2m")) {
      Settings s = settings(Map.of("LEDGERPKI_STREAMS_COMMIT_INTERVAL", bad));
      assertThatThrownBy(() -> ServiceConfig.commitInterval(s, Duration.ofMillis(100)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ledgerpki.streams.commit-interval")
          .hasMessageContaining("LEDGERPKI_STREAMS_COMMIT_INTERVAL")
          .hasMessageContaining("found " + bad);
    }
    Settings s = settings(Map.of("LEDGERPKI_STREAMS_COMMIT_INTERVAL", "soon"));
    assertThatThrownBy(() -> ServiceConfig.commitInterval(s, Duration.ofMillis(100)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.streams.commit-interval");
  }

  @Test
  void aServiceSettingAppliesUnlessTheSharedOneIsSet() {
    String key = "ledgerpki.validator.commit-interval";
    Settings own =
        Settings.load(
            Map.of(),
            null,
            Map.of("LEDGERPKI_VALIDATOR_COMMIT_INTERVAL", "25ms"),
            Map.of(),
            List.of(key));
    assertThat(ServiceConfig.commitInterval(own, key, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(25));
    Settings both =
        Settings.load(
            Map.of(),
            null,
            Map.of(
                "LEDGERPKI_VALIDATOR_COMMIT_INTERVAL", "25ms",
                "LEDGERPKI_STREAMS_COMMIT_INTERVAL", "40ms"),
            Map.of(),
            List.of(key, ServiceConfig.COMMIT_INTERVAL));
    assertThat(ServiceConfig.commitInterval(both, key, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(40));
    assertThat(ServiceConfig.commitInterval(settings(Map.of()), key, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aBadServiceSettingFailsNamingThatSetting() {
    String key = "ledgerpki.cosign.commit-interval";
    for (String bad : List.of("9ms", "61s")) {
      Settings s =
          Settings.load(
              Map.of(),
              null,
              Map.of("LEDGERPKI_COSIGN_COMMIT_INTERVAL", bad),
              Map.of(),
              List.of(key));
      assertThatThrownBy(() -> ServiceConfig.commitInterval(s, key, Duration.ofMillis(100)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("setting ledgerpki.cosign.commit-interval")
          .hasMessageContaining("LEDGERPKI_COSIGN_COMMIT_INTERVAL")
          .hasMessageContaining("found " + bad);
    }
  }
}
