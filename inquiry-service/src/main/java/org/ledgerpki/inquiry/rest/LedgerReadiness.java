package org.ledgerpki.inquiry.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.ledgerpki.inquiry.InquiryNode;
import org.ledgerpki.inquiry.index.LedgerTopic;

/**
 * Readiness: DOWN until the node has caught up with the ledger (every followed topic, {@code
 * ledger.policy} included, read to its end offset at start-up), UP from then on, unless its ledger
 * follower stopped on an error ({@link LedgerLiveness}).
 */
@Readiness
@ApplicationScoped
public class LedgerReadiness implements HealthCheck {
  @Inject InquiryNode node;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("ledger")
            .status(node.state().caughtUp() && node.state().live())
            .withData("phase", node.state().phase())
            .withData("skippedRecords", node.state().skipped());
    for (LedgerTopic t : LedgerTopic.values()) {
      b.withData("lag." + t.name().toLowerCase(java.util.Locale.ROOT), node.state().lag(t));
    }
    if (node.index() != null) {
      b.withData("certificates", node.index().certificateCount());
    }
    if (node.policies() != null) {
      b.withData("policySerial", node.policies().latest().serial());
    }
    return b.build();
  }
}
