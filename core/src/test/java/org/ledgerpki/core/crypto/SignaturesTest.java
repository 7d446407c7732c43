package org.ledgerpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ledgerpki.core.testkit.TestPki;

class SignaturesTest {
  private static final byte[] MESSAGE =
      "sequence 42 of log example.org/ledger".getBytes(StandardCharsets.UTF_8);

  static Stream<Arguments> algorithmsAndProviders() {
    return Stream.of(SignatureAlgorithm.values())
        .flatMap(
            a ->
                Stream.of(Signatures.bc(), Signatures.jdk(), Signatures.defaults())
                    .map(s -> Arguments.of(a, s)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("algorithmsAndProviders")
  void signsAndVerifies(SignatureAlgorithm alg, Signatures signatures) {
    KeyPair kp = TestPki.keyPair(alg);
    byte[] sig = signatures.sign(kp.getPrivate(), MESSAGE);

    assertThat(signatures.verify(kp.getPublic(), MESSAGE, sig)).isTrue();
    // Any provider verifies any other provider's signature.
    assertThat(Signatures.bc().verify(kp.getPublic(), MESSAGE, sig)).isTrue();
    assertThat(Signatures.jdk().verify(kp.getPublic(), MESSAGE, sig)).isTrue();
    // Adopted keys work too.
    assertThat(signatures.verify(signatures.adopt(kp.getPublic()), MESSAGE, sig)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("algorithmsAndProviders")
  void rejectsBadSignaturesWithFalse(SignatureAlgorithm alg, Signatures signatures) {
    KeyPair kp = TestPki.keyPair(alg);
    byte[] sig = signatures.sign(kp.getPrivate(), MESSAGE);

    byte[] otherMessage = MESSAGE.clone();
    otherMessage[0] ^= 1;
    assertThat(signatures.verify(kp.getPublic(), otherMessage, sig)).isFalse();

    for (int i : new int[] {0, sig.length / 2, sig.length - 1}) {
      byte[] flipped = sig.clone();
      flipped[i] ^= 0x40;
      assertThat(signatures.verify(kp.getPublic(), MESSAGE, flipped)).as("byte %d", i).isFalse();
    }
    assertThat(signatures.verify(kp.getPublic(), MESSAGE, new byte[0])).isFalse();
    assertThat(signatures.verify(kp.getPublic(), MESSAGE, Arrays.copyOf(sig, sig.length - 1)))
        .isFalse();
    assertThat(signatures.verify(kp.getPublic(), MESSAGE, Arrays.copyOf(sig, sig.length + 1)))
        .isFalse();
    assertThat(signatures.verify(kp.getPublic(), MESSAGE, new byte[] {0x30, 0x03, 0x02, 0x01}))
        .isFalse();

    KeyPair other = TestPki.keyPair(alg, 1);
    assertThat(signatures.verify(other.getPublic(), MESSAGE, sig)).isFalse();
  }

  @Test
  void signatureFormats() {
    byte[] ed =
        Signatures.defaults()
            .sign(TestPki.keyPair(SignatureAlgorithm.ED25519).getPrivate(), MESSAGE);
    assertThat(ed).hasSize(64);
    byte[] ec =
        Signatures.defaults()
            .sign(TestPki.keyPair(SignatureAlgorithm.ECDSA_P256).getPrivate(), MESSAGE);
    assertThat(ec[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
    for (SignatureAlgorithm a :
        new SignatureAlgorithm[] {
          SignatureAlgorithm.ML_DSA_44, SignatureAlgorithm.ML_DSA_65, SignatureAlgorithm.ML_DSA_87
        }) {
      byte[] sig = Signatures.defaults().sign(TestPki.keyPair(a).getPrivate(), MESSAGE);
      assertThat(sig).hasSize(a.mlDsaSignatureSize());
    }
    byte[] rsa =
        Signatures.defaults().sign(TestPki.keyPair(SignatureAlgorithm.RSA).getPrivate(), MESSAGE);
    assertThat(rsa).hasSize(256);
  }

  @Test
  void ed25519IsDeterministicAndIdenticalAcrossProviders() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] a = Signatures.bc().sign(kp.getPrivate(), MESSAGE);
    byte[] b = Signatures.jdk().sign(kp.getPrivate(), MESSAGE);
    assertThat(a).isEqualTo(b);
  }

  /**
   * The JDK's own ML-DSA (provider SUN, JDK 24 and later), an implementation independent of Bouncy
   * Castle. Fails, naming the running JDK, if it has none: ./mvnw runs on a JDK 25 (.mvn/jdk.sh).
   */
  private static Provider jdkMlDsa() {
    Provider sun = Security.getProvider("SUN");
    assertThat(sun != null && sun.getService("Signature", "ML-DSA") != null)
        .as(
            "the JDK running the tests (%s %s at %s) has no ML-DSA in provider SUN; the ML-DSA"
                + " cross-check needs JDK 24 or newer",
            System.getProperty("java.vendor"),
            System.getProperty("java.version"),
            System.getProperty("java.home"))
        .isTrue();
    return sun;
  }

  /**
   * Cross-checks this system's ML-DSA (Bouncy Castle) against the JDK's independent ML-DSA: each
   * verifies the other's signatures over the other's public keys (SPKI), Bouncy Castle signs with a
   * JDK private key (PKCS#8), and each refuses the other's signature of another message.
   */
  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
  void mlDsaInteroperatesWithTheJdkImplementation(SignatureAlgorithm alg) throws Exception {
    Provider sun = jdkMlDsa();
    String name = alg.jcaKeyAlgorithm();
    byte[] otherMessage = MESSAGE.clone();
    otherMessage[0] ^= 1;

    // Bouncy Castle signs; the JDK verifies with the key decoded from BC's SPKI.
    KeyPair bcKeys = TestPki.keyPair(alg);
    byte[] bcSig = Signatures.bc().sign(bcKeys.getPrivate(), MESSAGE);
    PublicKey bcPubInJdk =
        KeyFactory.getInstance(name, sun)
            .generatePublic(new X509EncodedKeySpec(bcKeys.getPublic().getEncoded()));
    assertThat(jdkVerify(sun, name, bcPubInJdk, MESSAGE, bcSig))
        .as("the JDK verifies a %s signature made by Bouncy Castle", alg)
        .isTrue();
    assertThat(jdkVerify(sun, name, bcPubInJdk, otherMessage, bcSig))
        .as("the JDK refuses Bouncy Castle's %s signature of another message", alg)
        .isFalse();

    // The JDK generates the keys and signs; Bouncy Castle verifies over the JDK's SPKI.
    KeyPair jdkKeys = KeyPairGenerator.getInstance(name, sun).generateKeyPair();
    byte[] jdkSig = jdkSign(sun, name, jdkKeys.getPrivate(), MESSAGE);
    assertThat(jdkSig).hasSize(alg.mlDsaSignatureSize());
    assertThat(SignatureAlgorithm.of(jdkKeys.getPublic())).isEqualTo(alg);
    assertThat(Signatures.bc().verify(jdkKeys.getPublic(), MESSAGE, jdkSig))
        .as("Bouncy Castle verifies a %s signature made by the JDK", alg)
        .isTrue();
    assertThat(Signatures.bc().verify(jdkKeys.getPublic(), otherMessage, jdkSig))
        .as("Bouncy Castle refuses the JDK's %s signature of another message", alg)
        .isFalse();
    assertThat(Signatures.bc().verify(bcKeys.getPublic(), MESSAGE, jdkSig))
        .as("Bouncy Castle refuses the JDK's %s signature under another key", alg)
        .isFalse();

    // Bouncy Castle signs with the JDK's private key (decoded from the JDK's PKCS#8); the JDK
    // verifies. (The JDK 25 does not read Bouncy Castle's seed-and-expanded-key PKCS#8, so the
    // private key crosses in this direction only.)
    byte[] bcSigOverJdkKey = Signatures.bc().sign(jdkKeys.getPrivate(), MESSAGE);
    assertThat(jdkVerify(sun, name, jdkKeys.getPublic(), MESSAGE, bcSigOverJdkKey))
        .as("the JDK verifies a %s signature made by Bouncy Castle with the JDK's key", alg)
        .isTrue();
  }

  private static byte[] jdkSign(Provider p, String alg, PrivateKey key, byte[] message)
      throws Exception {
    Signature s = Signature.getInstance(alg, p);
    s.initSign(key);
    s.update(message);
    return s.sign();
  }

  private static boolean jdkVerify(
      Provider p, String alg, PublicKey key, byte[] message, byte[] signature) throws Exception {
    Signature s = Signature.getInstance(alg, p);
    s.initVerify(key);
    s.update(message);
    return s.verify(signature);
  }

  @Test
  void unsupportedKeysCannotBeProcessed() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    KeyPair p521 = g.generateKeyPair();

    assertThat(SignatureAlgorithm.find(p521.getPublic())).isEmpty();
    assertThatThrownBy(() -> Signatures.defaults().verify(p521.getPublic(), MESSAGE, new byte[64]))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("unsupported public key");
    assertThatThrownBy(() -> Signatures.defaults().sign(p521.getPrivate(), MESSAGE))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("unsupported private key");
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void providerNames(SignatureAlgorithm alg) {
    assertThat(Signatures.bc().providerName(alg)).isEqualTo("BC");
    assertThat(Signatures.defaults().providerName(alg)).isEqualTo("BC");
    assertThat(Signatures.jdk().providerName(alg))
        .isEqualTo(
            switch (alg) {
              case ED25519, ECDSA_P256, ECDSA_P384 -> "SunEC";
              case RSA -> "SunRsaSign";
              default -> "BC";
            });
  }
}
