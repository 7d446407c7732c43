package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.ledgerpki.client.InquiryClient;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * What {@code ledgerpki status} does under a trust bundle that requires ML-DSA-44 status
 * cosignatures (ADR 0010): answers never carry them, so when it holds no fresh checkpoint it
 * fetches the node's full note from {@code /v1/checkpoint}, verifies it and holds it; and when the
 * node moved to a newer checkpoint between that fetch and its answer, it fetches and asks again.
 */
final class FullNoteFetch {
  /**
   * How many times {@link #ask} asks the node at most. A node that answers against a checkpoint it
   * does not serve gets no more than this many requests, and its answer is then not verified.
   */
  static final int ATTEMPTS = 3;

  private FullNoteFetch() {}

  /** A status request, given the names of the checkpoints held. */
  interface Query {
    InquiryClient.RawAnswer ask(List<String> heldNames) throws IOException, InterruptedException;
  }

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
   * @param required whether the trust bundle requires the full note (then {@code held} is not null
   *     under NOT_NEEDED and HELD)
   */
  record Result(Outcome outcome, HeldCheckpoints held, String why, boolean required) {}

  /**
   * Holds the node's verified full note if the bundle at {@code trust} requires ML-DSA-44 status
   * cosignatures and {@code held} (possibly null) has no fresh checkpoint.
   *
   * @param trust the trust bundle file, or null when answers are not verified
   */
  static Result ifRequired(Path trust, HeldCheckpoints held, InquiryClient client, String node) {
    TrustBundle bundle = trust == null ? null : bundleOrNull(trust);
    boolean required = bundle != null && bundle.requiresMlDsaStatusCosignatures();
    if (!required || held != null && !held.freshNames(Instant.now()).isEmpty()) {
      return new Result(Outcome.NOT_NEEDED, held, null, required);
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
          "the checkpoint at " + node + "/v1/checkpoint could not be had: " + e.getMessage(),
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(
          Outcome.UNAVAILABLE, held, "interrupted while fetching the checkpoint", true);
    } catch (MalformedInputException | VerificationException e) {
      return new Result(
          Outcome.NOT_VERIFIED,
          held,
          "the node's /v1/checkpoint does not verify against the trust bundle: " + e.getMessage(),
          true);
    }
    System.err.println(
        "ledgerpki status: the trust bundle requires ML-DSA-44 status cosignatures; holding the"
            + " verified full note of "
            + node
            + "/v1/checkpoint");
    return new Result(Outcome.HELD, store, null, true);
  }

  /**
   * Asks {@code query} with the fresh names held. When the bundle requires the full note and the
   * answer is proved against a checkpoint not held (the node took a newer one between its {@code
   * /v1/checkpoint} and its answer: checkpoints come every few hundred milliseconds), holds the
   * node's verified full note again and asks again, {@link #ATTEMPTS} times in all. Nothing is
   * trusted more for it: the last answer is verified against what is held, as any other.
   *
   * @param fetched what {@link #ifRequired} gave, NOT_NEEDED or HELD
   */
  static InquiryClient.RawAnswer ask(Result fetched, InquiryClient client, Query query)
      throws IOException, InterruptedException {
    HeldCheckpoints held = fetched.held();
    InquiryClient.RawAnswer answer =
        query.ask(held == null ? List.of() : held.freshNames(Instant.now()));
    for (int i = 1; fetched.required() && i < ATTEMPTS && provedElsewhere(answer, held); i++) {
      try {
        held.hold(client.checkpoint());
      } catch (MalformedInputException | VerificationException e) {
        return answer; // verifying the answer says what is missing
      }
      System.err.println(
          "ledgerpki status: the node answered against a newer checkpoint; holding it and asking"
              + " again");
      answer = query.ask(held.freshNames(Instant.now()));
    }
    return answer;
  }

  /** Whether {@code answer} names a checkpoint that is not in {@code held}. */
  private static boolean provedElsewhere(InquiryClient.RawAnswer answer, HeldCheckpoints held) {
    if (answer.code() != 200) {
      return false;
    }
    String name;
    try {
      name =
          answer.compact()
              ? CompactAnswer.decode(answer.body()).checkpointSha256()
              : StatusAnswer.fromJson(answer.text()).checkpointSha256();
    } catch (MalformedInputException | RuntimeException e) {
      return false; // verifying it says why
    }
    return name != null && held.get(name).isEmpty();
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
