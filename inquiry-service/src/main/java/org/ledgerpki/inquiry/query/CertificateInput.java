package org.ledgerpki.inquiry.query;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Locale;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.inquiry.index.CertKey;

/**
 * How a query names a certificate: by H(CERT) in hex, or by the certificate itself in a request
 * body. Each method returns the key or a {@link Fault} naming what is wrong.
 */
public final class CertificateInput {
  /** The largest request body accepted: 64 KiB (an MTC log entry is at most 65535 bytes). */
  public static final int MAX_BODY = 64 * 1024;

  /** PEM: {@code application/x-pem-file}. */
  public static final String PEM = "application/x-pem-file";

  /** PEM, as ACME (RFC 8555) names it. */
  public static final String PEM_CHAIN = "application/pem-certificate-chain";

  /** DER: {@code application/pkix-cert} (RFC 2585). */
  public static final String DER = "application/pkix-cert";

  /** A certificate key, or why there is none. */
  public sealed interface Parsed {
    /** The key. */
    /**
     * A certificate key, and the certificate's DER when the query carried the certificate (null for
     * a query by hash).
     */
    record Key(CertKey key, byte[] der) implements Parsed {}

    /** What is wrong. */
    record Bad(Fault fault) implements Parsed {}
  }

  private CertificateInput() {}

  /** Parses a SHA-256 given as 64 hex characters, either case. */
  public static Parsed hash(String hex) {
    if (hex == null || !isHex64(hex)) {
      String shown = hex == null ? "nothing" : describe(hex);
      return new Parsed.Bad(
          Fault.malformedHash("a certificate SHA-256 is 64 hex characters; got " + shown));
    }
    return new Parsed.Key(CertKey.ofHex(hex), null);
  }

  /** Whether {@code s} is 64 hex digits, either case (what {@code [0-9a-fA-F]{64}} matches). */
  static boolean isHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  private static String describe(String s) {
    String clipped = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "'" + clipped + "' (" + s.length() + " characters)";
  }

  /**
   * Parses a request body holding one certificate: PEM ({@value #PEM} or {@value #PEM_CHAIN}) or
   * DER ({@value #DER}), at most {@value #MAX_BODY} bytes. The key is the SHA-256 of the DER.
   *
   * @param contentType the request's Content-Type, parameters allowed; null if absent
   */
  public static Parsed body(byte[] body, String contentType) {
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    boolean pem = type.equals(PEM) || type.equals(PEM_CHAIN);
    boolean der = type.equals(DER);
    if (!pem && !der) {
      return new Parsed.Bad(
          Fault.unsupportedType(
              "Content-Type must be "
                  + PEM
                  + " (PEM) or "
                  + DER
                  + " (DER), got "
                  + (type.isEmpty() ? "none" : "'" + type + "'")));
    }
    if (body == null || body.length == 0) {
      return new Parsed.Bad(Fault.notACertificate("the body is empty"));
    }
    if (body.length > MAX_BODY) {
      return new Parsed.Bad(
          Fault.tooLarge(
              "the body has "
                  + body.length
                  + " bytes; a certificate may have at most "
                  + MAX_BODY));
    }
    if (pem
        && !new String(body, 0, Math.min(body.length, 64), StandardCharsets.US_ASCII)
            .strip()
            .startsWith("-----BEGIN")) {
      return new Parsed.Bad(
          Fault.notACertificate(
              "the body is declared PEM but has no '-----BEGIN CERTIFICATE-----' line"));
    }
    if (der && (body[0] & 0xff) != 0x30) {
      return new Parsed.Bad(
          Fault.notACertificate("the body is declared DER but does not start with a SEQUENCE"));
    }
    try {
      X509Certificate cert = Certificates.parse(body);
      byte[] encoded = Certificates.der(cert);
      return new Parsed.Key(CertKey.of(Sha256.hash(encoded)), encoded);
    } catch (MalformedInputException e) {
      return new Parsed.Bad(Fault.notACertificate(e.getMessage()));
    } catch (RuntimeException e) {
      return new Parsed.Bad(
          Fault.notACertificate("cannot parse the certificate: " + e.getMessage()));
    }
  }
}
