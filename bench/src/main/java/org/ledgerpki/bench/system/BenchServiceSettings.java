package org.ledgerpki.bench.system;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.ledgerpki.cosign.CosignService;
import org.ledgerpki.issuance.IssuanceOptions;
import org.ledgerpki.issuance.IssuanceService;
import org.ledgerpki.schemas.config.Settings;
import org.ledgerpki.streams.ServiceConfig;
import org.ledgerpki.validator.ValidatorOptions;
import org.ledgerpki.validator.ValidatorService;

/**
 * The settings a system benchmark gives every service of its consortium ({@code --commit-interval}
 * as the shared {@code ledgerpki.streams.commit-interval}), and the line that says what each
 * service runs with, so that a result states its settings.
 */
final class BenchServiceSettings {
  private BenchServiceSettings() {}

  /**
   * The settings for every service: none when {@code commitInterval} is null or blank (each service
   * keeps its own default).
   *
   * @throws org.ledgerpki.schemas.config.ConfigException naming the setting if the interval is not
   *     a duration from 10ms to 60s
   */
  static Map<String, String> of(String commitInterval) {
    if (commitInterval == null || commitInterval.isBlank()) {
      return Map.of();
    }
    Map<String, String> m = Map.of(ServiceConfig.COMMIT_INTERVAL, commitInterval.trim());
    ServiceConfig.commitInterval(settings(m), Duration.ZERO);
    return m;
  }

  /** What the services run with under {@code settings}, and the policy's checkpoint interval. */
  static String describe(Map<String, String> settings, String checkpointInterval) {
    Settings s = settings(settings);
    ValidatorOptions v = ValidatorOptions.defaults();
    return String.format(
        Locale.ROOT,
        "settings: commit interval validators %s, issuance %s, cosigners and aggregators %s (%s);"
            + " checkpoints.interval %s, issuance timer %s; validator linger %s, max batch %d",
        ms(ValidatorService.commitInterval(s)),
        ms(IssuanceService.commitInterval(s)),
        ms(CosignService.commitInterval(s)),
        settings.isEmpty() ? "the services' defaults" : "--commit-interval, all services",
        checkpointInterval,
        ms(IssuanceOptions.defaults().punctuateEvery()),
        ms(v.linger()),
        v.maxBatch());
  }

  private static Settings settings(Map<String, String> overrides) {
    return Settings.load(Map.of(), null, Map.of(), overrides, ServiceConfig.keys());
  }

  private static String ms(Duration d) {
    return d.toMillis() + "ms";
  }
}
