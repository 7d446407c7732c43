package org.ledgerpki.inquiry.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import org.ledgerpki.inquiry.query.AnswerForm;
import org.ledgerpki.inquiry.query.InquiryQueries;

/**
 * Serves {@code GET /v1/status/{sha256}} from a plain Vert.x route on the event loop, ahead of
 * JAX-RS (ADR 0011): the hottest query of the node without RESTEasy Reactive's per-request work and
 * without Micrometer's per-request HTTP timer (the path is in {@code
 * quarkus.micrometer.binder.http-server.ignore-patterns}). The reply is {@link StatusReply}'s, the
 * one mapping JAX-RS' {@code POST /v1/status} uses too, so both give the same status codes, headers
 * and bodies. {@link StatusResource#byHash} stays for the OpenAPI document and answers what the
 * route passes on: {@code HEAD}, and an {@code Accept} that neither form satisfies (406).
 *
 * <p>Each answer the route gives is counted in {@code
 * ledgerpki_inquiry_status_answers_total{outcome}} ({@link StatusReply.Outcome#tag()}).
 */
@ApplicationScoped
public class StatusRoute {
  /** The route's path; {@code sha256} is the path parameter. */
  static final String PATH = "/v1/status/:sha256";

  /** The counter's name (Prometheus: {@code ledgerpki_inquiry_status_answers_total}). */
  static final String COUNTER = "ledgerpki.inquiry.status.answers";

  @Inject InquiryQueries queries;
  @Inject MeterRegistry metrics;

  private Counter[] answers;

  /** Registers the route before JAX-RS' (which Quarkus orders after the default order). */
  void register(@Observes Router router) {
    StatusReply.Outcome[] outcomes = StatusReply.Outcome.values();
    Counter[] counters = new Counter[outcomes.length];
    for (StatusReply.Outcome o : outcomes) {
      counters[o.ordinal()] =
          Counter.builder(COUNTER)
              .description("Answers of GET /v1/status/{sha256}, by outcome")
              .tag("outcome", o.tag())
              .register(metrics);
    }
    answers = counters;
    router.get(PATH).order(RouteConstants.ROUTE_ORDER_DEFAULT).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    AnswerForms.Wanted wanted = AnswerForms.wanted(accept, true);
    if (wanted == AnswerForms.Wanted.NEITHER) {
      rc.next();
      return;
    }
    String sha256 = rc.pathParam("sha256");
    StatusReply reply =
        StatusReply.of(
            AnswerForm.parse(
                wanted == AnswerForms.Wanted.COMPACT, request.getHeader(AnswerForms.HELD_HEADER)),
            form -> queries.status(sha256, form),
            instance(request));
    answers[reply.outcome().ordinal()].increment();
    write(request.response(), reply);
  }

  /** The request's path and query, as {@link Requests#instance} gives it under JAX-RS. */
  private static String instance(HttpServerRequest request) {
    String query = request.query();
    return query == null ? request.path() : request.path() + "?" + query;
  }

  private static void write(HttpServerResponse response, StatusReply reply) {
    MultiMap headers = response.headers();
    switch (reply) {
      case StatusReply.Answer a -> {
        response.setStatusCode(a.status());
        headers.set(HttpHeaders.CONTENT_TYPE, a.mediaType());
        headers.set(HttpHeaders.CACHE_CONTROL, StatusReply.NO_STORE);
        headers.set(HttpHeaders.VARY, StatusReply.VARY);
        response.end(a.body());
      }
      case StatusReply.Refused r -> {
        response.setStatusCode(r.problem().status());
        headers.set(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (r.retryAfterSeconds() > 0) {
          headers.set(Problem.RETRY_AFTER, Long.toString(r.retryAfterSeconds()));
        }
        response.end(r.problem().toJson());
      }
    }
  }
}
