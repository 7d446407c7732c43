package org.ledgerpki.core.evidence;

import java.security.PrivateKey;
import java.security.PublicKey;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;

/**
 * The log's signatures over the records it publishes ({@link EntryStatement}, {@link
 * StatusStatement}, {@link DecisionStatement}): pure Ed25519 (RFC 8032) over the statement's bytes,
 * 64 bytes, with the log's checkpoint key (docs/adr/0012-log-signed-ledger-records.md). One
 * signature per record; a reader verifies each on arrival with the log key its trust policy names.
 */
public final class LogRecordSignatures {
  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private LogRecordSignatures() {}

  /**
   * Signs a statement.
   *
   * @param logKey the log's Ed25519 private key, adopted by {@link Signatures#defaults()} for speed
   * @throws IllegalArgumentException if the key is not Ed25519
   */
  public static byte[] sign(PrivateKey logKey, byte[] statement) {
    if (SignatureAlgorithm.of(logKey) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("the log signs its records with its Ed25519 key");
    }
    return Signatures.defaults().sign(logKey, statement);
  }

  /**
   * Whether {@code signature} is the log's signature of {@code statement}.
   *
   * @return false for a null or wrongly sized signature, or one that does not verify
   * @throws CryptoException if the key is not a usable Ed25519 public key
   */
  public static boolean verify(PublicKey logKey, byte[] statement, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    if (SignatureAlgorithm.of(logKey) != SignatureAlgorithm.ED25519) {
      throw new CryptoException("the log's record key must be Ed25519");
    }
    return Signatures.defaults().verify(logKey, statement, signature);
  }
}
