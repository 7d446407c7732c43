package org.ledgerpki.core;

import java.util.HexFormat;

/** Lowercase hexadecimal, the encoding of hashes in messages, logs and the inquiry API. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  /** Returns the lowercase hex of {@code bytes}. Requires {@code bytes != null}. */
  public static String encode(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * Decodes hex (either case).
   *
   * @throws IllegalArgumentException if {@code hex} has an odd length or a non-hex character
   */
  public static byte[] decode(String hex) {
    return HEX.parseHex(hex);
  }
}
