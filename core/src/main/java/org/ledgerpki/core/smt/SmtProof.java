package org.ledgerpki.core.smt;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/**
 * A sparse Merkle tree proof: the siblings on the path from a key's leaf to the root, compressed.
 * Bit h of {@code bitmap} (byte h/8, bit h%8 from the least significant) is set when the sibling at
 * height h is not an empty subtree; {@code siblings} holds those non-empty siblings in order of
 * increasing height. Empty siblings are implied.
 */
public record SmtProof(byte[] bitmap, List<byte[]> siblings) {

  public SmtProof {
    bitmap = bitmap.clone();
    siblings = List.copyOf(siblings);
  }

  @Override
  public byte[] bitmap() {
    return bitmap.clone();
  }

  /**
   * Computes the root that {@code key} mapping to {@code value} (null = empty) implies.
   *
   * @throws MalformedInputException if the bitmap is not 32 bytes or the number of siblings does
   *     not match it
   */
  public byte[] rootFor(byte[] key, byte[] value) throws MalformedInputException {
    if (bitmap.length != 32) {
      throw new MalformedInputException(
          "SMT proof bitmap must be 32 bytes, found " + bitmap.length);
    }
    if (key.length != 32) {
      throw new MalformedInputException("SMT key must be 32 bytes, found " + key.length);
    }
    int expected = 0;
    for (byte b : bitmap) {
      expected += Integer.bitCount(b & 0xff);
    }
    if (expected != siblings.size()) {
      throw new MalformedInputException(
          "SMT proof bitmap announces " + expected + " siblings, found " + siblings.size());
    }
    byte[] cur = value == null ? SparseMerkleTree.empty(0) : SparseMerkleTree.leaf(key, value);
    int next = 0;
    for (int h = 0; h < SparseMerkleTree.DEPTH; h++) {
      byte[] sibling;
      if ((bitmap[h >>> 3] & (1 << (h & 7))) != 0) {
        sibling = siblings.get(next++);
        if (sibling.length != 32) {
          throw new MalformedInputException("SMT proof sibling " + (next - 1) + " is not 32 bytes");
        }
      } else {
        sibling = SparseMerkleTree.empty(h);
      }
      int d = SparseMerkleTree.DEPTH - 1 - h;
      cur =
          SparseMerkleTree.bit(key, d) == 0
              ? SparseMerkleTree.node(cur, sibling)
              : SparseMerkleTree.node(sibling, cur);
    }
    return cur;
  }

  /**
   * Verifies that under {@code root}, {@code key} maps to {@code value} (null = to nothing).
   *
   * @throws SmtProofException naming both roots if it does not
   */
  public void verify(byte[] root, byte[] key, byte[] value)
      throws MalformedInputException, SmtProofException {
    byte[] computed = rootFor(key, value);
    if (!Arrays.equals(computed, root)) {
      throw new SmtProofException(
          "status map proof for "
              + Hex.encode(key)
              + (value == null ? " (absent)" : " (present)")
              + " leads to root "
              + Hex.encode(computed)
              + ", expected "
              + Hex.encode(root));
    }
  }

  /** Encoded size in bytes: bitmap plus siblings. */
  public int size() {
    return 32 + 32 * siblings.size();
  }

  /** The base64 forms used in JSON. */
  public String bitmapBase64() {
    return Base64.getEncoder().encodeToString(bitmap);
  }
}
