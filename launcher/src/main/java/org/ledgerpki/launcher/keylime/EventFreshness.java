package org.ledgerpki.launcher.keylime;

import java.time.Duration;
import java.time.Instant;
import org.ledgerpki.core.MalformedInputException;

/** The Keylime adapter's freshness check of a notification's {@code event_time}. */
final class EventFreshness {
  private EventFreshness() {}

  /**
   * Refuses an event_time that is unreadable, older than {@code config.maxEventAge()} or more than
   * {@code config.maxClockSkew()} ahead of {@code now}; null if it is fresh.
   */
  static KeylimeAdapter.Outcome check(
      KeylimeNotification n, KeylimeAdapter.Config config, Instant now) {
    Instant t;
    try {
      t = n.eventInstant(config.eventTimeZone());
    } catch (MalformedInputException e) {
      KeylimeAdapter.AUDIT.error("refused Keylime event {}: {}", n.eventId(), e.getMessage());
      return KeylimeAdapter.Outcome.problem(400, "Unreadable event_time", e.getMessage());
    }
    if (t.isBefore(now.minus(config.maxEventAge()))) {
      String detail =
          "Keylime event "
              + n.eventId()
              + ": event_time "
              + t
              + " is "
              + Duration.between(t, now).toSeconds()
              + " s before now ("
              + now
              + "), more than "
              + KeylimeAdapter.MAX_EVENT_AGE
              + " = "
              + config.maxEventAge()
              + "; refused as a possible replay";
      KeylimeAdapter.AUDIT.error("refused stale Keylime event {}: {}", n.eventId(), detail);
      return KeylimeAdapter.Outcome.problem(422, "Stale event", detail);
    }
    if (t.isAfter(now.plus(config.maxClockSkew()))) {
      String detail =
          "Keylime event "
              + n.eventId()
              + ": event_time "
              + t
              + " is "
              + Duration.between(now, t).toSeconds()
              + " s after now ("
              + now
              + "), more than "
              + KeylimeAdapter.MAX_CLOCK_SKEW
              + " = "
              + config.maxClockSkew()
              + "; refused (check the clocks, and "
              + KeylimeAdapter.EVENT_TIME_ZONE
              + " = "
              + config.eventTimeZone()
              + ")";
      KeylimeAdapter.AUDIT.error(
          "refused Keylime event {} from the future: {}", n.eventId(), detail);
      return KeylimeAdapter.Outcome.problem(422, "Event from the future", detail);
    }
    return null;
  }
}
