package org.ledgerpki.core.crypto;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.ledgerpki.core.MalformedInputException;

/**
 * Reading the fields of a parsed X.509 certificate that the certificate profile checks: subject
 * attributes, subjectAltName entries, keyUsage and other extensions, the key and signature
 * algorithms. {@link Certificates} parses, encodes and checks signatures.
 */
public final class CertificateFields {
  private static final String KEY_USAGE_OID = "2.5.29.15";

  private CertificateFields() {}

  /**
   * Returns the values of the organisation (O, 2.5.4.10) attributes of the subject, in the order of
   * the encoded DN (the most significant RDN first). Empty if there are none.
   */
  public static List<String> subjectOrganizations(X509Certificate cert) {
    return subjectAttributeValues(cert, BCStyle.O.getId());
  }

  /**
   * Returns the string values of every subject attribute of type {@code oid} (dotted decimal, for
   * example {@code "2.5.4.3"} for CN), in encoded order; empty if there are none. Values that are
   * not strings are rendered as {@code #hex} of their DER, as RFC 4514 does.
   */
  public static List<String> subjectAttributeValues(X509Certificate cert, String oid) {
    ASN1ObjectIdentifier type = new ASN1ObjectIdentifier(oid);
    List<String> values = new ArrayList<>();
    for (RDN rdn : subject(cert).getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(type)) {
          ASN1Encodable v = atv.getValue();
          values.add(v instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(v));
        }
      }
    }
    return List.copyOf(values);
  }

  /**
   * Returns whether the subject DN carries any attribute at all. A certificate with an empty
   * subject (identity, if any, only in subjectAltName) returns false. The certificate profile uses
   * this together with {@link #subjectOrganizations(X509Certificate)}.
   */
  public static boolean hasSubjectIdentity(X509Certificate cert) {
    return subject(cert).getRDNs().length > 0;
  }

  /** A subjectAltName entry of a kind this code reads. */
  public enum AltNameKind {
    /** rfc822Name (a mailbox). */
    EMAIL,
    /** dNSName. */
    DNS,
    /** uniformResourceIdentifier. */
    URI,
    /** iPAddress, in the JCA's text form. */
    IP,
    /** Any other kind (otherName, directoryName, ...), with no value read. */
    OTHER
  }

  /** One subjectAltName entry: its kind and, for the string kinds, its value. */
  public record AltName(AltNameKind kind, String value) {}

  /**
   * Returns the certificate's subjectAltName entries, in encoded order; empty if it has none.
   *
   * @throws MalformedInputException if the extension is present but cannot be read
   */
  public static List<AltName> subjectAltNames(X509Certificate cert) throws MalformedInputException {
    java.util.Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (java.security.cert.CertificateParsingException | RuntimeException e) {
      throw new MalformedInputException("subjectAltName: cannot be read: " + e.getMessage(), e);
    }
    if (names == null) {
      return List.of();
    }
    List<AltName> out = new ArrayList<>();
    for (List<?> n : names) {
      int type = n.get(0) instanceof Integer i ? i : -1;
      Object v = n.size() > 1 ? n.get(1) : null;
      String value = v instanceof String str ? str : null;
      AltNameKind kind =
          switch (type) {
            case 1 -> AltNameKind.EMAIL;
            case 2 -> AltNameKind.DNS;
            case 6 -> AltNameKind.URI;
            case 7 -> AltNameKind.IP;
            default -> AltNameKind.OTHER;
          };
      if (kind != AltNameKind.OTHER && value == null) {
        throw new MalformedInputException("subjectAltName: a " + kind + " entry has no text value");
      }
      out.add(new AltName(kind, value));
    }
    return List.copyOf(out);
  }

  /** Returns the subject DN in RFC 4514 string form (most specific RDN first). */
  public static String subjectDn(X509Certificate cert) {
    return cert.getSubjectX500Principal().getName();
  }

  private static X500Name subject(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  /**
   * Returns the keyUsage bits that are set, or empty if the certificate has no keyUsage extension.
   */
  public static Optional<Set<KeyUsage>> keyUsage(X509Certificate cert) {
    boolean[] bits = cert.getKeyUsage();
    if (bits == null) {
      return Optional.empty();
    }
    Set<KeyUsage> set = EnumSet.noneOf(KeyUsage.class);
    for (KeyUsage u : KeyUsage.values()) {
      if (u.bit() < bits.length && bits[u.bit()]) {
        set.add(u);
      }
    }
    return Optional.of(Collections.unmodifiableSet(set));
  }

  /** Returns whether the certificate has a keyUsage extension marked critical. */
  public static boolean keyUsageCritical(X509Certificate cert) {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    return critical != null && critical.contains(KEY_USAGE_OID);
  }

  /**
   * Returns the DER value (the contents of extnValue) of the extension with OID {@code oid}, or
   * empty if the certificate has no such extension.
   */
  public static Optional<byte[]> extensionValue(X509Certificate cert, String oid) {
    byte[] wrapped = cert.getExtensionValue(oid);
    if (wrapped == null) {
      return Optional.empty();
    }
    return Optional.of(ASN1OctetString.getInstance(wrapped).getOctets());
  }

  /**
   * Returns the algorithm of the certificate's subject public key, or empty if it is not one this
   * system supports.
   */
  public static Optional<SignatureAlgorithm> keyAlgorithm(X509Certificate cert) {
    return SignatureAlgorithm.find(cert.getPublicKey());
  }

  /** Returns the OID (dotted decimal) of the certificate's signature algorithm. */
  public static String signatureAlgorithmOid(X509Certificate cert) {
    return cert.getSigAlgOID();
  }

  /**
   * Returns a readable name of the certificate's signature algorithm, such as {@code
   * SHA256WITHECDSA}, {@code ED25519} or {@code ML-DSA-44}; the OID if the name is unknown.
   */
  public static String signatureAlgorithmName(X509Certificate cert) {
    AlgorithmIdentifier id =
        Certificate.getInstance(Certificates.der(cert)).getSignatureAlgorithm();
    return new DefaultAlgorithmNameFinder().getAlgorithmName(id);
  }
}
