/**
 * Merkle trees as RFC 9162 §2.1 defines them (SHA-256), and the subtrees of the MTC draft
 * (draft-ietf-plants-merkle-tree-certs, "Subtrees").
 *
 * <ul>
 *   <li>{@link org.ledgerpki.core.merkle.Rfc9162}: the hasher (MTH of the empty tree, leaf and node
 *       hashes).
 *   <li>{@link org.ledgerpki.core.merkle.Proofs} and {@link org.ledgerpki.core.merkle.Subtrees}:
 *       pure verifiers of inclusion, consistency, subtree inclusion and subtree consistency proofs.
 *       They throw {@link org.ledgerpki.core.merkle.ProofException} ("checked and rejected").
 *   <li>{@link org.ledgerpki.core.merkle.CompactRange}: the frontier of an append-only tree, O(log
 *       n) hashes, serialisable.
 *   <li>{@link org.ledgerpki.core.merkle.MerkleTree} over a {@link
 *       org.ledgerpki.core.merkle.NodeStore}: appends, roots at any earlier size, and proof
 *       generation.
 * </ul>
 *
 * <p>Sizes and indices are {@code long}s. The wire formats carry them as unsigned 64-bit values;
 * values of 2^63 or more do not fit and are rejected: verifiers throw {@link
 * org.ledgerpki.core.merkle.ProofException}, generators throw {@link IllegalArgumentException}.
 * Hashes are 32-byte arrays. No class here does I/O.
 */
package org.ledgerpki.core.merkle;
