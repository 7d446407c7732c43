package org.ledgerpki.cosign;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.merkle.NodeStore;

/**
 * The perfect-subtree hashes of one log's mirror tree, kept in a Kafka Streams key-value store
 * (shared by every log of the task, keyed by origin, level and index), so that the mirror is
 * rebuilt from its changelog after a restart or a move to another instance.
 */
final class KeyValueNodeStore implements NodeStore {
  private static final int TAG = 'N';

  private final KeyValueStore<Bytes, byte[]> store;
  private final String origin;

  KeyValueNodeStore(KeyValueStore<Bytes, byte[]> store, String origin) {
    this.store = store;
    this.origin = origin;
  }

  private Bytes key(int level, long index) {
    return StoreKeys.of(origin, TAG).u8(level).u64(index).build();
  }

  @Override
  public byte[] get(int level, long index) {
    byte[] h = store.get(key(level, index));
    return h == null ? null : h.clone();
  }

  @Override
  public void put(int level, long index, byte[] hash) {
    store.put(key(level, index), hash.clone());
  }
}
