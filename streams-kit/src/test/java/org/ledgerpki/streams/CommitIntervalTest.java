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
}
