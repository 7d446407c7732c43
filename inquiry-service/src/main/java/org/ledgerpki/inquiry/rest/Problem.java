package org.ledgerpki.inquiry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.ledgerpki.inquiry.query.Fault;

/**
 * An RFC 9457 problem body ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem, {@code urn:ledgerpki:problem:<name>}
 * @param title a short summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what exactly went wrong with this request
 * @param instance the request path (and query) the problem is about
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String instance) {

  /** The media type of a problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final String TYPE_PREFIX = "urn:ledgerpki:problem:";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A 400 for a malformed request. */
  static Response badRequest(Fault fault, String instance) {
    return response(badRequestProblem(fault, instance), 0);
  }

  /** The problem of a 400 for a malformed request. */
  static Problem badRequestProblem(Fault fault, String instance) {
    return new Problem(TYPE_PREFIX + fault.type(), fault.title(), 400, fault.detail(), instance);
  }

  /** A 404 for something this node does not have. */
  static Response notFound(String detail, String instance) {
    return response(new Problem(TYPE_PREFIX + "not-found", "Not found", 404, detail, instance), 0);
  }

  /** A 503 with {@code Retry-After} while the node catches up. */
  static Response notReady(Duration retryAfter, String phase, String instance) {
    return response(notReadyProblem(retryAfter, phase, instance), retryAfterSeconds(retryAfter));
  }

  /** The problem of a 503 while the node catches up. */
  static Problem notReadyProblem(Duration retryAfter, String phase, String instance) {
    return new Problem(
        TYPE_PREFIX + "not-ready",
        "The inquiry node is catching up with the ledger",
        503,
        "the node has not yet read the ledger up to where it stood at start-up ("
            + phase
            + "); retry after "
            + retryAfterSeconds(retryAfter)
            + " s",
        instance);
  }

  /** {@code retryAfter} in whole seconds for {@code Retry-After}, rounded up, at least 1. */
  static long retryAfterSeconds(Duration retryAfter) {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  /** The problem as a response, with {@code Retry-After} unless {@code retryAfterSeconds} is 0. */
  static Response response(Problem p, long retryAfterSeconds) {
    Response.ResponseBuilder b = Response.status(p.status()).type(MEDIA_TYPE).entity(p.toJson());
    if (retryAfterSeconds > 0) {
      b.header(RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    return b.build();
  }

  /** The header a 503 names the wait in. */
  static final String RETRY_AFTER = "Retry-After";

  /** The problem as JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
