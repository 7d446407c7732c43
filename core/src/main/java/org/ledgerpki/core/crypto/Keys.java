package org.ledgerpki.core.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;

/**
 * Key generation, encodings and conversions for every {@link SignatureAlgorithm}.
 *
 * <p>Keys returned here are Bouncy Castle key objects behind the JCA interfaces; they work with
 * both {@link Signatures#bc()} and {@link Signatures#jdk()}. Methods accept keys from any provider
 * (they go by the standard SPKI / PKCS#8 encodings). No method prints key material: exception
 * messages name the algorithm and the fault, never the bytes of a private key.
 */
public final class Keys {
  /** Default RSA modulus size in bits. */
  public static final int DEFAULT_RSA_BITS = 2048;

  /** Size of a raw Ed25519 public key and of an Ed25519 seed (private key), in bytes. */
  public static final int ED25519_KEY_SIZE = 32;

  // RFC 8410: the fixed DER prefix of an Ed25519 SubjectPublicKeyInfo before the 32 key bytes.
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /**
   * Generates a fresh key pair for {@code algorithm} (RSA: {@value #DEFAULT_RSA_BITS} bits).
   *
   * @throws CryptoException if the provider cannot generate keys of this kind
   */
  public static KeyPair generate(SignatureAlgorithm algorithm) {
    if (algorithm == SignatureAlgorithm.RSA) {
      return generate(algorithm, DEFAULT_RSA_BITS);
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.jcaKeyAlgorithm(), Bc.PROVIDER);
      switch (algorithm) {
        case ECDSA_P256 -> g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        case ECDSA_P384 -> g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
        default -> {
          // Ed25519 and ML-DSA-nn: the algorithm name fixes the parameters.
        }
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot generate a " + algorithm.configName() + " key pair", e);
    }
  }

  /**
   * Generates a fresh RSA key pair with a modulus of {@code rsaBits} bits and public exponent
   * 65537.
   *
   * @throws IllegalArgumentException if {@code algorithm != RSA} or {@code rsaBits < 1024}
   */
  public static KeyPair generate(SignatureAlgorithm algorithm, int rsaBits) {
    if (algorithm != SignatureAlgorithm.RSA) {
      throw new IllegalArgumentException("a key size applies to rsa only, not " + algorithm);
    }
    if (rsaBits < 1024) {
      throw new IllegalArgumentException("RSA modulus of " + rsaBits + " bits is below 1024");
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", Bc.PROVIDER);
      g.initialize(new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot generate an RSA-" + rsaBits + " key pair", e);
    }
  }

  /**
   * Decodes a DER SubjectPublicKeyInfo. Any key type Bouncy Castle knows is accepted (use {@link
   * SignatureAlgorithm#find(PublicKey)} to check it is one this system supports).
   *
   * @throws MalformedInputException if {@code der} is not a single well-formed SPKI or names an
   *     unknown key algorithm
   */
  public static PublicKey publicKeyFromSpki(byte[] der) throws MalformedInputException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException(
          "public key: not a DER SubjectPublicKeyInfo (" + e.getMessage() + ")");
    }
    return publicKeyFromSpki(spki);
  }

  static PublicKey publicKeyFromSpki(SubjectPublicKeyInfo spki) throws MalformedInputException {
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    try {
      KeyFactory kf = KeyFactory.getInstance(oid, Bc.PROVIDER);
      return kf.generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new MalformedInputException(
          "public key: cannot decode a key of algorithm " + oid + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Decodes a DER PKCS#8 PrivateKeyInfo (unencrypted).
   *
   * @throws MalformedInputException if {@code der} is not a well-formed PKCS#8 structure of a known
   *     key algorithm. The message never quotes the input.
   */
  public static PrivateKey privateKeyFromPkcs8(byte[] der) throws MalformedInputException {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException("private key: not a DER PKCS#8 PrivateKeyInfo");
    }
    return privateKeyFromPkcs8(info);
  }

  private static PrivateKey privateKeyFromPkcs8(PrivateKeyInfo info)
      throws MalformedInputException {
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    byte[] encoded = null;
    try {
      encoded = info.getEncoded();
      KeyFactory kf = KeyFactory.getInstance(oid, Bc.PROVIDER);
      return kf.generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The provider's message might describe the key bytes, so it is not passed on.
      throw new MalformedInputException(
          "private key: cannot decode a PKCS#8 key of algorithm " + oid);
    } finally {
      if (encoded != null) {
        Arrays.fill(encoded, (byte) 0);
      }
    }
  }

  /** Returns {@code key} as PEM ({@code -----BEGIN PUBLIC KEY-----}, SPKI). */
  public static String toPem(PublicKey key) {
    return pem("PUBLIC KEY", spkiDer(key));
  }

  /**
   * Returns {@code key} as unencrypted PEM ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8). The
   * result holds secret material: store it with care and never log it.
   *
   * @throws CryptoException if the key has no PKCS#8 encoding
   */
  public static String toPem(PrivateKey key) {
    byte[] der = pkcs8Of(key);
    try {
      return pem("PRIVATE KEY", der);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Encodes DER as PEM with 64-character lines, as RFC 7468 prescribes. */
  static String pem(String label, byte[] der) {
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  /**
   * Decodes the first private key in a PEM text: {@code PRIVATE KEY} (PKCS#8), or the OpenSSL
   * legacy {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}. Other blocks before it (such as {@code
   * EC PARAMETERS}) are skipped.
   *
   * @throws MalformedInputException if the text holds no unencrypted private key, or the key cannot
   *     be decoded; encrypted keys are refused with a message that says so
   */
  public static PrivateKey privateKeyFromPem(String pem) throws MalformedInputException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return privateKeyFromPkcs8(info);
        } else if (o instanceof PEMKeyPair pair) {
          return privateKeyFromPkcs8(pair.getPrivateKeyInfo());
        } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw new MalformedInputException(
              "private key: the PEM key is encrypted; supply an unencrypted PKCS#8 key");
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException("private key: malformed PEM");
    }
    throw new MalformedInputException("private key: no PRIVATE KEY block in the PEM text");
  }

  /**
   * Decodes the first public key ({@code -----BEGIN PUBLIC KEY-----}, SPKI) in a PEM text.
   *
   * @throws MalformedInputException if there is no such block or it does not decode
   */
  public static PublicKey publicKeyFromPem(String pem) throws MalformedInputException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof SubjectPublicKeyInfo spki) {
          return publicKeyFromSpki(spki);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException("public key: malformed PEM (" + e.getMessage() + ")");
    }
    throw new MalformedInputException("public key: no PUBLIC KEY block in the PEM text");
  }

  /**
   * Returns SHA-256 of the DER SubjectPublicKeyInfo of {@code key}, the key's identifier in MTC log
   * entries ({@code subjectPublicKeyInfoHash}).
   */
  public static byte[] spkiSha256(PublicKey key) {
    return Sha256.hash(spkiDer(key));
  }

  /**
   * Returns the 32-byte RFC 8032 encoding of an Ed25519 public key.
   *
   * @throws IllegalArgumentException if {@code key} is not an Ed25519 key
   */
  public static byte[] ed25519Raw(PublicKey key) {
    SubjectPublicKeyInfo spki = SignatureAlgorithm.spkiOf(key);
    requireAlgorithm(spki, SignatureAlgorithm.ED25519, key);
    return spki.getPublicKeyData().getOctets();
  }

  /**
   * Returns the Ed25519 public key with RFC 8032 encoding {@code raw}. The point is decoded when
   * the key is used; an invalid point then fails verification.
   *
   * @throws IllegalArgumentException if {@code raw.length != 32}
   */
  public static PublicKey ed25519FromRaw(byte[] raw) {
    if (raw.length != ED25519_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519", Bc.PROVIDER)
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot build an Ed25519 public key", e);
    }
  }

  /**
   * Returns the Ed25519 private key whose RFC 8032 seed is {@code seed32}.
   *
   * @throws IllegalArgumentException if {@code seed32.length != 32}
   */
  public static PrivateKey ed25519FromSeed(byte[] seed32) {
    if (seed32.length != ED25519_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed32.length);
    }
    byte[] der = null;
    try {
      der =
          new PrivateKeyInfo(
                  new AlgorithmIdentifier(SignatureAlgorithm.OID_ED25519),
                  new DEROctetString(seed32))
              .getEncoded();
      return KeyFactory.getInstance("Ed25519", Bc.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IOException e) {
      throw new CryptoException("cannot build an Ed25519 private key");
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /**
   * Returns the 32-byte RFC 8032 seed of an Ed25519 private key. The result is secret.
   *
   * @throws IllegalArgumentException if {@code key} is not an Ed25519 private key
   */
  public static byte[] ed25519Seed(PrivateKey key) {
    if (SignatureAlgorithm.of(key) != SignatureAlgorithm.ED25519) {
      throw new IllegalArgumentException("not an Ed25519 key: " + SignatureAlgorithm.describe(key));
    }
    byte[] der = pkcs8Of(key);
    byte[] seed;
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
      seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new CryptoException("malformed Ed25519 PKCS#8 encoding");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
    if (seed.length != ED25519_KEY_SIZE) {
      Arrays.fill(seed, (byte) 0);
      throw new CryptoException("Ed25519 private key holds a seed that is not 32 bytes");
    }
    return seed;
  }

  /**
   * Returns the FIPS 204 encoding of an ML-DSA public key (1312, 1952 or 2592 bytes for ML-DSA-44,
   * -65, -87): the contents of the SPKI's subjectPublicKey bit string.
   *
   * @throws IllegalArgumentException if {@code key} is not an ML-DSA key
   */
  public static byte[] mlDsaRaw(PublicKey key) {
    SubjectPublicKeyInfo spki = SignatureAlgorithm.spkiOf(key);
    SignatureAlgorithm alg = SignatureAlgorithm.fromSpki(spki).orElse(null);
    if (alg == null || !alg.isMlDsa()) {
      throw new IllegalArgumentException("not an ML-DSA key: " + SignatureAlgorithm.describe(key));
    }
    return spki.getPublicKeyData().getOctets();
  }

  /**
   * Returns the ML-DSA public key with FIPS 204 encoding {@code raw} for parameter set {@code
   * algorithm}.
   *
   * @throws IllegalArgumentException if {@code algorithm} is not ML-DSA or {@code raw} does not
   *     have that parameter set's public key size
   */
  public static PublicKey mlDsaFromRaw(SignatureAlgorithm algorithm, byte[] raw) {
    if (!algorithm.isMlDsa()) {
      throw new IllegalArgumentException(algorithm + " is not ML-DSA");
    }
    if (raw.length != algorithm.mlDsaPublicKeySize()) {
      throw new IllegalArgumentException(
          "an "
              + algorithm.configName()
              + " public key is "
              + algorithm.mlDsaPublicKeySize()
              + " bytes, got "
              + raw.length);
    }
    try {
      byte[] der =
          new SubjectPublicKeyInfo(new AlgorithmIdentifier(algorithm.mlDsaOid()), raw).getEncoded();
      return KeyFactory.getInstance(algorithm.jcaKeyAlgorithm(), Bc.PROVIDER)
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IOException e) {
      throw new CryptoException("cannot build an " + algorithm.configName() + " public key", e);
    }
  }

  /**
   * Returns the public key that belongs to {@code key}: derived for Ed25519, ECDSA and ML-DSA, and
   * read from the CRT parameters for RSA.
   *
   * @throws CryptoException if the key is of an unsupported type, or an RSA key without CRT
   *     parameters (whose public exponent is unknown)
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    SignatureAlgorithm alg = SignatureAlgorithm.of(key);
    try {
      switch (alg) {
        case ED25519 -> {
          byte[] seed = ed25519Seed(key);
          try {
            return ed25519FromRaw(
                new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
          } finally {
            Arrays.fill(seed, (byte) 0);
          }
        }
        case ECDSA_P256, ECDSA_P384 -> {
          org.bouncycastle.jce.interfaces.ECPrivateKey ec =
              (org.bouncycastle.jce.interfaces.ECPrivateKey) toBc(key);
          ECNamedCurveParameterSpec curve =
              ECNamedCurveTable.getParameterSpec(
                  alg == SignatureAlgorithm.ECDSA_P256 ? "P-256" : "P-384");
          ECPoint q = curve.getG().multiply(ec.getD()).normalize();
          return KeyFactory.getInstance("EC", Bc.PROVIDER)
              .generatePublic(new ECPublicKeySpec(q, curve));
        }
        case ML_DSA_44, ML_DSA_65, ML_DSA_87 -> {
          return ((MLDSAPrivateKey) toBc(key)).getPublicKey();
        }
        case RSA -> {
          if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new CryptoException("RSA private key without CRT parameters: no public exponent");
          }
          BigInteger n = crt.getModulus();
          return KeyFactory.getInstance("RSA", Bc.PROVIDER)
              .generatePublic(new RSAPublicKeySpec(n, crt.getPublicExponent()));
        }
        default -> throw new CryptoException("unsupported private key: " + alg);
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new CryptoException(
          "cannot derive the public key of a " + alg.configName() + " private key");
    }
  }

  /** Returns {@code key} as a Bouncy Castle key object, re-decoding it if it is not one. */
  static PublicKey toBc(PublicKey key) {
    if (isBc(key)) {
      return key;
    }
    try {
      return publicKeyFromSpki(SignatureAlgorithm.spkiOf(key));
    } catch (MalformedInputException e) {
      throw new CryptoException(e.getMessage(), e);
    }
  }

  /** Returns {@code key} as a Bouncy Castle key object, re-decoding it if it is not one. */
  static PrivateKey toBc(PrivateKey key) {
    if (isBc(key)) {
      return key;
    }
    byte[] der = pkcs8Of(key);
    try {
      return privateKeyFromPkcs8(der);
    } catch (MalformedInputException e) {
      throw new CryptoException(e.getMessage());
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Returns the DER SubjectPublicKeyInfo of {@code key}, checking that it has one. */
  static byte[] spkiDer(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der == null || !"X.509".equals(key.getFormat())) {
      throw new CryptoException(
          "public key has no X.509 (SPKI) encoding: " + SignatureAlgorithm.describe(key));
    }
    return der;
  }

  static boolean isBc(java.security.Key key) {
    return key.getClass().getName().startsWith("org.bouncycastle.");
  }

  /** Returns the PKCS#8 encoding of {@code key}; the caller must wipe it. */
  static byte[] pkcs8Of(PrivateKey key) {
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new CryptoException(
          "private key has no PKCS#8 encoding: " + SignatureAlgorithm.describe(key));
    }
    return der;
  }

  private static void requireAlgorithm(
      SubjectPublicKeyInfo spki, SignatureAlgorithm expected, PublicKey key) {
    if (SignatureAlgorithm.fromSpki(spki).orElse(null) != expected) {
      throw new IllegalArgumentException(
          "not an " + expected.configName() + " key: " + SignatureAlgorithm.describe(key));
    }
  }
}
