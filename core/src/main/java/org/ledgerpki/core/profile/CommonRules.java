package org.ledgerpki.core.profile;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.CryptoException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;

/** The rules both profiles share: size, DER, v3, algorithm, self-signature, validity window. */
final class CommonRules {
  static final int MIN_RSA_BITS = 2048;

  private CommonRules() {}

  /**
   * Parses and applies the shared rules.
   *
   * @return the certificate, or null if it could not be parsed (a violation says why)
   */
  static X509Certificate check(
      byte[] der,
      Set<SignatureAlgorithm> allowed,
      Instant now,
      Duration clockSkew,
      Duration maxLifetime,
      List<Violation> out) {
    if (der.length > CertificateProfile.MAX_DER_BYTES) {
      out.add(
          new Violation(
              ViolationCode.TOO_LARGE,
              "certificate is "
                  + der.length
                  + " bytes; the MTC entry limit is "
                  + CertificateProfile.MAX_DER_BYTES));
      return null;
    }
    X509Certificate cert;
    try {
      cert = Certificates.parse(der);
    } catch (MalformedInputException e) {
      out.add(new Violation(ViolationCode.MALFORMED_CERTIFICATE, e.getMessage()));
      return null;
    }
    if (cert.getVersion() != 3) {
      out.add(
          new Violation(
              ViolationCode.NOT_X509_V3,
              "expected an X.509 v3 certificate, found v" + cert.getVersion()));
    }
    PublicKey key = cert.getPublicKey();
    SignatureAlgorithm alg = null;
    try {
      alg = SignatureAlgorithm.of(key);
    } catch (IllegalArgumentException e) {
      out.add(
          new Violation(
              ViolationCode.ALGORITHM_NOT_ALLOWED,
              "key algorithm " + key.getAlgorithm() + " is not supported"));
    }
    if (alg != null) {
      if (!allowed.contains(alg)) {
        out.add(
            new Violation(
                ViolationCode.ALGORITHM_NOT_ALLOWED,
                alg.configName()
                    + " is not allowed by the trust policy; allowed: "
                    + names(allowed)));
      } else if (alg == SignatureAlgorithm.RSA && key instanceof RSAKey rsa) {
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
          out.add(
              new Violation(
                  ViolationCode.ALGORITHM_NOT_ALLOWED,
                  "RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " required"));
        }
      }
      try {
        if (!Certificates.selfSignatureValid(cert)) {
          out.add(
              new Violation(
                  ViolationCode.BAD_SELF_SIGNATURE,
                  "the certificate's signature does not verify with its own public key"));
        }
      } catch (CryptoException e) {
        out.add(
            new Violation(
                ViolationCode.BAD_SELF_SIGNATURE,
                "cannot verify the self-signature: " + e.getMessage()));
      }
    }
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    if (!notAfter.isAfter(notBefore)) {
      out.add(
          new Violation(
              ViolationCode.VALIDITY_WINDOW,
              "notAfter " + notAfter + " is not after notBefore " + notBefore));
    } else if (notBefore.isAfter(now.plus(clockSkew))) {
      out.add(
          new Violation(
              ViolationCode.VALIDITY_WINDOW,
              "not yet valid: notBefore "
                  + notBefore
                  + " is after now "
                  + now
                  + " (+"
                  + clockSkew
                  + " skew)"));
    } else if (!notAfter.isAfter(now)) {
      out.add(
          new Violation(
              ViolationCode.VALIDITY_WINDOW,
              "expired: notAfter " + notAfter + " is before now " + now));
    } else if (Duration.between(notBefore, notAfter).compareTo(maxLifetime) > 0) {
      out.add(
          new Violation(
              ViolationCode.VALIDITY_WINDOW,
              "lifetime "
                  + Duration.between(notBefore, notAfter).toDays()
                  + " days exceeds the maximum of "
                  + maxLifetime.toDays()
                  + " days"));
    }
    return cert;
  }

  static String names(Set<SignatureAlgorithm> algs) {
    return String.join(", ", algs.stream().map(SignatureAlgorithm::configName).sorted().toList());
  }

  /** keyUsage bit names, RFC 5280 order. */
  static final String[] KEY_USAGE = {
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly"
  };

  static String keyUsageNames(boolean[] ku) {
    if (ku == null) {
      return "(no keyUsage extension)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ku.length && i < KEY_USAGE.length; i++) {
      if (ku[i]) {
        sb.append(sb.isEmpty() ? "" : ", ").append(KEY_USAGE[i]);
      }
    }
    return sb.isEmpty() ? "(none)" : sb.toString();
  }
}
