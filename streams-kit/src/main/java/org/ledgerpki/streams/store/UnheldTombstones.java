package org.ledgerpki.streams.store;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Keeps a cached store from writing tombstones of keys it never held to its changelog.
 *
 * <p>Kafka Streams' record cache flushes each key's last write at a commit (or an eviction). A key
 * put and deleted between two flushes (a verdict waiting for its batch signature and signed before
 * the commit, say) reaches the changelog as one tombstone, although the changelog never held the
 * key. With a flush listener registered, the cache of Kafka Streams 4.3 looks the key up in the
 * store below before writing a tombstone and writes nothing when neither holds a value; what a
 * restore rebuilds is the same, one record fewer. The listener does nothing here: these stores feed
 * no table downstream.
 *
 * <p>{@link CachedStateStore} is an internal interface of Kafka Streams (the KTable operators use
 * it). The project pins Kafka Streams' version; {@code UnheldTombstonesTest} counts the changelog
 * records on that version, and fails if the behaviour goes.
 */
public final class UnheldTombstones {
  private UnheldTombstones() {}

  /**
   * Registers the do-nothing flush listener on {@code store}, as returned by {@code
   * ProcessorContext.getStateStore}.
   *
   * @return whether the store has a record cache (false: no cache, nothing changes)
   */
  public static boolean skip(StateStore store) {
    return store instanceof CachedStateStore<?, ?> cached && register(cached);
  }

  private static <K, V> boolean register(CachedStateStore<K, V> cached) {
    return cached.setFlushListener(record -> {}, false);
  }
}
