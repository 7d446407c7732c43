/**
 * The witness: decides whether to cosign a checkpoint ({@link
 * org.ledgerpki.cosign.witness.Witness}) and publishes the cosignatures ({@link
 * org.ledgerpki.cosign.witness.CosignatureOut}); the checks of checkpoints and cosignatures that
 * the cosigner and the aggregator share ({@link org.ledgerpki.cosign.witness.CheckpointCheck},
 * {@link org.ledgerpki.cosign.witness.CosignatureCheck}), and the refusal reasons.
 */
package org.ledgerpki.cosign.witness;
