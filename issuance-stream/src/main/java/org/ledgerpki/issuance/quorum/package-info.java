/**
 * The endorsement quorum ({@code quorum} processor): reads submissions and endorsements, counts the
 * verdicts with core's {@link org.ledgerpki.core.quorum.EndorsementQuorum}, decides ISSUE
 * submissions and hands lifecycle requests to {@link org.ledgerpki.issuance.lifecycle}.
 */
package org.ledgerpki.issuance.quorum;
