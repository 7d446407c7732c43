/**
 * ledger-pki cosign-stream: the per-organisation cosigner (mirror and witness, {@link
 * org.ledgerpki.cosign.CosignerTopology}) and the shared aggregator and landmark allocator ({@link
 * org.ledgerpki.cosign.AggregatorTopology}), run together by {@link
 * org.ledgerpki.cosign.CosignService}. See docs/cosign-stream.md.
 */
package org.ledgerpki.cosign;
