package org.ledgerpki.core.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of this package. It is held here and passed explicitly to
 * every {@code getInstance} call; it is never registered with {@code Security.addProvider}, so the
 * JDK's provider order and defaults stay as they are for the rest of the process.
 */
final class Bc {
  /** Bouncy Castle's main provider; since 1.79 it also carries ML-DSA (no BCPQC needed). */
  static final Provider PROVIDER = new BouncyCastleProvider();

  private Bc() {}
}
