/**
 * Checkpoints ({@code checkpoint} processor): signs the log's checkpoint (tree head, status
 * commitment and policy) when the log grew, the policy changed, or a heartbeat is due.
 */
package org.ledgerpki.issuance.checkpoint;
