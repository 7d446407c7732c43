package org.ledgerpki.launcher.demo;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/**
 * The certificates the demo submits: network-function certificates of every allowed algorithm from
 * each member, and certificates each validator must reject, with the reason it must give.
 */
public final class DemoPlan {
  /**
   * How long the demo waits for one HTTP answer (inquiry node, Keylime adapter) before it reports
   * the request as failed instead of waiting for ever.
   */
  static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(30);

  /** Who submits a certificate: a member, or an outsider whose key is not in the policy. */
  public static final String OUTSIDER = "mallory";

  /**
   * One certificate of the demo.
   *
   * @param submitter member id, or {@link #OUTSIDER}
   * @param expectedReason null if it must be admitted, else the reason code the validators give
   * @param wave 1, or 2 for certificates that must wait until wave 1 is decided
   */
  public record DemoCert(
      String submitter,
      String name,
      SignatureAlgorithm algorithm,
      byte[] der,
      String expectedReason,
      String description,
      int wave) {
    public String sha256() {
      return Hex.encode(org.ledgerpki.core.Sha256.hash(der));
    }

    public boolean mustBeAccepted() {
      return expectedReason == null;
    }
  }

  private final List<DemoCert> certs = new ArrayList<>();

  /**
   * Generates the plan for three members.
   *
   * @param organizations each member's subject O, in the order vendor, operator, operator
   */
  public static DemoPlan generate(List<String> ids, List<String> organizations) {
    DemoPlan p = new DemoPlan();
    String a = ids.get(0);
    String b = ids.get(1);
    String c = ids.get(2);
    String oa = organizations.get(0);
    String ob = organizations.get(1);
    String oc = organizations.get(2);
    KeyPair amfKey = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    p.ok(a, "amf-1", amfKey, oa, "AMF, ECDSA P-256");
    p.ok(a, "smf-1", Keys.generate(SignatureAlgorithm.ED25519), oa, "SMF, Ed25519");
    p.ok(a, "upf-1", Keys.generate(SignatureAlgorithm.ML_DSA_65), oa, "UPF, ML-DSA-65");
    p.ok(a, "nrf-1", Keys.generate(SignatureAlgorithm.ECDSA_P384), oa, "NRF, ECDSA P-384");
    p.ok(a, "ausf-1", Keys.generate(SignatureAlgorithm.RSA), oa, "AUSF, RSA 2048");
    p.ok(b, "segw-1", Keys.generate(SignatureAlgorithm.ECDSA_P256), ob, "SeGW, ECDSA P-256");
    p.ok(b, "pcf-1", Keys.generate(SignatureAlgorithm.ML_DSA_44), ob, "PCF, ML-DSA-44");
    p.ok(c, "udm-1", Keys.generate(SignatureAlgorithm.ML_DSA_87), oc, "UDM, ML-DSA-87");
    p.ok(c, "nssf-1", Keys.generate(SignatureAlgorithm.ED25519), oc, "NSSF, Ed25519");

    KeyPair k = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    p.add(
        a,
        "wrong-org",
        SignatureAlgorithm.ECDSA_P256,
        builder(k, "CN=amf-2,O=" + ob).build(),
        "ORGANIZATION_MISMATCH",
        "claims to be " + ob + "'s, submitted by " + a,
        1);
    KeyPair anon = Keys.generate(SignatureAlgorithm.ED25519);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate anonymous =
        new CertificateBuilder()
            .subject("")
            .issuer("CN=device")
            .keyPair(anon)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .uris("urn:uuid:3f6c1b5e-8a90-4b1e-9c1a-6d7b2e4f0a11")
            .validity(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(365)))
            .build();
    p.add(
        b,
        "anonymous-signer",
        SignatureAlgorithm.ED25519,
        anonymous,
        "FORBIDDEN_KEY_USAGE",
        "no subject identity, keyUsage digitalSignature",
        1);
    X509Certificate good =
        builder(Keys.generate(SignatureAlgorithm.ML_DSA_44), "CN=smf-9,O=" + oc).build();
    byte[] broken = Certificates.der(good);
    broken[broken.length - 1] ^= 1;
    p.add(
        c,
        "broken-signature",
        SignatureAlgorithm.ML_DSA_44,
        parse(broken),
        "BAD_SELF_SIGNATURE",
        "self-signature does not verify",
        1);
    p.add(
        OUTSIDER,
        "outsider",
        SignatureAlgorithm.ECDSA_P256,
        builder(Keys.generate(SignatureAlgorithm.ECDSA_P256), "CN=rogue,O=" + oa).build(),
        "NOT_A_MEMBER",
        "submitted by an organisation outside the consortium",
        1);
    p.add(
        c,
        "stolen-key",
        SignatureAlgorithm.ECDSA_P256,
        builder(amfKey, "CN=amf-1,O=" + oc).build(),
        "KEY_ALREADY_REGISTERED",
        "reuses the key of " + a + "'s amf-1",
        2);
    return p;
  }

  private void ok(String submitter, String name, KeyPair kp, String o, String description) {
    add(
        submitter,
        name,
        kp.getPublic() == null ? null : algorithmOf(kp),
        builder(
                kp,
                "CN="
                    + name
                    + "."
                    + o.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')
                    + ".5gc,O="
                    + o)
            .build(),
        null,
        description,
        1);
  }

  private static SignatureAlgorithm algorithmOf(KeyPair kp) {
    return SignatureAlgorithm.of(kp.getPublic());
  }

  private void add(
      String submitter,
      String name,
      SignatureAlgorithm alg,
      X509Certificate cert,
      String reason,
      String description,
      int wave) {
    certs.add(
        new DemoCert(submitter, name, alg, Certificates.der(cert), reason, description, wave));
  }

  private static CertificateBuilder builder(KeyPair kp, String dn) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new CertificateBuilder()
        .subject(dn)
        .keyPair(kp)
        .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
        .validity(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(365)));
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return Certificates.parse(der);
    } catch (MalformedInputException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<DemoCert> certificates() {
    return List.copyOf(certs);
  }
}
