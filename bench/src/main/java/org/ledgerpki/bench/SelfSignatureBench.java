package org.ledgerpki.bench;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestPki;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The validators' hot path (P2): the self-signature of a submitted ECDSA P-256 certificate, each
 * with a key the verifier has never met, as a validator meets them. {@link SignatureBench} verifies
 * with one key object again and again, so Bouncy Castle's per-point precomputation is reused there
 * and not here.
 *
 * <ul>
 *   <li>{@link #bcCertificate}: what the validators do ({@link Certificates#selfSignatureValid}): a
 *       certificate Bouncy Castle's provider parsed, verified through its provider.
 *   <li>{@link #bcLightweight}: Bouncy Castle's lightweight {@link ECDSASigner} on the
 *       certificate's DER: the SPKI point decoded on the shared P-256 curve object, SHA-256 over
 *       the TBS bytes.
 *   <li>{@link #bcLightweightSameKey}: the same with one key object again and again, for reference:
 *       what {@link SignatureBench} measures.
 *   <li>{@link #jdk}: the JDK's SunEC, the key from the SPKI bytes.
 * </ul>
 *
 * Every invocation takes the next certificate of a pool parsed afresh before each iteration, larger
 * than an iteration can use, so that no key object is met twice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SelfSignatureBench {
  private static final int POOL = 2_000;
  private static final int PER_ITERATION = 30_000;
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private final List<byte[]> ders = new ArrayList<>();
  private X509Certificate[] parsed;
  private int next;

  @Setup(Level.Trial)
  public void certificates() throws Exception {
    for (int i = 0; i < POOL; i++) {
      ders.add(
          TestPki.vendor(
                  SignatureAlgorithm.ECDSA_P256,
                  org.ledgerpki.core.testkit.TestConsortium.organization("vendor-a"),
                  "nf-" + i,
                  i)
              .der());
    }
  }

  /** A fresh parse of every certificate: no key object survives from the last iteration. */
  @Setup(Level.Iteration)
  public void parse() throws Exception {
    parsed = new X509Certificate[PER_ITERATION];
    for (int i = 0; i < PER_ITERATION; i++) {
      parsed[i] = Certificates.parse(ders.get(i % POOL));
    }
    next = 0;
  }

  private int take() {
    if (next == PER_ITERATION) {
      throw new IllegalStateException("the pool is too small for one iteration");
    }
    return next++;
  }

  @Benchmark
  public boolean bcCertificate() {
    return Certificates.selfSignatureValid(parsed[take()]);
  }

  /** What the lightweight verifier needs of a certificate: its key, its signature, its TBS hash. */
  private record Lightweight(ECPublicKeyParameters key, BigInteger r, BigInteger s, byte[] hash) {
    static Lightweight of(byte[] der) throws Exception {
      Certificate c = Certificate.getInstance(der);
      ECPublicKeyParameters key =
          new ECPublicKeyParameters(
              DOMAIN
                  .getCurve()
                  .decodePoint(c.getSubjectPublicKeyInfo().getPublicKeyData().getBytes()),
              DOMAIN);
      ASN1Sequence rs = ASN1Sequence.getInstance(c.getSignature().getBytes());
      return new Lightweight(
          key,
          ASN1Integer.getInstance(rs.getObjectAt(0)).getValue(),
          ASN1Integer.getInstance(rs.getObjectAt(1)).getValue(),
          Sha256.hash(c.getTBSCertificate().getEncoded("DER")));
    }

    boolean verify() {
      ECDSASigner signer = new ECDSASigner();
      signer.init(false, key);
      return signer.verifySignature(hash, r, s);
    }
  }

  @Benchmark
  public boolean bcLightweight() throws Exception {
    return Lightweight.of(parsed[take()].getEncoded()).verify();
  }

  private Lightweight same;

  /** For reference: one key object met again and again, its precomputation reused. */
  @Benchmark
  public boolean bcLightweightSameKey() throws Exception {
    take();
    if (same == null) {
      same = Lightweight.of(ders.get(0));
    }
    return same.verify();
  }

  @Benchmark
  public boolean jdk() throws Exception {
    X509Certificate cert = parsed[take()];
    PublicKey key =
        KeyFactory.getInstance("EC", "SunEC")
            .generatePublic(new X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
    Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
    s.initVerify(key);
    s.update(cert.getTBSCertificate());
    return s.verify(cert.getSignature());
  }
}
