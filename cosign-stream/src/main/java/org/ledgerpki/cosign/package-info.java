/**
 * ledger-pki cosign-stream: the per-organisation cosigner ({@link
 * org.ledgerpki.cosign.CosignerTopology}, whose {@code CosignerProcessor} only routes records to
 * the jobs in the sub-packages) and the shared aggregator and landmark allocator ({@link
 * org.ledgerpki.cosign.aggregator.AggregatorTopology}), run together by {@link
 * org.ledgerpki.cosign.CosignService}. The cosigner's pipeline: {@code mirror} (entries), {@code
 * status} (status events), {@code witness} (checkpoints), {@code landmarks} (landmark subtrees),
 * with {@code parking} for records that arrived before the mirror could handle them. See
 * docs/cosign-stream.md and docs/architecture.md.
 */
package org.ledgerpki.cosign;
