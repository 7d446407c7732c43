package org.ledgerpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
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
