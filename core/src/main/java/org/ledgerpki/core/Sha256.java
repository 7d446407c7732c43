package org.ledgerpki.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the hash function of every log, note key ID and certificate identifier here. */
public final class Sha256 {
  /** Output size in bytes. */
  public static final int SIZE = 32;

  private Sha256() {}

  /** Returns a fresh SHA-256 digest instance (the JDK's; every JDK has one). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Returns SHA-256 of the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    MessageDigest md = newDigest();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }
}
