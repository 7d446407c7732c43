package org.ledgerpki.bench;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * P1: verification of one signature over a 100-byte message, with Bouncy Castle and with the JDK's
 * own providers (SunEC for ECDSA and Ed25519; SUN for ML-DSA on a JDK 24+ runtime).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBench {
  @Param({"ecdsa-p256", "ed25519", "ml-dsa-65"})
  public String algorithm;

  @Param({"bc", "jdk"})
  public String provider;

  private String jdkProvider;
  private String jdkAlgorithm;
  private PublicKey key;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    SignatureAlgorithm alg = SignatureAlgorithm.fromName(algorithm);
    KeyPair kp = Keys.generate(alg);
    message = new byte[100];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) ('a' + i % 26);
    }
    signature = Signatures.bc().sign(kp.getPrivate(), message);
    if (provider.equals("bc")) {
      key = Signatures.bc().adopt(kp.getPublic());
    } else {
      String p = alg.isMlDsa() ? "SUN" : "SunEC";
      KeyFactory kf =
          KeyFactory.getInstance(
              alg.isMlDsa() ? "ML-DSA" : alg == SignatureAlgorithm.ED25519 ? "Ed25519" : "EC", p);
      key = kf.generatePublic(new X509EncodedKeySpec(kp.getPublic().getEncoded()));
      jdkProvider = p;
      jdkAlgorithm = jcaName(alg);
    }
    if (!verify()) {
      throw new IllegalStateException(
          algorithm + "/" + provider + " does not verify its own signature");
    }
  }

  private static String jcaName(SignatureAlgorithm alg) {
    return switch (alg) {
      case ECDSA_P256 -> "SHA256withECDSA";
      case ED25519 -> "Ed25519";
      case ML_DSA_65 -> "ML-DSA-65";
      default -> throw new IllegalArgumentException(alg.toString());
    };
  }

  /**
   * One verification as the system does it: a fresh {@link Signature} from the provider, init,
   * update, verify. Bouncy Castle goes through core's {@link Signatures}, the JDK through JCA.
   */
  @Benchmark
  public boolean verify() throws Exception {
    if (jdkProvider == null) {
      return Signatures.bc().verify(key, message, signature);
    }
    Signature s = Signature.getInstance(jdkAlgorithm, jdkProvider);
    s.initVerify(key);
    s.update(message);
    return s.verify(signature);
  }
}
