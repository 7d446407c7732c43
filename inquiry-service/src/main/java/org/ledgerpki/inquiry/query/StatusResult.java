package org.ledgerpki.inquiry.query;

import java.time.Duration;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * The outcome of a status query. The REST layer maps each case to HTTP with a {@code switch}: GOOD,
 * REVOKED, SUSPENDED, PENDING and REJECTED are answers (200), UNKNOWN is a 404 with an answer body,
 * {@link Invalid} is a 400 problem, {@link NotReady} a 503 with {@code Retry-After}.
 */
public sealed interface StatusResult {

  /** In a log and covered by a cosigned checkpoint: the answer carries the proofs. */
  record Good(StatusAnswer answer) implements StatusResult {}

  /** Revoked or suspended, with the proof of the event. */
  record Revoked(StatusAnswer answer) implements StatusResult {}

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
