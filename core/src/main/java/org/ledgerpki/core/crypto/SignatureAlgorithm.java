package org.ledgerpki.core.crypto;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The signature algorithms this system accepts for certificates and signed records. Each value
 * fixes the whole scheme, so a key determines how it signs:
 *
 * <ul>
 *   <li>{@link #ED25519}: pure Ed25519 (RFC 8032);
 *   <li>{@link #ECDSA_P256}: ECDSA on P-256 with SHA-256, DER signatures;
 *   <li>{@link #ECDSA_P384}: ECDSA on P-384 with SHA-384, DER signatures;
 *   <li>{@link #ML_DSA_44}, {@link #ML_DSA_65}, {@link #ML_DSA_87}: pure ML-DSA (FIPS 204), no
 *       pre-hash, empty context;
 *   <li>{@link #RSA}: RSASSA-PKCS1-v1_5 with SHA-256, for any modulus size (check the size with
 *       {@link #rsaModulusBits(PublicKey)}; the certificate profile requires at least 2048 bits).
 * </ul>
 *
 * The algorithm of a key is read from the algorithm identifier in its SubjectPublicKeyInfo, so it
 * does not depend on which provider made the {@link PublicKey} object.
 */
public enum SignatureAlgorithm {
  ED25519("ed25519"),
  ECDSA_P256("ecdsa-p256"),
  ECDSA_P384("ecdsa-p384"),
  ML_DSA_44("ml-dsa-44"),
  ML_DSA_65("ml-dsa-65"),
  ML_DSA_87("ml-dsa-87"),
  RSA("rsa");

  static final ASN1ObjectIdentifier OID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  static final ASN1ObjectIdentifier OID_EC_PUBLIC_KEY =
      new ASN1ObjectIdentifier("1.2.840.10045.2.1");
  static final ASN1ObjectIdentifier OID_P256 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
  static final ASN1ObjectIdentifier OID_P384 = new ASN1ObjectIdentifier("1.3.132.0.34");
  static final ASN1ObjectIdentifier OID_ML_DSA_44 =
      new ASN1ObjectIdentifier("2.16.840.1.101.3.4.3.17");
  static final ASN1ObjectIdentifier OID_ML_DSA_65 =
      new ASN1ObjectIdentifier("2.16.840.1.101.3.4.3.18");
  static final ASN1ObjectIdentifier OID_ML_DSA_87 =
      new ASN1ObjectIdentifier("2.16.840.1.101.3.4.3.19");
  static final ASN1ObjectIdentifier OID_RSA = new ASN1ObjectIdentifier("1.2.840.113549.1.1.1");

  private final String configName;

  SignatureAlgorithm(String configName) {
    this.configName = configName;
  }

  /**
   * Returns the stable name used in configuration files and trust policies: {@code "ed25519"},
   * {@code "ecdsa-p256"}, {@code "ecdsa-p384"}, {@code "ml-dsa-44"}, {@code "ml-dsa-65"}, {@code
   * "ml-dsa-87"} or {@code "rsa"}.
   */
  public String configName() {
    return configName;
  }

  /** Returns whether this is one of the ML-DSA parameter sets. */
  public boolean isMlDsa() {
    return this == ML_DSA_44 || this == ML_DSA_65 || this == ML_DSA_87;
  }

  /**
   * Returns the size in bytes of the raw (FIPS 204) public key of an ML-DSA parameter set: 1312,
   * 1952 or 2592.
   *
   * @throws IllegalStateException if this is not an ML-DSA algorithm
   */
  public int mlDsaPublicKeySize() {
    return switch (this) {
      case ML_DSA_44 -> 1312;
      case ML_DSA_65 -> 1952;
      case ML_DSA_87 -> 2592;
      default -> throw new IllegalStateException(this + " is not ML-DSA");
    };
  }

  /**
   * Returns the size in bytes of a signature of an ML-DSA parameter set: 2420, 3309 or 4627.
   *
   * @throws IllegalStateException if this is not an ML-DSA algorithm
   */
  public int mlDsaSignatureSize() {
    return switch (this) {
      case ML_DSA_44 -> 2420;
      case ML_DSA_65 -> 3309;
      case ML_DSA_87 -> 4627;
      default -> throw new IllegalStateException(this + " is not ML-DSA");
    };
  }

  /** The algorithm identifier OID of an ML-DSA parameter set (no parameters follow it). */
  ASN1ObjectIdentifier mlDsaOid() {
    return switch (this) {
      case ML_DSA_44 -> OID_ML_DSA_44;
      case ML_DSA_65 -> OID_ML_DSA_65;
      case ML_DSA_87 -> OID_ML_DSA_87;
      default -> throw new IllegalStateException(this + " is not ML-DSA");
    };
  }

  /** The JCA name of the key algorithm (for KeyFactory and KeyPairGenerator). */
  String jcaKeyAlgorithm() {
    return switch (this) {
      case ED25519 -> "Ed25519";
      case ECDSA_P256, ECDSA_P384 -> "EC";
      case ML_DSA_44 -> "ML-DSA-44";
      case ML_DSA_65 -> "ML-DSA-65";
      case ML_DSA_87 -> "ML-DSA-87";
      case RSA -> "RSA";
    };
  }

  /** The JCA name of the signature scheme this system uses with keys of this algorithm. */
  String jcaSignatureAlgorithm() {
    return switch (this) {
      case ED25519 -> "Ed25519";
      case ECDSA_P256 -> "SHA256withECDSA";
      case ECDSA_P384 -> "SHA384withECDSA";
      case ML_DSA_44 -> "ML-DSA-44";
      case ML_DSA_65 -> "ML-DSA-65";
      case ML_DSA_87 -> "ML-DSA-87";
      case RSA -> "SHA256withRSA";
    };
  }

  /**
   * Returns the algorithm whose {@link #configName()} is {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException if no algorithm has that name; the message lists the names
   */
  public static SignatureAlgorithm fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (SignatureAlgorithm a : values()) {
      if (a.configName.equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown signature algorithm '"
            + name
            + "'; expected one of ed25519, ecdsa-p256, ecdsa-p384, ml-dsa-44, ml-dsa-65,"
            + " ml-dsa-87, rsa");
  }

  /**
   * Returns the algorithm of {@code key}.
   *
   * @throws CryptoException if the key is of a type this system does not support (for example
   *     P-521, Ed448, DSA, or explicit EC parameters), or has no SubjectPublicKeyInfo encoding
   */
  public static SignatureAlgorithm of(PublicKey key) {
    return find(key)
        .orElseThrow(
            () ->
                new CryptoException(
                    "unsupported public key: "
                        + describe(key)
                        + "; supported: ed25519,"
                        + " ecdsa-p256, ecdsa-p384, ml-dsa-44, ml-dsa-65, ml-dsa-87, rsa"));
  }

  /**
   * Returns the algorithm of {@code key}, or empty if this system does not support it. Use this
   * where an unsupported algorithm is a finding (a certificate to reject), not an error.
   *
   * @throws CryptoException if the key has no SubjectPublicKeyInfo encoding at all
   */
  public static Optional<SignatureAlgorithm> find(PublicKey key) {
    return fromSpki(spkiOf(key));
  }

  /** Returns the algorithm named by an SPKI's algorithm identifier, or empty if unsupported. */
  static Optional<SignatureAlgorithm> fromSpki(SubjectPublicKeyInfo spki) {
    return fromAlgorithmIdentifier(spki.getAlgorithm());
  }

  /** Returns the algorithm named by a key algorithm identifier, or empty if unsupported. */
  static Optional<SignatureAlgorithm> fromAlgorithmIdentifier(AlgorithmIdentifier id) {
    ASN1ObjectIdentifier oid = id.getAlgorithm();
    if (oid.equals(OID_ED25519)) {
      return Optional.of(ED25519);
    } else if (oid.equals(OID_ML_DSA_44)) {
      return Optional.of(ML_DSA_44);
    } else if (oid.equals(OID_ML_DSA_65)) {
      return Optional.of(ML_DSA_65);
    } else if (oid.equals(OID_ML_DSA_87)) {
      return Optional.of(ML_DSA_87);
    } else if (oid.equals(OID_RSA)) {
      return Optional.of(RSA);
    } else if (oid.equals(OID_EC_PUBLIC_KEY)) {
      ASN1Encodable params = id.getParameters();
      if (params instanceof ASN1ObjectIdentifier curve) {
        if (curve.equals(OID_P256)) {
          return Optional.of(ECDSA_P256);
        } else if (curve.equals(OID_P384)) {
          return Optional.of(ECDSA_P384);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the algorithm of a private key, read from the algorithm identifier of its PKCS#8
   * encoding.
   *
   * @throws CryptoException if the key is of an unsupported type or has no PKCS#8 encoding
   */
  public static SignatureAlgorithm of(PrivateKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
      throw new CryptoException("private key has no PKCS#8 encoding: " + describe(key));
    }
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(encoded));
    } catch (java.io.IOException | RuntimeException e) {
      // The cause may quote the encoding, which holds the private key: leave it out.
      throw new CryptoException("private key has a malformed PKCS#8 encoding: " + describe(key));
    } finally {
      java.util.Arrays.fill(encoded, (byte) 0);
    }
    return fromAlgorithmIdentifier(info.getPrivateKeyAlgorithm())
        .orElseThrow(() -> new CryptoException("unsupported private key: " + describe(key)));
  }

  /**
   * Returns the modulus size in bits of an RSA public key.
   *
   * @throws IllegalArgumentException if {@code key} is not an RSA key
   */
  public static int rsaModulusBits(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (find(key).orElse(null) != RSA) {
      throw new IllegalArgumentException("not an RSA key: " + describe(key));
    }
    try {
      SubjectPublicKeyInfo spki = spkiOf(key);
      org.bouncycastle.asn1.pkcs.RSAPublicKey rsa =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey());
      BigInteger modulus = rsa.getModulus();
      return modulus.bitLength();
    } catch (java.io.IOException | RuntimeException e) {
      throw new CryptoException("cannot read the RSA modulus of " + describe(key), e);
    }
  }

  /**
   * Returns whether {@code key} is an RSA key with a modulus of at least {@code minBits} bits.
   * Returns false for any non-RSA key.
   */
  public static boolean isRsaOfAtLeast(PublicKey key, int minBits) {
    return find(key).orElse(null) == RSA && rsaModulusBits(key) >= minBits;
  }

  /** Parses the SubjectPublicKeyInfo encoding of {@code key}. */
  static SubjectPublicKeyInfo spkiOf(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"X.509".equals(key.getFormat())) {
      throw new CryptoException("public key has no X.509 (SPKI) encoding: " + describe(key));
    }
    try {
      return SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(encoded));
    } catch (java.io.IOException | RuntimeException e) {
      throw new CryptoException("public key has a malformed SPKI encoding: " + describe(key), e);
    }
  }

  /** A description of a key for messages: its algorithm name and class, never its material. */
  static String describe(java.security.Key key) {
    return key == null ? "null" : key.getAlgorithm() + " key (" + key.getClass().getName() + ")";
  }
}
