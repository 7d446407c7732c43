package org.ledgerpki.inquiry.rest;

import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.inquiry.query.AnswerForm;
import org.ledgerpki.inquiry.query.StatusResult;

/**
 * The HTTP reply to a status question: the one mapping of a {@link StatusResult} to a status code,
 * headers and body, written to the wire by {@link StatusRoute} ({@code GET /v1/status/{sha256}})
 * and turned into a JAX-RS {@link Response} by {@link StatusResource} ({@code POST /v1/status}).
 */
sealed interface StatusReply {

  /** What an answer's form depends on, besides the path and the body. */
  String VARY = HttpHeaders.ACCEPT + ", " + AnswerForms.HELD_HEADER;

  /** The value of {@code Cache-Control} on every answer. */
  String NO_STORE = "no-store";

  /** The outcome's name in the status counter ({@code good}, {@code unknown}, {@code invalid}…). */
  Outcome outcome();

  /** The outcomes a status question can have, as counted by the route. */
  enum Outcome {
    GOOD,
    REVOKED,
    PENDING,
    REJECTED,
    UNKNOWN,
    INVALID,
    NOT_READY;

    /** The counter's tag value: the name in lower case, {@code -} for {@code _}. */
    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * An answer (200, or 404 for UNKNOWN), with {@code Cache-Control: no-store} and {@code Vary}.
   *
   * @param status 200 or 404
   * @param mediaType {@code application/json} or the compact form's type
   * @param body the encoded answer
   */
  record Answer(Outcome outcome, int status, String mediaType, Buffer body)
      implements StatusReply {}

  /**
   * An RFC 9457 problem: 400 for a malformed question, 503 while the node catches up.
   *
   * @param retryAfterSeconds the {@code Retry-After} value of a 503, 0 for none
   */
  record Refused(Outcome outcome, Problem problem, long retryAfterSeconds) implements StatusReply {}

  /**
   * The reply to a status question.
   *
   * @param parsed the form the request's {@code Accept} and {@code X-Checkpoint-Held} asked for
   * @param query the question, asked in that form (not called when the held header is malformed)
   * @param instance the request's path and query, for a problem's {@code instance}
   */
  static StatusReply of(
      AnswerForm.Parsed parsed, Function<AnswerForm, StatusResult> query, String instance) {
    return switch (parsed) {
      case AnswerForm.Parsed.Form f -> of(query.apply(f.form()), instance);
      case AnswerForm.Parsed.Bad b ->
          new Refused(Outcome.INVALID, Problem.badRequestProblem(b.fault(), instance), 0);
    };
  }

  private static StatusReply of(StatusResult result, String instance) {
    return switch (result) {
      case StatusResult.Good g -> proven(Outcome.GOOD, g.answer(), g.compact());
      case StatusResult.Revoked r -> proven(Outcome.REVOKED, r.answer(), r.compact());
      case StatusResult.Pending p -> json(Outcome.PENDING, 200, p.answer());
      case StatusResult.Rejected r -> json(Outcome.REJECTED, 200, r.answer());
      case StatusResult.Unknown u -> json(Outcome.UNKNOWN, 404, u.answer());
      case StatusResult.Invalid i ->
          new Refused(Outcome.INVALID, Problem.badRequestProblem(i.fault(), instance), 0);
      case StatusResult.NotReady n ->
          new Refused(
              Outcome.NOT_READY,
              Problem.notReadyProblem(n.retryAfter(), n.phase(), instance),
              Problem.retryAfterSeconds(n.retryAfter()));
    };
  }

  /** An answer with proofs, in the form asked for: compact when it was encoded so. */
  private static Answer proven(Outcome outcome, StatusAnswer answer, byte[] compact) {
    return compact != null
        ? new Answer(outcome, 200, CompactAnswer.MEDIA_TYPE, Buffer.buffer(compact))
        : json(outcome, 200, answer);
  }

  private static Answer json(Outcome outcome, int status, StatusAnswer answer) {
    return new Answer(outcome, status, MediaType.APPLICATION_JSON, AnswerJson.buffer(answer));
  }

  /** This reply as a JAX-RS response, with the same status, headers and body. */
  default Response toResponse() {
    return switch (this) {
      case Answer a ->
          Response.status(a.status())
              .type(a.mediaType())
              .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
              .header(HttpHeaders.VARY, VARY)
              .entity(a.body())
              .build();
      case Refused r -> Problem.response(r.problem(), r.retryAfterSeconds());
    };
  }
}
