package org.ledgerpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.testkit.TestPki;

class KeysTest {
  // V8 (golang/mod sumdb/note): the PeterNeumann key.
  private static final String V8_SEED =
      "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
  private static final String V8_PUB =
      "1a5cd907143c384c41e830c5bce12aa8817ec5649aaabf2c31388b35b2d744d6";

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void encodingsRoundTrip(SignatureAlgorithm alg) throws Exception {
    KeyPair kp = TestPki.keyPair(alg);
    assertThat(SignatureAlgorithm.of(kp.getPublic())).isEqualTo(alg);
    assertThat(SignatureAlgorithm.of(kp.getPrivate())).isEqualTo(alg);

    PublicKey pub = Keys.publicKeyFromSpki(kp.getPublic().getEncoded());
    assertThat(pub.getEncoded()).isEqualTo(kp.getPublic().getEncoded());
    PrivateKey priv = Keys.privateKeyFromPkcs8(kp.getPrivate().getEncoded());
    assertThat(SignatureAlgorithm.of(priv)).isEqualTo(alg);

    String pubPem = Keys.toPem(kp.getPublic());
    assertThat(pubPem)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(Keys.publicKeyFromPem(pubPem).getEncoded()).isEqualTo(kp.getPublic().getEncoded());
    String privPem = Keys.toPem(kp.getPrivate());
    assertThat(privPem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    PrivateKey fromPem = Keys.privateKeyFromPem(privPem);

    // The decoded private key still signs for the original public key.
    byte[] sig = Signatures.defaults().sign(fromPem, new byte[] {1, 2, 3});
    assertThat(Signatures.defaults().verify(kp.getPublic(), new byte[] {1, 2, 3}, sig)).isTrue();

    assertThat(Keys.spkiSha256(kp.getPublic())).isEqualTo(Sha256.hash(kp.getPublic().getEncoded()));
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void publicKeyOfPrivateKey(SignatureAlgorithm alg) {
    KeyPair kp = TestPki.keyPair(alg);
    assertThat(Keys.publicKeyOf(kp.getPrivate()).getEncoded())
        .isEqualTo(kp.getPublic().getEncoded());
  }

  @Test
  void publicKeyOfJdkKeys() throws Exception {
    for (String[] spec :
        new String[][] {
          {"Ed25519", null}, {"EC", "secp256r1"}, {"EC", "secp384r1"}, {"RSA", null}
        }) {
      KeyPairGenerator g = KeyPairGenerator.getInstance(spec[0]);
      if (spec[1] != null) {
        g.initialize(new ECGenParameterSpec(spec[1]));
      }
      KeyPair kp = g.generateKeyPair();
      assertThat(Keys.publicKeyOf(kp.getPrivate()).getEncoded())
          .as(spec[0])
          .isEqualTo(kp.getPublic().getEncoded());
    }
  }

  @Test
  void ed25519RawAndSeedReproduceV8() {
    PrivateKey priv = Keys.ed25519FromSeed(Hex.decode(V8_SEED));
    assertThat(Keys.ed25519Seed(priv)).isEqualTo(Hex.decode(V8_SEED));
    PublicKey pub = Keys.publicKeyOf(priv);
    assertThat(Keys.ed25519Raw(pub)).isEqualTo(Hex.decode(V8_PUB));
    assertThat(Keys.ed25519FromRaw(Hex.decode(V8_PUB)).getEncoded()).isEqualTo(pub.getEncoded());
  }

  @Test
  void ed25519RawRejectsWrongLengthsAndTypes() {
    assertThatThrownBy(() -> Keys.ed25519FromRaw(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 31");
    assertThatThrownBy(() -> Keys.ed25519FromSeed(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Keys.ed25519Raw(TestPki.keyPair(SignatureAlgorithm.ECDSA_P256).getPublic()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
  void mlDsaRawRoundTrip(SignatureAlgorithm alg) {
    KeyPair kp = TestPki.keyPair(alg);
    byte[] raw = Keys.mlDsaRaw(kp.getPublic());
    assertThat(raw).hasSize(alg.mlDsaPublicKeySize());
    PublicKey back = Keys.mlDsaFromRaw(alg, raw);
    assertThat(back.getEncoded()).isEqualTo(kp.getPublic().getEncoded());
    assertThat(SignatureAlgorithm.of(back)).isEqualTo(alg);
  }

  @Test
  void mlDsa44RawIs1312Bytes() {
    assertThat(Keys.mlDsaRaw(TestPki.keyPair(SignatureAlgorithm.ML_DSA_44).getPublic()))
        .hasSize(1312);
    assertThatThrownBy(() -> Keys.mlDsaFromRaw(SignatureAlgorithm.ML_DSA_44, new byte[1311]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1312");
    assertThatThrownBy(() -> Keys.mlDsaFromRaw(SignatureAlgorithm.ED25519, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rsaKeySizes() {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.RSA);
    assertThat(SignatureAlgorithm.rsaModulusBits(kp.getPublic())).isEqualTo(2048);
    assertThat(SignatureAlgorithm.isRsaOfAtLeast(kp.getPublic(), 2048)).isTrue();
    assertThat(SignatureAlgorithm.isRsaOfAtLeast(kp.getPublic(), 3072)).isFalse();
    assertThat(
            SignatureAlgorithm.isRsaOfAtLeast(
                TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic(), 2048))
        .isFalse();
    assertThatThrownBy(
            () ->
                SignatureAlgorithm.rsaModulusBits(
                    TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.generate(SignatureAlgorithm.ED25519, 2048))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedInputsAreReported() {
    assertThatThrownBy(() -> Keys.publicKeyFromSpki(new byte[] {0x30, 0x00}))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageStartingWith("public key:");
    assertThatThrownBy(() -> Keys.publicKeyFromSpki(new byte[] {1, 2, 3}))
        .isInstanceOf(MalformedInputException.class);
    byte[] spki = TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic().getEncoded();
    byte[] trailing = java.util.Arrays.copyOf(spki, spki.length + 1);
    assertThatThrownBy(() -> Keys.publicKeyFromSpki(trailing))
        .isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Keys.privateKeyFromPkcs8(new byte[] {0x30, 0x00}))
        .isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Keys.publicKeyFromPem("no pem here"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("no PUBLIC KEY block");
    assertThatThrownBy(
            () ->
                Keys.privateKeyFromPem(
                    Keys.toPem(TestPki.keyPair(SignatureAlgorithm.ED25519).getPublic())))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("no PRIVATE KEY block");
  }

  @Test
  void messagesNeverQuotePrivateKeyMaterial() {
    String pem = Keys.toPem(TestPki.keyPair(SignatureAlgorithm.ED25519).getPrivate());
    String body = pem.split("\n")[1];
    // Corrupt the key so decoding fails, then check the message does not echo it.
    String broken = pem.replace(body, body.substring(0, 20) + "!!!!" + body.substring(24));
    assertThatThrownBy(() -> Keys.privateKeyFromPem(broken))
        .isInstanceOf(MalformedInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 20)));
  }

  @Test
  void algorithmNames() {
    for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
      assertThat(SignatureAlgorithm.fromName(a.configName())).isEqualTo(a);
    }
    assertThat(SignatureAlgorithm.ECDSA_P256.configName()).isEqualTo("ecdsa-p256");
    assertThat(SignatureAlgorithm.ML_DSA_44.configName()).isEqualTo("ml-dsa-44");
    assertThat(SignatureAlgorithm.fromName("ML-DSA-65")).isEqualTo(SignatureAlgorithm.ML_DSA_65);
    assertThatThrownBy(() -> SignatureAlgorithm.fromName("ecdsa-p521"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ecdsa-p521")
        .hasMessageContaining("ml-dsa-44");
  }
}
