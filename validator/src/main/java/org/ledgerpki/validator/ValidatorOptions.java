package org.ledgerpki.validator;

import java.time.Duration;

/**
 * Tuning of a validator.
 *
 * @param maxBatch verdicts signed together at most
 * @param linger the longest a verdict waits for its batch to fill
 */
public record ValidatorOptions(int maxBatch, Duration linger) {
  public static ValidatorOptions defaults() {
    return new ValidatorOptions(512, Duration.ofMillis(20));
  }
}
