package org.ledgerpki.bench;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/**
 * P4: the size of an OCSP response (RFC 6960, one SingleResponse for one certificate, no nonce)
 * signed by a responder with an ECDSA P-256 key and with an ML-DSA-65 key, built with Bouncy
 * Castle; with and without the responder's certificate, as a delegated responder sends it. Run:
 * {@code java -cp … org.ledgerpki.bench.OcspSizes}.
 */
public final class OcspSizes {
  private OcspSizes() {}

  public static void main(String[] args) throws Exception {
    KeyPair caKey = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    Instant now = Instant.now();
    X509Certificate ca =
        new CertificateBuilder()
            .subject("CN=Operator CA,O=Operator B")
            .keyPair(caKey)
            .keyUsage(true, KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN)
            .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)))
            .build();
    KeyPair nf = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    X509Certificate leaf =
        new CertificateBuilder()
            .subject("CN=amf-1,O=Vendor A")
            .issuer("CN=Operator CA,O=Operator B")
            .publicKey(nf.getPublic())
            .signingKey(caKey.getPrivate())
            .serial(new BigInteger("1234567890abcdef", 16))
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)))
            .build();
    System.out.println(
        "OCSP response sizes (one SingleResponse, status good, thisUpdate/nextUpdate, no nonce):");
    for (SignatureAlgorithm alg :
        new SignatureAlgorithm[] {SignatureAlgorithm.ECDSA_P256, SignatureAlgorithm.ML_DSA_65}) {
      KeyPair responderKey = Keys.generate(alg);
      X509Certificate responder =
          new CertificateBuilder()
              .subject("CN=OCSP responder,O=Operator B")
              .issuer("CN=Operator CA,O=Operator B")
              .publicKey(responderKey.getPublic())
              .signingKey(caKey.getPrivate())
              .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
              .extendedKeyUsage(false, "1.3.6.1.5.5.7.3.9")
              .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
              .build();
      int without = size(ca, leaf, responder, responderKey, alg, false);
      int with = size(ca, leaf, responder, responderKey, alg, true);
      System.out.printf(
          "  %-11s responder: %5d bytes; with the responder certificate: %5d bytes%n",
          alg.configName(), without, with);
    }
  }

  private static int size(
      X509Certificate ca,
      X509Certificate leaf,
      X509Certificate responder,
      KeyPair key,
      SignatureAlgorithm alg,
      boolean includeCert)
      throws Exception {
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    CertificateID id =
        new CertificateID(
            digests.get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(ca),
            leaf.getSerialNumber());
    BasicOCSPRespBuilder b =
        new BasicOCSPRespBuilder(
            new RespID(X500Name.getInstance(responder.getSubjectX500Principal().getEncoded())));
    Date thisUpdate = new Date();
    b.addResponse(
        id, CertificateStatus.GOOD, thisUpdate, new Date(thisUpdate.getTime() + 3_600_000L));
    ContentSigner signer =
        new JcaContentSignerBuilder(
                alg == SignatureAlgorithm.ECDSA_P256 ? "SHA256withECDSA" : "ML-DSA-65")
            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
            .build(key.getPrivate());
    X509CertificateHolder[] chain =
        includeCert ? new X509CertificateHolder[] {new JcaX509CertificateHolder(responder)} : null;
    BasicOCSPResp basic = b.build(signer, chain, thisUpdate);
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded().length;
  }
}
