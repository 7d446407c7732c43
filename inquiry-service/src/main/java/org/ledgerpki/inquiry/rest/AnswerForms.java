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

  static AnswerForm.Parsed parse(String accept, String held) {
    return AnswerForm.parse(prefersCompact(accept), held);
  }

  /**
   * Whether the client ranks the compact form first: the most preferred of its {@code Accept} types
   * that this resource serves is the compact one (a wildcard or JSON ranked first, or no {@code
   * Accept}, means JSON, the contract's form).
   */
  static boolean prefersCompact(String accept) {
    if (accept == null || !accept.contains(COMPACT.getSubtype())) {
      return false;
    }
    double best = -1;
    boolean compact = false;
    for (String part : accept.split(",")) {
      MediaType m;
      try {
        m = MediaType.valueOf(part.strip());
      } catch (IllegalArgumentException e) {
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
    return compact;
  }

  /**
   * Whether {@code GET /v1/status/{sha256}}'s two forms satisfy the request's {@code Accept}: no
   * {@code Accept}, or a media range with a quality above 0 that JSON or the compact form matches.
   * {@code false} also when a part does not parse, so that the caller can leave such a request to
   * JAX-RS' content negotiation (406 Not Acceptable, as before the route).
   */
  static boolean acceptable(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    boolean acceptable = false;
    for (String part : accept.split(",")) {
      MediaType m;
      try {
        m = MediaType.valueOf(part.strip());
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (quality(m) > 0
          && (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) || m.isCompatible(COMPACT))) {
        acceptable = true;
      }
    }
    return acceptable;
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
