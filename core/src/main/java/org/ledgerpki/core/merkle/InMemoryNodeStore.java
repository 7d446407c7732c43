package org.ledgerpki.core.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link NodeStore} in memory: per level, hashes packed into fixed-size chunks of one byte array
 * each, with a presence bitmap. About 64 bytes per leaf (the leaves, plus one node per two leaves
 * at level 1, one per four at level 2, ...), with no boxed keys. A chunk (1024 nodes, 32 KiB) is
 * allocated when its first node is written. Node indices are bounded by what fits in memory.
 *
 * <p>Not thread-safe: one writer, or external synchronisation.
 */
public final class InMemoryNodeStore implements NodeStore {
  private static final int CHUNK_BITS = 10;
  private static final int CHUNK_NODES = 1 << CHUNK_BITS;
  private static final int HASH = Rfc9162.HASH_SIZE;

  /** levels.get(level).get(chunk) is null until a node of that chunk is written. */
  private final List<List<Chunk>> levels = new ArrayList<>();

  private static final class Chunk {
    final byte[] hashes = new byte[CHUNK_NODES * HASH];
    final long[] present = new long[CHUNK_NODES / Long.SIZE];
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns a copy.
   *
   * @throws IllegalArgumentException if {@code level} or {@code index} is out of range
   */
  @Override
  public byte[] get(int level, long index) {
    Node.checkPosition(level, index);
    Chunk chunk = chunk(level, index, false);
    if (chunk == null) {
      return null;
    }
    int slot = (int) (index & (CHUNK_NODES - 1));
    if ((chunk.present[slot >>> 6] & (1L << slot)) == 0) {
      return null;
    }
    return Arrays.copyOfRange(chunk.hashes, slot * HASH, (slot + 1) * HASH);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code level} or {@code index} is out of range, or {@code
   *     hash} is not 32 bytes
   */
  @Override
  public void put(int level, long index, byte[] hash) {
    Node.checkPosition(level, index);
    Objects.requireNonNull(hash, "hash");
    if (hash.length != HASH) {
      throw new IllegalArgumentException("node hash has " + hash.length + " bytes, want " + HASH);
    }
    Chunk chunk = chunk(level, index, true);
    int slot = (int) (index & (CHUNK_NODES - 1));
    System.arraycopy(hash, 0, chunk.hashes, slot * HASH, HASH);
    chunk.present[slot >>> 6] |= 1L << slot;
  }

  private Chunk chunk(int level, long index, boolean create) {
    long chunkIndex = index >>> CHUNK_BITS;
    if (chunkIndex >= Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "node (level " + level + ", index " + index + ") is beyond an in-memory store");
    }
    if (level >= levels.size()) {
      if (!create) {
        return null;
      }
      while (levels.size() <= level) {
        levels.add(new ArrayList<>());
      }
    }
    List<Chunk> chunks = levels.get(level);
    int c = (int) chunkIndex;
    if (c >= chunks.size()) {
      if (!create) {
        return null;
      }
      while (chunks.size() <= c) {
        chunks.add(null);
      }
    }
    Chunk chunk = chunks.get(c);
    if (chunk == null && create) {
      chunk = new Chunk();
      chunks.set(c, chunk);
    }
    return chunk;
  }
}
