package org.ledgerpki.core.merkle;

import java.util.Arrays;
import java.util.Objects;
import org.ledgerpki.core.Hex;

/**
 * The hash of a perfect (full, power-of-two) subtree: node {@code (level, index)} is the root of
 * leaves {@code [index * 2^level, (index + 1) * 2^level)}. Level 0 holds the leaf hashes. Such
 * nodes never change once the tree has them, which is why {@link NodeStore} keeps only these.
 *
 * @param level the height above the leaves, {@code 0 <= level <= 62}
 * @param index the position among the nodes of that level
 * @param hash the node's hash, 32 bytes (copied in and out)
 */
public record Node(int level, long index, byte[] hash) {
  /**
   * Requires {@code 0 <= level <= 62}, {@code 0 <= index}, the node's leaves below 2^63, and a
   * 32-byte hash.
   *
   * @throws IllegalArgumentException otherwise
   */
  public Node {
    checkPosition(level, index);
    Objects.requireNonNull(hash, "hash");
    if (hash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException(
          "node hash has " + hash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
    hash = hash.clone();
  }

  /** The node's hash (a copy). */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** The first leaf under this node, {@code index * 2^level}. */
  public long start() {
    return index << level;
  }

  /** One past the last leaf under this node, {@code (index + 1) * 2^level}. */
  public long end() {
    return (index + 1) << level;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Node n
        && n.level == level
        && n.index == index
        && Arrays.equals(n.hash, hash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(level, index, Arrays.hashCode(hash));
  }

  @Override
  public String toString() {
    return "Node[level=" + level + ", index=" + index + ", hash=" + Hex.encode(hash) + "]";
  }

  /**
   * Checks that node {@code (level, index)} covers leaves below 2^63.
   *
   * @throws IllegalArgumentException otherwise
   */
  static void checkPosition(int level, long index) {
    if (level < 0 || level > 62 || index < 0 || index > (Long.MAX_VALUE >>> level) - 1) {
      throw new IllegalArgumentException(
          "no node (level " + level + ", index " + index + ") in a tree below 2^63 leaves");
    }
  }
}
