package org.ledgerpki.core.profile;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.CertificateFields;
import org.ledgerpki.core.policy.TrustPolicy;

/**
 * The organisation rule for subjectAltName, shared by both profiles: every domain a certificate
 * names in its subjectAltName (a dNSName, the host of a URI, the domain of an rfc822Name) must be
 * one of the submitting member's domains or a name below one. Otherwise a member could have the
 * consortium admit a certificate for another member's names, with an empty subject or a subject O
 * of its own. A URI without a host (a URN such as {@code urn:uuid:…}) names no domain and is not
 * checked; nor are IP addresses and other name forms. See docs/certificate-profiles.md.
 */
final class IdentityRule {
  private IdentityRule() {}

  /**
   * Adds an IDENTITY_MISMATCH violation to {@code out} for every subjectAltName domain of {@code
   * cert} outside {@code domains}.
   *
   * @param domains the submitter's domains, lowercase, without a trailing dot
   */
  static void check(
      X509Certificate cert,
      Collection<String> domains,
      TrustPolicy.Member submitter,
      List<Violation> out) {
    List<CertificateFields.AltName> names;
    try {
      names = CertificateFields.subjectAltNames(cert);
    } catch (MalformedInputException e) {
      out.add(new Violation(ViolationCode.IDENTITY_MISMATCH, e.getMessage()));
      return;
    }
    for (CertificateFields.AltName n : names) {
      Optional<String> domain;
      try {
        domain = domainOf(n);
      } catch (MalformedInputException e) {
        out.add(new Violation(ViolationCode.IDENTITY_MISMATCH, e.getMessage()));
        continue;
      }
      if (domain.isPresent() && !within(domain.get(), domains)) {
        out.add(
            new Violation(
                ViolationCode.IDENTITY_MISMATCH,
                "subjectAltName "
                    + n.kind()
                    + " '"
                    + n.value()
                    + "' names domain '"
                    + domain.get()
                    + "', which is not within the domains of the submitter '"
                    + submitter.id()
                    + "' "
                    + domains));
      }
    }
  }

  /**
   * The domain an entry names, lowercase without a trailing dot: a dNSName itself (a leading {@code
   * *.} wildcard label removed), a URI's host, the part of an rfc822Name after its {@code @}. Empty
   * for a URI without a host and for other kinds.
   */
  static Optional<String> domainOf(CertificateFields.AltName n) throws MalformedInputException {
    String raw =
        switch (n.kind()) {
          case DNS -> n.value().startsWith("*.") ? n.value().substring(2) : n.value();
          case EMAIL -> n.value().substring(n.value().lastIndexOf('@') + 1);
          case URI -> uriHost(n.value());
          case IP, OTHER -> null;
        };
    if (raw == null) {
      return Optional.empty();
    }
    String d = raw.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty()) {
      throw new MalformedInputException(
          "subjectAltName " + n.kind() + " '" + n.value() + "' names an empty domain");
    }
    return Optional.of(d);
  }

  private static String uriHost(String uri) throws MalformedInputException {
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new MalformedInputException(
          "subjectAltName URI '" + uri + "' is not a URI: " + e.getMessage(), e);
    }
    if (u.isOpaque()) {
      return null; // urn:, mailto: ... carry no authority
    }
    String host = u.getHost();
    if (host == null && u.getRawAuthority() != null) {
      throw new MalformedInputException(
          "subjectAltName URI '" + uri + "' has an authority but no readable host");
    }
    if (host != null && host.startsWith("[")) {
      return null; // an IP literal
    }
    return host;
  }

  /** Whether {@code domain} equals one of {@code domains} or is a name below one. */
  static boolean within(String domain, Collection<String> domains) {
    for (String d : domains) {
      if (domain.equals(d) || domain.endsWith("." + d)) {
        return true;
      }
    }
    return false;
  }
}
