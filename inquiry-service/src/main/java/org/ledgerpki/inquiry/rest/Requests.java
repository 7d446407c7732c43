package org.ledgerpki.inquiry.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.function.Function;
import org.ledgerpki.inquiry.query.Lookup;

/** Small helpers of the HTTP mapping. */
final class Requests {
  private Requests() {}

  /** The request's path and query, for a problem's {@code instance}. */
  static String instance(UriInfo uri) {
    URI u = uri.getRequestUri();
    return u.getRawQuery() == null ? u.getRawPath() : u.getRawPath() + "?" + u.getRawQuery();
  }

  /**
   * The HTTP answer to a lookup: {@code found} of the value, or the RFC 9457 problem of a miss
   * (404), bad input (400) or a node still catching up (503 with Retry-After).
   */
  static <T> Response respond(Lookup<T> lookup, UriInfo uri, Function<T, Response> found) {
    return switch (lookup) {
      case Lookup.Found<T> f -> found.apply(f.value());
      case Lookup.NotFound<T> n -> Problem.notFound(n.detail(), instance(uri));
      case Lookup.Invalid<T> i -> Problem.badRequest(i.fault(), instance(uri));
      case Lookup.NotReady<T> n -> Problem.notReady(n.retryAfter(), n.phase(), instance(uri));
    };
  }
}
