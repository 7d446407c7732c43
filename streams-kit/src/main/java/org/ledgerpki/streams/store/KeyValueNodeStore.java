package org.ledgerpki.streams.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
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
 * <p>Every key starts with a fixed prefix: empty for a store that holds one tree; e.g. {@link
 * StoreKeys#of StoreKeys.of(origin, tag)} for a store shared by the trees of several logs. The
 * prefixes of the trees of one store do not start with one another (nor are they equal).
 *
 * <p><b>Chunks (written).</b> The nodes of one level are grouped by {@value #CHUNK} consecutive
 * indices: chunk {@code c} of level {@code l} holds nodes {@code (l, 16c)} to {@code (l, 16c +
 * 15)}, node {@code (l, i)} in slot {@code i & 15} of chunk {@code i >>> 4}. Key: prefix, then the
 * marker byte {@value #CHUNK_MARKER} ({@code 'C'}), then 1 byte level (0 to 62), then the chunk
 * number {@code i >>> 4} as 8 bytes big-endian: 10 bytes after the prefix, sorting by prefix,
 * level, then chunk. Value: a 2-byte big-endian presence bitmap (bit {@code s}, value {@code 1 <<
 * s}, set if slot {@code s} holds a node), then 32 bytes per slot from slot 0 to the highest
 * present slot {@code h}: {@code 2 + 32 * (h + 1)} bytes, between 34 and 514; an absent slot below
 * {@code h} is 32 zero bytes. A put reads the chunk, sets its slot and writes the chunk back (a
 * fresh array), so puts may come in any order, leave gaps, or be replayed. An append-only tree
 * rewrites the same few chunks over and over; with the record cache in front of the store, each
 * dirty chunk reaches the changelog once per commit instead of one record per node.
 *
 * <p><b>Per-node keys (read only).</b> Stores written before the chunks hold one key per node:
 * prefix, then 1 byte level (0 to 62), then the index as 8 bytes big-endian (9 bytes after the
 * prefix); value: the 32-byte hash. {@link #get} reads the chunk first and, if its slot is absent,
 * that key, so a store restored from an older changelog keeps its nodes; nothing writes such keys
 * any more, and a node written again (a replay) goes to its chunk.
 *
 * <p><b>Why the two layouts cannot collide.</b> If a chunk key of one tree equalled a per-node key
 * of another, both prefixes would start that key, so one would start with the other: the same tree,
 * by the invariant above. Within one prefix, the byte after it is a level (at most 62) in a
 * per-node key and the marker (67) in a chunk key, and the lengths after the prefix differ (9 and
 * 10 bytes). A chunk key never equals another tree's chunk key for the same reason.
 */
public final class KeyValueNodeStore implements NodeStore {
  /** Nodes per chunk: consecutive indices of one level. */
  public static final int CHUNK = 16;

  /** The byte after the prefix of a chunk key; a per-node key has its level (≤ 62) there. */
  public static final int CHUNK_MARKER = 'C';

  private static final int SLOT_BITS = 4;
  private static final int BITMAP = 2;
  private static final int HASH = Rfc9162.HASH_SIZE;
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
   * The store key of the chunk that holds node {@code (level, index)} of the tree with no prefix.
   * Requires 0 <= level <= 62, 0 <= index.
   */
  public static Bytes chunkKey(int level, long index) {
    return chunkKey(NO_PREFIX, level, index);
  }

  private static void check(int level, long index) {
    if (level < 0 || level > 62 || index < 0) {
      throw new IllegalArgumentException("no node (level " + level + ", index " + index + ")");
    }
  }

  private static Bytes chunkKey(byte[] prefix, int level, long index) {
    check(level, index);
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + 2 + Long.BYTES)
            .put(prefix)
            .put((byte) CHUNK_MARKER)
            .put((byte) level)
            .putLong(index >>> SLOT_BITS)
            .array());
  }

  /** The per-node key of the layout before the chunks (read only). */
  private static Bytes nodeKey(byte[] prefix, int level, long index) {
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + 1 + Long.BYTES)
            .put(prefix)
            .put((byte) level)
            .putLong(index)
            .array());
  }

  @Override
  public byte[] get(int level, long index) {
    Bytes key = chunkKey(prefix, level, index);
    byte[] chunk = store.get(key);
    int slot = (int) (index & (CHUNK - 1));
    if (chunk != null && (bitmap(chunk, key) & (1 << slot)) != 0) {
      int from = BITMAP + slot * HASH;
      return Arrays.copyOfRange(chunk, from, from + HASH);
    }
    byte[] h = store.get(nodeKey(prefix, level, index));
    return h == null ? null : h.clone();
  }

  @Override
  public void put(int level, long index, byte[] hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != HASH) {
      throw new IllegalArgumentException(
          "node hash has " + hash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
    Bytes key = chunkKey(prefix, level, index);
    int slot = (int) (index & (CHUNK - 1));
    byte[] old = store.get(key);
    int bits = old == null ? 0 : bitmap(old, key);
    int length = Math.max(old == null ? 0 : old.length, BITMAP + (slot + 1) * HASH);
    // A fresh array: the store (or its cache) may keep the one it is given, and hands out its own.
    byte[] chunk = new byte[length];
    if (old != null) {
      System.arraycopy(old, 0, chunk, 0, old.length);
    }
    bits |= 1 << slot;
    chunk[0] = (byte) (bits >>> 8);
    chunk[1] = (byte) bits;
    System.arraycopy(hash, 0, chunk, BITMAP + slot * HASH, HASH);
    store.put(key, chunk);
  }

  /** The presence bitmap of {@code chunk}, after checking its length against it. */
  private static int bitmap(byte[] chunk, Bytes key) {
    int bits = chunk.length < BITMAP ? 0 : ((chunk[0] & 0xff) << 8) | (chunk[1] & 0xff);
    int want = BITMAP + (32 - Integer.numberOfLeadingZeros(bits)) * HASH;
    if (bits == 0 || chunk.length != want) {
      throw new IllegalStateException(
          "node chunk " + key + " has " + chunk.length + " bytes and bitmap " + bits);
    }
    return bits;
  }
}
