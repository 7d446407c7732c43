package org.ledgerpki.inquiry.query;

import java.util.List;
import java.util.Locale;

/**
 * The form a client asked a status answer in (ADR 0009, docs/inquiry-api.md): JSON or the compact
 * binary form, and the checkpoints it says it holds, by name.
 *
 * <ul>
 *   <li>An answer whose checkpoint is among {@code held} leaves the note out and only names it.
 *   <li>A compact answer carries the checkpoint's Ed25519 status form rather than the full note,
 *       and leaves out the certificate when the query carried it.
 * </ul>
 *
 * @param compact whether the client asked for {@code application/vnd.ledgerpki.status-answer}
 * @param held the names ({@code checkpointSha256}, lowercase hex) the client holds
 */
public record AnswerForm(boolean compact, List<String> held) {
  /** The most names one request may give. */
  public static final int MAX_HELD = 8;

  /** JSON, holding nothing: the answer as DESIGN.md defines it. */
  public static final AnswerForm JSON = new AnswerForm(false, List.of());

  /** Freezes the list. */
  public AnswerForm {
    held = List.copyOf(held);
  }

  /** Whether the client holds the checkpoint named {@code sha256}. */
  public boolean holds(String sha256) {
    return held.contains(sha256);
  }

  /** A parsed form, or why the header is not one. */
  public sealed interface Parsed {
    /** The form. */
    record Form(AnswerForm form) implements Parsed {}

    /** What is wrong with the header. */
    record Bad(Fault fault) implements Parsed {}
  }

  /**
   * Parses the request's {@code X-Checkpoint-Held} header (absent, or up to {@value #MAX_HELD}
   * checkpoint names, 64 hex characters each, separated by commas).
   *
   * @param compact whether the client asked for the compact form
   */
  public static Parsed parse(boolean compact, String heldHeader) {
    if (heldHeader == null || heldHeader.isBlank()) {
      return new Parsed.Form(compact ? new AnswerForm(true, List.of()) : JSON);
    }
    String[] parts = heldHeader.split(",", -1);
    if (parts.length > MAX_HELD) {
      return bad("names " + parts.length + " checkpoints; at most " + MAX_HELD + " are accepted");
    }
    List<String> names = new java.util.ArrayList<>(parts.length);
    for (String p : parts) {
      String name = p.strip();
      if (!CertificateInput.isHex64(name)) {
        return bad(
            "names a checkpoint by the 64 hex characters of its checkpointSha256; got "
                + (name.isEmpty() ? "an empty name" : "'" + abbreviate(name) + "'"));
      }
      names.add(name.toLowerCase(Locale.ROOT));
    }
    return new Parsed.Form(new AnswerForm(compact, names));
  }

  private static Parsed bad(String detail) {
    return new Parsed.Bad(
        new Fault(
            "malformed-checkpoint-held",
            "Malformed X-Checkpoint-Held header",
            "X-Checkpoint-Held " + detail));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
