package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.ledgerpki.client.InquiryClient;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * What {@code ledgerpki status} does under a trust bundle that requires ML-DSA-44 status
 * cosignatures (ADR 0010): answers never carry them, so when it holds no fresh checkpoint it
 * fetches the node's full note from {@code /v1/checkpoint}, verifies it and holds it.
 */
final class FullNoteFetch {
  private FullNoteFetch() {}

  /** How it went. */
  enum Outcome {
    /** The bundle does not require the lines, or a fresh checkpoint is held already. */
    NOT_NEEDED,
    /** The node's full note verified and is held. */
    HELD,
    /** The node's checkpoint could not be had. */
    UNAVAILABLE,
    /** The node's checkpoint does not verify against the bundle. */
    NOT_VERIFIED
  }

  /**
   * @param held the checkpoints held, possibly null; under {@link Outcome#HELD} a store with the
   *     node's note in it
   * @param why for UNAVAILABLE and NOT_VERIFIED, the reason
   */
  record Result(Outcome outcome, HeldCheckpoints held, String why) {}

  /**
   * Holds the node's verified full note if the bundle at {@code trust} requires ML-DSA-44 status
   * cosignatures and {@code held} (possibly null) has no fresh checkpoint.
   *
   * @param trust the trust bundle file, or null when answers are not verified
   */
  static Result ifRequired(Path trust, HeldCheckpoints held, InquiryClient client, String node) {
    TrustBundle bundle = trust == null ? null : bundleOrNull(trust);
    if (bundle == null
        || !bundle.requiresMlDsaStatusCosignatures()
        || held != null && !held.freshNames(Instant.now()).isEmpty()) {
      return new Result(Outcome.NOT_NEEDED, held, null);
    }
    HeldCheckpoints store = held;
    try {
      if (store == null) {
        store = new HeldCheckpoints(bundle);
      }
      store.hold(client.checkpoint());
    } catch (IOException e) {
      return new Result(
          Outcome.UNAVAILABLE,
          held,
          "the checkpoint at " + node + "/v1/checkpoint could not be had: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.UNAVAILABLE, held, "interrupted while fetching the checkpoint");
    } catch (MalformedInputException | VerificationException e) {
      return new Result(
          Outcome.NOT_VERIFIED,
          held,
          "the node's /v1/checkpoint does not verify against the trust bundle: " + e.getMessage());
    }
    System.err.println(
        "ledgerpki status: the trust bundle requires ML-DSA-44 status cosignatures; holding the"
            + " verified full note of "
            + node
            + "/v1/checkpoint");
    return new Result(Outcome.HELD, store, null);
  }

  /** The trust bundle at {@code trust}, or null if it cannot be read (verification says why). */
  private static TrustBundle bundleOrNull(Path trust) {
    try {
      return TrustBundle.parse(Files.readString(trust, StandardCharsets.UTF_8));
    } catch (IOException | MalformedInputException | IllegalArgumentException e) {
      return null;
    }
  }
}
