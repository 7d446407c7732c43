package org.ledgerpki.core.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Signs and verifies byte strings with the scheme that the key's {@link SignatureAlgorithm} fixes:
 * pure Ed25519; ECDSA P-256/SHA-256 and P-384/SHA-384 with DER signatures; pure ML-DSA (no
 * pre-hash, empty context); RSASSA-PKCS1-v1_5 with SHA-256.
 *
 * <p>An instance fixes which JCA provider runs each algorithm:
 *
 * <ul>
 *   <li>{@link #bc()}: Bouncy Castle for everything;
 *   <li>{@link #jdk()}: the JDK ({@code SunEC} for Ed25519 and ECDSA, {@code SunRsaSign} for RSA);
 *   <li>{@link #defaults()}: Bouncy Castle for everything, because it was the faster provider in a
 *       quick measurement (JDK 25, x86-64, a shared 2-core machine, 200-byte messages, keys adopted
 *       beforehand): Ed25519 sign/verify about 30/65 us on Bouncy Castle against 450/470 us on
 *       SunEC; ECDSA P-256 about 60/65 us against 115/365 us, and P-384 also faster on Bouncy
 *       Castle. RSA-2048 was a tie (about 0.9 ms / 27 us on both), and staying on Bouncy Castle
 *       spares converting the Bouncy Castle keys that {@link Keys} and {@link Certificates} return.
 * </ul>
 *
 * ML-DSA always runs on Bouncy Castle: the project targets Java 21, and the JDK's own ML-DSA (JEP
 * 497) arrived in JDK 24. The {@code bench} module compares the providers properly.
 *
 * <p>Keys from any provider are accepted; a key of another provider is re-decoded from its standard
 * encoding on each call, so hot paths should convert keys once with {@link #adopt(PublicKey)} /
 * {@link #adopt(PrivateKey)}. Instances are immutable and thread-safe.
 */
public final class Signatures {
  private static final Signatures BC = new Signatures("bc", Bc.PROVIDER, Bc.PROVIDER, Bc.PROVIDER);

  private final String name;
  private final Map<SignatureAlgorithm, Provider> providers =
      new EnumMap<>(SignatureAlgorithm.class);

  private Signatures(String name, Provider ed25519, Provider ecdsa, Provider rsa) {
    this.name = name;
    providers.put(SignatureAlgorithm.ED25519, ed25519);
    providers.put(SignatureAlgorithm.ECDSA_P256, ecdsa);
    providers.put(SignatureAlgorithm.ECDSA_P384, ecdsa);
    providers.put(SignatureAlgorithm.RSA, rsa);
    providers.put(SignatureAlgorithm.ML_DSA_44, Bc.PROVIDER);
    providers.put(SignatureAlgorithm.ML_DSA_65, Bc.PROVIDER);
    providers.put(SignatureAlgorithm.ML_DSA_87, Bc.PROVIDER);
  }

  /** Bouncy Castle for every algorithm. */
  public static Signatures bc() {
    return BC;
  }

  /**
   * The JDK's providers for Ed25519, ECDSA and RSA; Bouncy Castle for ML-DSA.
   *
   * @throws CryptoException if this JDK lacks the {@code SunEC} or {@code SunRsaSign} provider
   */
  public static Signatures jdk() {
    return JdkHolder.require(JdkHolder.JDK);
  }

  /**
   * The default choice, currently Bouncy Castle for every algorithm (see the class comment for the
   * measurement behind it). Code that does not compare providers uses this.
   */
  public static Signatures defaults() {
    return BC;
  }

  /** Returns the name of the JCA provider that runs {@code algorithm} in this instance. */
  public String providerName(SignatureAlgorithm algorithm) {
    return providers.get(algorithm).getName();
  }

  /**
   * Signs {@code message} with {@code key}, using the scheme of the key's algorithm. ECDSA and
   * ML-DSA signatures are randomized; Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic.
   *
   * @throws CryptoException if the key is of an unsupported type or the provider refuses it
   */
  public byte[] sign(PrivateKey key, byte[] message) {
    SignatureAlgorithm alg = SignatureAlgorithm.of(key);
    try {
      Signature s = Signature.getInstance(alg.jcaSignatureAlgorithm(), providers.get(alg));
      s.initSign(adopt(key, alg));
      s.update(message);
      return s.sign();
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException(
          "provider " + providerName(alg) + " has no " + alg.jcaSignatureAlgorithm(), e);
    } catch (InvalidKeyException e) {
      throw new CryptoException(
          "provider " + providerName(alg) + " refused a " + alg.configName() + " signing key");
    } catch (SignatureException e) {
      throw new CryptoException("cannot sign with a " + alg.configName() + " key", e);
    }
  }

  /**
   * Verifies that {@code signature} is a signature of {@code message} by {@code key}.
   *
   * @return true if it verifies; false if it does not, including a signature of the wrong length or
   *     with a malformed encoding (such as a bad DER ECDSA signature)
   * @throws CryptoException if the key cannot be used at all: an unsupported key type, or a key the
   *     provider refuses
   */
  public boolean verify(PublicKey key, byte[] message, byte[] signature) {
    SignatureAlgorithm alg = SignatureAlgorithm.of(key);
    Signature s;
    try {
      s = Signature.getInstance(alg.jcaSignatureAlgorithm(), providers.get(alg));
      s.initVerify(adopt(key, alg));
      s.update(message);
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException(
          "provider " + providerName(alg) + " has no " + alg.jcaSignatureAlgorithm(), e);
    } catch (InvalidKeyException e) {
      throw new CryptoException(
          "provider " + providerName(alg) + " refused a " + alg.configName() + " public key", e);
    } catch (SignatureException e) {
      throw new CryptoException("cannot verify with a " + alg.configName() + " key", e);
    }
    try {
      return s.verify(signature);
    } catch (SignatureException | RuntimeException e) {
      // The key was accepted, so this is about the signature bytes (a bad DER encoding, a
      // wrong length, an out-of-range value): a signature that does not verify.
      return false;
    }
  }

  /**
   * Returns {@code key} as a key object of the provider that this instance uses for its algorithm
   * (the same object if it already is one).
   *
   * @throws CryptoException if the key is of an unsupported type or cannot be converted
   */
  public PublicKey adopt(PublicKey key) {
    return adopt(key, SignatureAlgorithm.of(key));
  }

  /**
   * Returns {@code key} as a key object of the provider that this instance uses for its algorithm
   * (the same object if it already is one).
   *
   * @throws CryptoException if the key is of an unsupported type or cannot be converted
   */
  public PrivateKey adopt(PrivateKey key) {
    return adopt(key, SignatureAlgorithm.of(key));
  }

  private PublicKey adopt(PublicKey key, SignatureAlgorithm alg) {
    Provider p = providers.get(alg);
    if (p == Bc.PROVIDER) {
      return Keys.toBc(key);
    }
    if (isJdk(key)) {
      return key;
    }
    try {
      return KeyFactory.getInstance(alg.jcaKeyAlgorithm(), p)
          .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          "provider " + p.getName() + " cannot decode a " + alg.configName() + " public key", e);
    }
  }

  private PrivateKey adopt(PrivateKey key, SignatureAlgorithm alg) {
    Provider p = providers.get(alg);
    if (p == Bc.PROVIDER) {
      return Keys.toBc(key);
    }
    if (isJdk(key)) {
      return key;
    }
    byte[] der = Keys.pkcs8Of(key);
    try {
      return KeyFactory.getInstance(alg.jcaKeyAlgorithm(), p)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          "provider " + p.getName() + " cannot decode a " + alg.configName() + " private key");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static boolean isJdk(java.security.Key key) {
    String c = key.getClass().getName();
    return c.startsWith("sun.security.") || c.startsWith("com.sun.crypto.");
  }

  @Override
  public String toString() {
    return "Signatures["
        + name
        + ": ed25519="
        + providerName(SignatureAlgorithm.ED25519)
        + ", ecdsa="
        + providerName(SignatureAlgorithm.ECDSA_P256)
        + ", rsa="
        + providerName(SignatureAlgorithm.RSA)
        + ", ml-dsa="
        + providerName(SignatureAlgorithm.ML_DSA_44)
        + "]";
  }

  /** Looks the JDK providers up on first use, so {@link #bc()} works even without them. */
  private static final class JdkHolder {
    static final Signatures JDK;

    static {
      Provider sunEc = Security.getProvider("SunEC");
      Provider sunRsa = Security.getProvider("SunRsaSign");
      boolean present = sunEc != null && sunRsa != null;
      JDK = present ? new Signatures("jdk", sunEc, sunEc, sunRsa) : null;
    }

    static Signatures require(Signatures s) {
      if (s == null) {
        throw new CryptoException("this JDK lacks the SunEC or SunRsaSign provider");
      }
      return s;
    }
  }
}
