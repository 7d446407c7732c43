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
