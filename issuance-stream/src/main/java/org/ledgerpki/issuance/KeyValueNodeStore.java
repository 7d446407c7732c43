package org.ledgerpki.issuance;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.merkle.NodeStore;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * Core's {@link NodeStore} over a Kafka Streams key-value store, so that the Merkle tree's perfect
 * nodes are changelogged and committed with the index that produced them. Key: 1 byte level, then
 * the index as 8 bytes big-endian (so keys sort by level, then index). Value: the 32-byte hash.
 */
final class KeyValueNodeStore implements NodeStore {
  private final KeyValueStore<Bytes, byte[]> store;

  KeyValueNodeStore(KeyValueStore<Bytes, byte[]> store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The store key of node {@code (level, index)}. Requires 0 <= level <= 62, 0 <= index. */
  static Bytes key(int level, long index) {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no node (level " + level + ", index " + index + ")");
    }
    return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES).put((byte) level).putLong(index).array());
  }

  @Override
  public byte[] get(int level, long index) {
    byte[] h = store.get(key(level, index));
    return h == null ? null : h.clone();
  }

  @Override
  public void put(int level, long index, byte[] hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException(
          "node hash has " + hash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
    store.put(key(level, index), hash.clone());
  }
}
