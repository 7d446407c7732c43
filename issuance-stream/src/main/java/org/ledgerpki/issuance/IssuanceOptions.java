package org.ledgerpki.issuance;

import java.time.Duration;
import java.util.Objects;

/**
 * Engineering knobs of the issuance stream. The checkpoint cadence is not one of them: it is the
 * consortium's, and comes from the trust policy ({@code checkpoints.interval}, {@code
 * checkpoints.maxBatch}).
 *
 * @param punctuateEvery how often the checkpoint processor looks at the wall clock to see whether a
 *     checkpoint is due; positive, and well below the policy's checkpoint interval
 * @param verifierCacheSize how many verified batch roots the endorsement verifier remembers (ADR
 *     0003); at least 1
 */
public record IssuanceOptions(Duration punctuateEvery, int verifierCacheSize) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if {@code punctuateEvery} is not positive or {@code
   *     verifierCacheSize < 1}
   */
  public IssuanceOptions {
    Objects.requireNonNull(punctuateEvery, "punctuateEvery");
    if (punctuateEvery.isNegative() || punctuateEvery.isZero()) {
      throw new IllegalArgumentException("punctuateEvery must be positive, got " + punctuateEvery);
    }
    if (verifierCacheSize < 1) {
      throw new IllegalArgumentException(
          "verifierCacheSize must be at least 1, got " + verifierCacheSize);
    }
  }

  /** Punctuation every 50 ms, 4096 cached batch roots. */
  public static IssuanceOptions defaults() {
    return new IssuanceOptions(Duration.ofMillis(50), 4096);
  }

  /** These options with another punctuation period. */
  public IssuanceOptions withPunctuateEvery(Duration punctuateEvery) {
    return new IssuanceOptions(punctuateEvery, verifierCacheSize);
  }
}
