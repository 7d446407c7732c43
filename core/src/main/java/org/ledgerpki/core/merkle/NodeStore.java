package org.ledgerpki.core.merkle;

/**
 * Storage of the hashes of perfect subtrees ({@link Node}s) of one append-only tree. Node {@code
 * (level, index)} is the root of leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0
 * holds the leaf hashes. {@link MerkleTree} writes every perfect node as it appears and reads O(log
 * n) of them per root or proof. A Kafka Streams state store implements this interface in the stream
 * apps; {@link InMemoryNodeStore} is the in-memory one.
 *
 * <p>Nodes never change once written, so a put may be replayed (rebuilding a store from the ledger
 * topic writes the same values again).
 */
public interface NodeStore {
  /**
   * Returns the hash of node {@code (level, index)}, or {@code null} if the store has none.
   * Requires {@code 0 <= level <= 62} and {@code 0 <= index}. The caller owns the returned array:
   * an implementation returns a fresh array or a copy, never its own storage.
   */
  byte[] get(int level, long index);

  /**
   * Stores {@code hash} (32 bytes) as node {@code (level, index)}, replacing any previous value.
   * Requires {@code 0 <= level <= 62}, {@code 0 <= index}. The store must not keep a reference to
   * {@code hash} that the caller could later modify.
   */
  void put(int level, long index, byte[] hash);
}
