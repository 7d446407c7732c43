package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;

class CosignCommitIntervalTest {
  private static Settings env(Map<String, String> env) {
    return Settings.load(
        Map.of(),
        null,
        env,
        Map.of(),
        List.of(CosignService.COMMIT_INTERVAL, ServiceConfig.COMMIT_INTERVAL));
  }

  @Test
  void defaultsTo100msAndReadsItsOwnSetting() {
    assertThat(CosignService.commitInterval(env(Map.of()))).isEqualTo(Duration.ofMillis(100));
    assertThat(
            CosignService.commitInterval(env(Map.of("LEDGERPKI_COSIGN_COMMIT_INTERVAL", "30ms"))))
        .isEqualTo(Duration.ofMillis(30));
    assertThat(
            CosignService.commitInterval(
                env(
                    Map.of(
                        "LEDGERPKI_COSIGN_COMMIT_INTERVAL", "30ms",
                        "LEDGERPKI_STREAMS_COMMIT_INTERVAL", "500ms"))))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aBadValueFailsNamingTheSettingAndWhatWasFound() {
    Settings s = env(Map.of("LEDGERPKI_COSIGN_COMMIT_INTERVAL", "1ms"));
    assertThatThrownBy(() -> CosignService.commitInterval(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting ledgerpki.cosign.commit-interval")
        .hasMessageContaining("LEDGERPKI_COSIGN_COMMIT_INTERVAL")
        .hasMessageContaining("from 10ms to 60s, found 1ms");
    Settings word = env(Map.of("LEDGERPKI_COSIGN_COMMIT_INTERVAL", "often"));
    assertThatThrownBy(() -> CosignService.commitInterval(word))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledgerpki.cosign.commit-interval");
  }
}
