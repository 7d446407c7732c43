package org.ledgerpki.inquiry.query;

import java.time.Duration;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * The outcome of a status query. The REST layer maps each case to HTTP with a {@code switch}: GOOD,
 * REVOKED, SUSPENDED, PENDING and REJECTED are answers (200), UNKNOWN is a 404 with an answer body,
 * {@link Invalid} is a 400 problem, {@link NotReady} a 503 with {@code Retry-After}.
 */
public sealed interface StatusResult {

  /**
   * In a log and covered by a cosigned checkpoint: the answer carries the proofs.
   *
   * @param answer the answer, for the JSON form; null when {@code compact} is given
   * @param compact the answer in the compact form (ADR 0009), encoded from the index's bytes when
   *     the client asked for that form; else null
   */
  record Good(StatusAnswer answer, byte[] compact) implements StatusResult {
    public Good {
      requireOne(answer, compact);
    }
  }

  /** Revoked or suspended, with the proof of the event; its components are as {@link Good}'s. */
  record Revoked(StatusAnswer answer, byte[] compact) implements StatusResult {
    public Revoked {
      requireOne(answer, compact);
    }
  }

  private static void requireOne(StatusAnswer answer, byte[] compact) {
    if ((answer == null) == (compact == null)) {
      throw new IllegalArgumentException("an answer with proofs is either JSON or compact");
    }
  }

  /** Accepted or sequenced, but no cosigned checkpoint covers it yet. */
  record Pending(StatusAnswer answer) implements StatusResult {}

  /** The consortium rejected it; the answer carries the reasons. */
  record Rejected(StatusAnswer answer) implements StatusResult {}

  /** The node knows nothing of this certificate; the answer has status UNKNOWN. */
  record Unknown(StatusAnswer answer) implements StatusResult {}

  /** The question itself is malformed. */
  record Invalid(Fault fault) implements StatusResult {}

  /** The node has not caught up with the ledger yet; ask again after {@code retryAfter}. */
  record NotReady(Duration retryAfter, String phase) implements StatusResult {}
}
