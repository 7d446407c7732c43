package org.ledgerpki.inquiry.rest;

import jakarta.ws.rs.core.MediaType;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.inquiry.query.AnswerForm;

/** Reads the answer form a status request asks for from its {@code Accept} and held header. */
final class AnswerForms {
  /** The request header naming the checkpoints the client holds (ADR 0009). */
  static final String HELD_HEADER = "X-Checkpoint-Held";

  private static final MediaType COMPACT = MediaType.valueOf(CompactAnswer.MEDIA_TYPE);

  private AnswerForms() {}

  /** Which of the status resource's two forms a request's {@code Accept} asks for. */
  enum Wanted {
    JSON,
    COMPACT,
    /** Neither form satisfies it. */
    NEITHER
  }

  /** The form a request that JAX-RS has already negotiated asks for, with its held header. */
  static AnswerForm.Parsed parse(String accept, String held) {
    return AnswerForm.parse(wanted(accept, false) == Wanted.COMPACT, held);
  }

  /**
   * One pass over {@code Accept}: the most preferred of its types that this resource serves (the
   * compact form on a tie; a wildcard or JSON ranked first, or no {@code Accept}, means JSON, the
   * contract's form), or {@link Wanted#NEITHER} when no media range with a quality above 0 matches
   * either form.
   *
   * @param strict whether a part that does not parse makes it {@link Wanted#NEITHER}, so that the
   *     route leaves such a request to JAX-RS' content negotiation (406 Not Acceptable, as before
   *     the route); otherwise such a part is skipped
   */
  static Wanted wanted(String accept, boolean strict) {
    if (accept == null || accept.isBlank()) {
      return Wanted.JSON;
    }
    double best = -1;
    boolean compact = false;
    for (String part : accept.split(",")) {
      MediaType m;
      try {
        m = MediaType.valueOf(part.strip());
      } catch (IllegalArgumentException e) {
        if (strict) {
          return Wanted.NEITHER;
        }
        continue;
      }
      double q = quality(m);
      boolean isCompact =
          m.getType().equalsIgnoreCase(COMPACT.getType())
              && m.getSubtype().equalsIgnoreCase(COMPACT.getSubtype());
      boolean servesJson = m.isCompatible(MediaType.APPLICATION_JSON_TYPE);
      if (q > 0 && (isCompact || servesJson) && (q > best || q == best && isCompact && !compact)) {
        best = q;
        compact = isCompact;
      }
    }
    return best < 0
        ? (strict ? Wanted.NEITHER : Wanted.JSON)
        : compact ? Wanted.COMPACT : Wanted.JSON;
  }

  private static double quality(MediaType m) {
    String q = m.getParameters().get("q");
    if (q == null) {
      return 1;
    }
    try {
      return Double.parseDouble(q);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
