package org.ledgerpki.inquiry.rest;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** Small helpers of the HTTP mapping. */
final class Requests {
  private Requests() {}

  /** The request's path and query, for a problem's {@code instance}. */
  static String instance(UriInfo uri) {
    URI u = uri.getRequestUri();
    return u.getRawQuery() == null ? u.getRawPath() : u.getRawPath() + "?" + u.getRawQuery();
  }
}
