package org.ledgerpki.streams.store;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.merkle.NodeStore;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * Core's {@link NodeStore} over a Kafka Streams key-value store, so that a Merkle tree's perfect
 * nodes are changelogged and committed with the records that produced them, and rebuilt from the
 * changelog after a restart or a move to another instance.
 *
 * <p>Key: a fixed prefix (empty for a store that holds one tree; e.g. {@link StoreKeys#of
 * StoreKeys.of(origin, tag)} for a store shared by the trees of several logs), then 1 byte level,
 * then the index as 8 bytes big-endian, so that keys sort by prefix, level, then index. Value: the
 * 32-byte hash.
 */
public final class KeyValueNodeStore implements NodeStore {
  private static final byte[] NO_PREFIX = new byte[0];

  private final KeyValueStore<Bytes, byte[]> store;
  private final byte[] prefix;

  /** The tree that {@code store} holds alone (keys have no prefix). */
  public KeyValueNodeStore(KeyValueStore<Bytes, byte[]> store) {
    this(store, NO_PREFIX);
  }

  /**
   * One of the trees that {@code store} holds, the one whose keys start with {@code prefix}.
   * Requires a prefix that no other tree's prefix starts with.
   */
  public KeyValueNodeStore(KeyValueStore<Bytes, byte[]> store, Bytes prefix) {
    this(store, Objects.requireNonNull(prefix, "prefix").get().clone());
  }

  private KeyValueNodeStore(KeyValueStore<Bytes, byte[]> store, byte[] prefix) {
    this.store = Objects.requireNonNull(store, "store");
    this.prefix = prefix;
  }

  /**
   * The store key of node {@code (level, index)} of the tree with no prefix. Requires 0 <= level <=
   * 62, 0 <= index.
   */
  public static Bytes key(int level, long index) {
    return key(NO_PREFIX, level, index);
  }

  private static Bytes key(byte[] prefix, int level, long index) {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no node (level " + level + ", index " + index + ")");
    }
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + 1 + Long.BYTES)
            .put(prefix)
            .put((byte) level)
            .putLong(index)
            .array());
  }

  @Override
  public byte[] get(int level, long index) {
    byte[] h = store.get(key(prefix, level, index));
    return h == null ? null : h.clone();
  }

  @Override
  public void put(int level, long index, byte[] hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException(
          "node hash has " + hash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
    store.put(key(prefix, level, index), hash.clone());
  }
}
