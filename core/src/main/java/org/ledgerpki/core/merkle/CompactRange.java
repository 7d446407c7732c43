package org.ledgerpki.core.merkle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/**
 * The frontier of an append-only Merkle tree: its size and the roots of the perfect subtrees that
 * cover leaves {@code [0, size)}, one per set bit of {@code size}, largest (leftmost) first. That
 * is O(log n) hashes, and enough to append leaves and to compute the current root.
 *
 * <p>For example a tree of 6 leaves has the frontier {@code MTH(D[0:4]), MTH(D[4:6])}.
 *
 * <p>Serialised by {@link #toBytes()} as: one format byte {@code 0x01}, the size as an 8-byte
 * big-endian integer, then the hashes (32 bytes each), so a state store can keep it next to the
 * nodes. Not thread-safe.
 */
public final class CompactRange {
  private static final byte FORMAT = 0x01;
  private static final int HEADER = 1 + Long.BYTES;

  private long size;
  // The roots of the perfect subtrees, left to right; hashes.get(i) has level
  // (the i-th highest set bit of size).
  private final ArrayList<byte[]> hashes;

  /** Creates the frontier of the empty tree. */
  public CompactRange() {
    this.size = 0;
    this.hashes = new ArrayList<>();
  }

  private CompactRange(long size, ArrayList<byte[]> hashes) {
    this.size = size;
    this.hashes = hashes;
  }

  /**
   * Returns the frontier of a tree of {@code size} leaves whose perfect subtrees have roots {@code
   * hashes}, left to right. Requires {@code 0 <= size}, {@code hashes.size() ==
   * Long.bitCount(size)} and 32-byte hashes; the hashes are copied.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static CompactRange of(long size, List<byte[]> hashes) {
    Objects.requireNonNull(hashes, "hashes");
    if (size < 0) {
      throw new IllegalArgumentException("size " + Long.toUnsignedString(size) + " is negative");
    }
    if (hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a tree of size "
              + size
              + " has "
              + Long.bitCount(size)
              + " perfect subtrees, got "
              + hashes.size()
              + " hashes");
    }
    ArrayList<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      Objects.requireNonNull(h, "hash");
      if (h.length != Rfc9162.HASH_SIZE) {
        throw new IllegalArgumentException(
            "frontier hash has " + h.length + " bytes, want " + Rfc9162.HASH_SIZE);
      }
      copy.add(h.clone());
    }
    return new CompactRange(size, copy);
  }

  /** The number of leaves covered, {@code [0, size)}. */
  public long size() {
    return size;
  }

  /** The roots of the perfect subtrees, left (largest) to right (copies). */
  public List<byte[]> hashes() {
    List<byte[]> out = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      out.add(h.clone());
    }
    return out;
  }

  /**
   * The perfect subtrees of the frontier as nodes, left to right: for each set bit {@code l} of
   * {@code size}, from the highest, the node at level {@code l} that follows the previous ones.
   */
  public List<Node> nodes() {
    List<Node> out = new ArrayList<>(hashes.size());
    long start = 0;
    int i = 0;
    for (int level = 62; level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        out.add(new Node(level, start >>> level, hashes.get(i++)));
        start += 1L << level;
      }
    }
    return out;
  }

  /**
   * Appends a leaf and returns the perfect nodes that now exist and did not before, bottom up: the
   * leaf itself at level 0, then each parent completed by it. The caller persists them (see {@link
   * MerkleTree#append}). O(log n) hashing, amortised O(1).
   *
   * <p>Requires a 32-byte {@code leafHash} and {@code size() < Long.MAX_VALUE}.
   *
   * @throws IllegalArgumentException if {@code leafHash} is not 32 bytes
   * @throws IllegalStateException if the tree is full
   */
  public List<Node> append(byte[] leafHash) {
    Objects.requireNonNull(leafHash, "leafHash");
    if (leafHash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException(
          "leaf hash has " + leafHash.length + " bytes, want " + Rfc9162.HASH_SIZE);
    }
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("the tree is full at 2^63 - 1 leaves");
    }
    List<Node> created = new ArrayList<>(2);
    byte[] hash = leafHash.clone();
    int level = 0;
    long index = size;
    created.add(new Node(level, index, hash));
    // Like a binary increment: each trailing one bit of the old size is a perfect subtree that
    // the new node completes, carrying one level up.
    while ((index & 1) == 1) {
      byte[] left = hashes.remove(hashes.size() - 1);
      hash = Rfc9162.nodeHash(left, hash);
      level++;
      index >>>= 1;
      created.add(new Node(level, index, hash));
    }
    hashes.add(hash);
    size++;
    return created;
  }

  /** Returns {@code MTH(D[0:size])}: the empty root for size 0, else the frontier folded. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return Rfc9162.emptyRoot();
    }
    byte[] root = hashes.get(hashes.size() - 1).clone();
    for (int i = hashes.size() - 2; i >= 0; i--) {
      root = Rfc9162.nodeHash(hashes.get(i), root);
    }
    return root;
  }

  /** Returns an independent copy. */
  public CompactRange copy() {
    return of(size, hashes);
  }

  /** Serialises this frontier: {@code 0x01 || uint64(size) || hashes}. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(HEADER + hashes.size() * Rfc9162.HASH_SIZE);
    out.put(FORMAT).putLong(size);
    for (byte[] h : hashes) {
      out.put(h);
    }
    return out.array();
  }

  /**
   * Parses what {@link #toBytes()} wrote.
   *
   * @throws MalformedInputException if the format byte, the size or the length is wrong
   */
  public static CompactRange fromBytes(byte[] bytes) throws MalformedInputException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < HEADER) {
      throw new MalformedInputException(
          "compact range has " + bytes.length + " bytes, want at least " + HEADER);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw new MalformedInputException(
          "compact range format byte is " + format + ", want " + FORMAT);
    }
    long size = in.getLong();
    if (size < 0) {
      throw new MalformedInputException(
          "compact range size " + Long.toUnsignedString(size) + " is 2^63 or more");
    }
    int count = Long.bitCount(size);
    int want = HEADER + count * Rfc9162.HASH_SIZE;
    if (bytes.length != want) {
      throw new MalformedInputException(
          "compact range of size " + size + " has " + bytes.length + " bytes, want " + want);
    }
    ArrayList<byte[]> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] h = new byte[Rfc9162.HASH_SIZE];
      in.get(h);
      hashes.add(h);
    }
    return new CompactRange(size, hashes);
  }

  /** Equal when both cover the same size with the same hashes. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CompactRange other) || other.size != size) {
      return false;
    }
    for (int i = 0; i < hashes.size(); i++) {
      if (!Arrays.equals(hashes.get(i), other.hashes.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(size);
    for (byte[] hash : hashes) {
      h = 31 * h + Arrays.hashCode(hash);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CompactRange[size=").append(size).append(", hashes=[");
    for (int i = 0; i < hashes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Hex.encode(hashes.get(i)));
    }
    return sb.append("]]").toString();
  }
}
