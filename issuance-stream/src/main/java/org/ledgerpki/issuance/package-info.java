/**
 * The issuance stream: the consortium's Merkle Tree CA and sequencer, as one Kafka Streams
 * application built by {@link org.ledgerpki.issuance.IssuanceTopology#build} and run by {@link
 * org.ledgerpki.issuance.IssuanceService}. The sub-packages are the pipeline, one job each: {@code
 * quorum} collects endorsements until a quorum of distinct validator organisations agrees and sends
 * accepted certificates to be sequenced; {@code lifecycle} decides revocations, suspensions,
 * resumptions and renewals; {@code integrate} gives each admitted certificate the next index of the
 * log, appends its MTC log entry to the Merkle tree, and sequences status events; {@code
 * checkpoint} signs checkpoints; {@code governance} sequences policy changes. The trust decisions
 * are core's; the processors route, store and emit. See docs/issuance-stream.md.
 */
package org.ledgerpki.issuance;
