/**
 * The aggregator and landmark allocator application ({@link
 * org.ledgerpki.cosign.aggregator.AggregatorTopology}, {@code application.id = ledger-aggregator}):
 * its processor routes checkpoints and cosignatures to the checkpoint quorum, the subtree
 * signatures and the landmark allocator.
 */
package org.ledgerpki.cosign.aggregator;
