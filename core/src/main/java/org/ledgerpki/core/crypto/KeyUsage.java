package org.ledgerpki.core.crypto;

/** The bits of the X.509 keyUsage extension (RFC 5280 section 4.2.1.3), with their positions. */
public enum KeyUsage {
  DIGITAL_SIGNATURE(0),
  NON_REPUDIATION(1),
  KEY_ENCIPHERMENT(2),
  DATA_ENCIPHERMENT(3),
  KEY_AGREEMENT(4),
  KEY_CERT_SIGN(5),
  CRL_SIGN(6),
  ENCIPHER_ONLY(7),
  DECIPHER_ONLY(8);

  private final int bit;

  KeyUsage(int bit) {
    this.bit = bit;
  }

  /** Returns the bit position in the KeyUsage BIT STRING (0 = digitalSignature). */
  public int bit() {
    return bit;
  }

  /** The BC {@code KeyUsage} mask of this bit. */
  int bcMask() {
    // org.bouncycastle.asn1.x509.KeyUsage numbers bits within bytes from the most significant
    // end: digitalSignature = 1 << 7, ..., decipherOnly = 1 << 15.
    return bit < 8 ? 1 << (7 - bit) : 1 << (15 - (bit - 8));
  }
}
