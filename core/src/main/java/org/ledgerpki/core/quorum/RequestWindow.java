package org.ledgerpki.core.quorum;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The time rule of a requester quorum (docs/status.md, "Who may ask"): the requests of members
 * other than the owner that together grant one event were all signed within {@code
 * lifecycle.requestWindow} of the first of them, and the event was granted within that window of
 * the first request (with {@code validity.clockSkew} of tolerance on both ends), so that a request
 * that expired cannot be joined to a later one. The sequencer applies it when it grants, each
 * cosigner when it mirrors the event, with the event's {@code sequencedAt} as the grant time.
 */
public final class RequestWindow {
  private RequestWindow() {}

  /**
   * Why requests signed at {@code submittedAtMillis} may not together grant an event at {@code
   * grantedAtMillis}, if they may not. Requires a non-empty list.
   */
  public static Optional<String> problem(
      List<Long> submittedAtMillis, long grantedAtMillis, Duration window, Duration skew) {
    long first = submittedAtMillis.stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = submittedAtMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
    long w = window.toMillis();
    long s = skew.toMillis();
    if (last - first > w) {
      return Optional.of(
          "the requests were signed "
              + Duration.ofMillis(last - first)
              + " apart; lifecycle.requestWindow is "
              + window);
    }
    if (grantedAtMillis - first > w + s) {
      return Optional.of(
          "the event is granted "
              + Duration.ofMillis(grantedAtMillis - first)
              + " after the first request; lifecycle.requestWindow is "
              + window
              + " (clock skew "
              + skew
              + ")");
    }
    if (last - grantedAtMillis > s) {
      return Optional.of(
          "a request is signed "
              + Duration.ofMillis(last - grantedAtMillis)
              + " after the event is granted (clock skew "
              + skew
              + ")");
    }
    return Optional.empty();
  }
}
