package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;

class ValidatorCommitIntervalTest {
  private static Settings env(Map<String, String> env) {
    return Settings.load(
        Map.of(),
        null,
        env,
        Map.of(),
        List.of(ValidatorService.COMMIT_INTERVAL, ServiceConfig.COMMIT_INTERVAL));
  }

  @Test
  void defaultsTo100msAndReadsItsOwnSetting() {
    assertThat(ValidatorService.commitInterval(env(Map.of()))).isEqualTo(Duration.ofMillis(100));
    assertThat(
            ValidatorService.commitInterval(
                env(Map.of("LEDGERPKI_VALIDATOR_COMMIT_INTERVAL", "30ms"))))
        .isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void aBadValueFailsNamingTheSettingAndWhatWasFound() {
    Settings s = env(Map.of("LEDGERPKI_VALIDATOR_COMMIT_INTERVAL", "1ms"));
    assertThatThrownBy(() -> ValidatorService.commitInterval(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting ledgerpki.validator.commit-interval")
        .hasMessageContaining("LEDGERPKI_VALIDATOR_COMMIT_INTERVAL")
        .hasMessageContaining("from 10ms to 60s, found 1ms");
    Settings word = env(Map.of("LEDGERPKI_VALIDATOR_COMMIT_INTERVAL", "often"));
    assertThatThrownBy(() -> ValidatorService.commitInterval(word))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.validator.commit-interval");
  }
}
