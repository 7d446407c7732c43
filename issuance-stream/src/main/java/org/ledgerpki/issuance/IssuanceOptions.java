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
 * @param unclaimedVerdictsTtl how long the quorum keeps verdicts on a submission that has not
 *     arrived: they are dropped after between one and two of these (docs/issuance-stream.md); at
 *     least one second
 */
public record IssuanceOptions(
    Duration punctuateEvery, int verifierCacheSize, Duration unclaimedVerdictsTtl) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if {@code punctuateEvery} is not positive, {@code
   *     verifierCacheSize < 1} or {@code unclaimedVerdictsTtl} is under one second
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
    Objects.requireNonNull(unclaimedVerdictsTtl, "unclaimedVerdictsTtl");
    if (unclaimedVerdictsTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "unclaimedVerdictsTtl must be at least 1s, got " + unclaimedVerdictsTtl);
    }
  }

  /** Punctuation every 50 ms, 4096 cached batch roots, unclaimed verdicts kept for an hour. */
  public static IssuanceOptions defaults() {
    return new IssuanceOptions(Duration.ofMillis(50), 4096, Duration.ofHours(1));
  }

  /** These options with another punctuation period. */
  public IssuanceOptions withPunctuateEvery(Duration punctuateEvery) {
    return new IssuanceOptions(punctuateEvery, verifierCacheSize, unclaimedVerdictsTtl);
  }

  /** These options with another time to keep verdicts on a submission that has not arrived. */
  public IssuanceOptions withUnclaimedVerdictsTtl(Duration ttl) {
    return new IssuanceOptions(punctuateEvery, verifierCacheSize, ttl);
  }
}
