package org.ledgerpki.inquiry.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.ledgerpki.inquiry.InquiryNode;

/**
 * Liveness: UP while the node's ledger follower runs (waiting for the topics, catching up or
 * following), DOWN once it stopped on an error, with the error in its data. A node in that state
 * answers only from what it held, and its answers go stale; it does not recover by itself.
 */
@Liveness
@ApplicationScoped
public class LedgerLiveness implements HealthCheck {
  @Inject InquiryNode node;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("ledger-follower")
            .status(node.state().live())
            .withData("phase", node.state().phase());
    node.state().failure().ifPresent(f -> b.withData("failure", f));
    return b.build();
  }
}
