package org.ledgerpki.inquiry.query;

import java.time.Duration;

/**
 * The outcome of a lookup other than a status query (certificate, checkpoint, proof, landmarks,
 * trust bundle), mapped to HTTP by the REST layer with a {@code switch}.
 *
 * @param <T> what is found
 */
public sealed interface Lookup<T> {

  /** Found. */
  record Found<T>(T value) implements Lookup<T> {}

  /** Nothing to answer with (yet); {@code detail} says what is missing. */
  record NotFound<T>(String detail) implements Lookup<T> {}

  /** The question is malformed. */
  record Invalid<T>(Fault fault) implements Lookup<T> {}

  /** The node has not caught up with the ledger yet. */
  record NotReady<T>(Duration retryAfter, String phase) implements Lookup<T> {}
}
