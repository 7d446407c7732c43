/**
 * The issuance stream: the consortium's Merkle Tree CA and sequencer, as one Kafka Streams
 * application built by {@link org.ledgerpki.issuance.IssuanceTopology#build}. It collects
 * endorsements until a quorum of distinct validator organisations agrees ({@code quorum}), gives
 * each admitted certificate the next index of the log and appends its MTC log entry to the Merkle
 * tree ({@code integrate}), and publishes log-signed checkpoints ({@code checkpoint}). See
 * docs/issuance-stream.md.
 */
package org.ledgerpki.issuance;
