package org.ledgerpki.inquiry.index;

import java.nio.ByteBuffer;
import org.ledgerpki.core.Hex;

/**
 * A certificate identifier, H(CERT): the SHA-256 of its DER, held as four longs so that a map key
 * costs 32 bytes of payload and no extra array. Immutable.
 */
public final class CertKey {
  private final long a;
  private final long b;
  private final long c;
  private final long d;

  private CertKey(long a, long b, long c, long d) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /**
   * The key of a 32-byte hash.
   *
   * @throws IllegalArgumentException if {@code sha256} is not 32 bytes
   */
  public static CertKey of(byte[] sha256) {
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException(
          "a certificate hash has 32 bytes, got " + (sha256 == null ? "null" : sha256.length));
    }
    ByteBuffer buf = ByteBuffer.wrap(sha256);
    return new CertKey(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
  }

  /**
   * The key of 64 hex characters, either case.
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hex characters
   */
  public static CertKey ofHex(String hex) {
    if (hex == null || hex.length() != 64) {
      throw new IllegalArgumentException(
          "a certificate hash is 64 hex characters, got "
              + (hex == null ? "null" : hex.length() + " characters"));
    }
    long[] words = new long[4];
    for (int w = 0; w < 4; w++) {
      long v = 0;
      for (int i = w * 16; i < w * 16 + 16; i++) {
        char c = hex.charAt(i);
        int digit =
            c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) {
          throw new IllegalArgumentException(
              "a certificate hash is 64 hex characters, got '" + c + "' at " + i);
        }
        v = v << 4 | digit;
      }
      words[w] = v;
    }
    return new CertKey(words[0], words[1], words[2], words[3]);
  }

  /** The 32 hash bytes. */
  public byte[] bytes() {
    return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
  }

  /** Lowercase hex, as the inquiry API writes hashes. */
  public String hex() {
    return Hex.encode(bytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertKey k && k.a == a && k.b == b && k.c == c && k.d == d;
  }

  @Override
  public int hashCode() {
    // A SHA-256 is uniform: its first bits are as good a hash code as any.
    return (int) (a >>> 32) ^ (int) a;
  }

  @Override
  public String toString() {
    return hex();
  }
}
