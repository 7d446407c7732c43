package org.ledgerpki.core.mtc;

import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/**
 * The offsets of the fields of an X.509 Certificate and its TBSCertificate (RFC 5280 §4.1) inside
 * one DER buffer, so that fields can be hashed or copied as exact byte slices without decoding
 * them. Each {@code xStart}/{@code xEnd} pair delimits a whole element (identifier, length and
 * contents); an absent optional field has {@code xStart == xEnd}.
 *
 * <p>Parsing checks the DER framing of every top-level field and the shape RFC 5280 gives them (the
 * identifiers, their order, Validity's two times, SubjectPublicKeyInfo's algorithm and BIT STRING,
 * a version of v2 or v3 when present), not the contents of names, times or extensions; {@link
 * Der#checkWellFormed} does the deep check where it is needed.
 */
final class X509Slices {
  final byte[] buf;

  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  int tbsStart;
  int tbsContentsStart;
  int tbsEnd;
  int signatureAlgorithmStart;
  int signatureAlgorithmEnd;

  /** Offset of the first octet of the BIT STRING's contents: the number of unused bits. */
  int signatureValueContentsStart;

  int signatureValueEnd;

  // TBSCertificate
  int versionStart;
  int versionEnd;
  int serialStart;
  int serialValueStart;
  int serialEnd;
  int signatureStart;
  int signatureEnd;
  int issuerStart;
  int issuerEnd;
  int validityStart;
  int subjectStart;
  int subjectEnd;
  int spkiStart;
  int spkiAlgorithmStart;
  int spkiAlgorithmEnd;
  int spkiEnd;
  int issuerUniqueIdStart;
  int issuerUniqueIdEnd;
  int subjectUniqueIdStart;
  int subjectUniqueIdEnd;
  int extensionsStart;
  int extensionsEnd;

  private X509Slices(byte[] buf) {
    this.buf = buf;
  }

  /**
   * Slices a whole DER Certificate, {@code der} exactly.
   *
   * @throws MalformedInputException if it is not one
   */
  static X509Slices certificate(byte[] der) throws MalformedInputException {
    X509Slices s = new X509Slices(der);
    Der.Reader top = new Der.Reader(der, "certificate");
    top.next(Der.SEQUENCE, "Certificate");
    top.expectEnd();
    Der.Reader cert = top.enter("Certificate");
    cert.next(Der.SEQUENCE, "tbsCertificate");
    s.tbs(cert.start, cert.valueStart, cert.end);
    cert.next(Der.SEQUENCE, "signatureAlgorithm");
    s.signatureAlgorithmStart = cert.start;
    s.signatureAlgorithmEnd = cert.end;
    cert.next(Der.BIT_STRING, "signatureValue");
    if (cert.length() == 0) {
      throw cert.fail("signatureValue", cert.start, "BIT STRING without the unused-bits octet");
    }
    s.signatureValueContentsStart = cert.valueStart;
    s.signatureValueEnd = cert.end;
    cert.expectEnd();
    return s;
  }

  /**
   * Slices a DER TBSCertificate, {@code der} exactly.
   *
   * @throws MalformedInputException if it is not one
   */
  static X509Slices tbsCertificate(byte[] der) throws MalformedInputException {
    X509Slices s = new X509Slices(der);
    Der.Reader top = new Der.Reader(der, "TBSCertificate");
    top.next(Der.SEQUENCE, "TBSCertificate");
    top.expectEnd();
    s.tbs(top.start, top.valueStart, top.end);
    return s;
  }

  private void tbs(int start, int contentsStart, int end) throws MalformedInputException {
    tbsStart = start;
    tbsContentsStart = contentsStart;
    tbsEnd = end;
    Der.Reader r = new Der.Reader(buf, contentsStart, end, "TBSCertificate");
    versionStart = r.position();
    if (r.nextIs(Der.contextConstructed(0))) {
      r.next("version");
      checkVersion(r);
    }
    versionEnd = r.position();
    r.next(Der.INTEGER, "serialNumber");
    Der.checkMinimalInteger(buf, r.valueStart, r.end, "TBSCertificate serialNumber");
    serialStart = r.start;
    serialValueStart = r.valueStart;
    serialEnd = r.end;
    r.next(Der.SEQUENCE, "signature");
    signatureStart = r.start;
    signatureEnd = r.end;
    r.next(Der.SEQUENCE, "issuer");
    issuerStart = r.start;
    issuerEnd = r.end;
    r.next(Der.SEQUENCE, "validity");
    validityStart = r.start;
    checkValidity(r.enter("TBSCertificate validity"));
    r.next(Der.SEQUENCE, "subject");
    subjectStart = r.start;
    subjectEnd = r.end;
    r.next(Der.SEQUENCE, "subjectPublicKeyInfo");
    spkiStart = r.start;
    spkiEnd = r.end;
    Der.Reader spki = r.enter("TBSCertificate subjectPublicKeyInfo");
    spki.next(Der.SEQUENCE, "algorithm");
    spkiAlgorithmStart = spki.start;
    spkiAlgorithmEnd = spki.end;
    checkAlgorithmIdentifier(spki.enter("subjectPublicKeyInfo algorithm"));
    spki.next(Der.BIT_STRING, "subjectPublicKey");
    spki.expectEnd();
    int[] optional = new int[6];
    readOptionalTail(r, optional, "TBSCertificate");
    issuerUniqueIdStart = optional[0];
    issuerUniqueIdEnd = optional[1];
    subjectUniqueIdStart = optional[2];
    subjectUniqueIdEnd = optional[3];
    extensionsStart = optional[4];
    extensionsEnd = optional[5];
  }

  /**
   * Reads the optional {@code [1] issuerUniqueID}, {@code [2] subjectUniqueID} and {@code [3]
   * extensions} that end a TBSCertificate or a TBSCertificateLogEntry, in that order, each at most
   * once, then the end. Stores start/end pairs into {@code out[0..5]}.
   */
  static void readOptionalTail(Der.Reader r, int[] out, String what)
      throws MalformedInputException {
    int at = r.position();
    out[0] = at;
    out[1] = at;
    if (r.nextIs(Der.contextPrimitive(1))) {
      r.next("issuerUniqueID");
      out[1] = r.end;
    }
    at = r.position();
    out[2] = at;
    out[3] = at;
    if (r.nextIs(Der.contextPrimitive(2))) {
      r.next("subjectUniqueID");
      out[3] = r.end;
    }
    at = r.position();
    out[4] = at;
    out[5] = at;
    if (r.nextIs(Der.contextConstructed(3))) {
      r.next("extensions");
      Der.Reader ext = r.enter(what + " extensions");
      ext.next(Der.SEQUENCE, "Extensions");
      ext.expectEnd();
      if (ext.length() == 0) {
        throw ext.fail("Extensions", ext.start, "empty (SIZE (1..MAX))");
      }
      out[5] = r.end;
    }
    if (r.hasNext()) {
      int p = r.position();
      throw r.fail(
          "field",
          p,
          "unexpected identifier 0x"
              + String.format("%02x", r.buffer()[p] & 0xff)
              + " (after subjectPublicKeyInfo only [1], [2] and [3] may follow, in that order)");
    }
  }

  /** Checks {@code [0] EXPLICIT Version}: INTEGER v2(1) or v3(2); v1 must be omitted in DER. */
  static void checkVersion(Der.Reader r) throws MalformedInputException {
    Der.Reader v = r.enter("version");
    v.next(Der.INTEGER, "Version");
    v.expectEnd();
    if (v.length() != 1 || (r.buffer()[v.valueStart] != 1 && r.buffer()[v.valueStart] != 2)) {
      throw v.fail(
          "Version",
          v.start,
          "must be v2 (1) or v3 (2); v1 is the DEFAULT and is omitted in DER, found 0x"
              + Hex.encode(v.value()));
    }
  }

  /** Checks Validity: exactly two times, each UTCTime or GeneralizedTime. */
  static void checkValidity(Der.Reader v) throws MalformedInputException {
    for (String field : new String[] {"notBefore", "notAfter"}) {
      if (!v.nextIs(Der.UTC_TIME) && !v.nextIs(Der.GENERALIZED_TIME)) {
        v.next(Der.UTC_TIME, field); // reports what was found instead
      }
      v.next(field);
    }
    v.expectEnd();
  }

  /** Checks AlgorithmIdentifier: an OID, then at most one parameters element. */
  static void checkAlgorithmIdentifier(Der.Reader a) throws MalformedInputException {
    a.next(Der.OID, "algorithm");
    if (a.length() == 0) {
      throw a.fail("algorithm", a.start, "empty OBJECT IDENTIFIER");
    }
    if (a.hasNext()) {
      a.next("parameters");
    }
    a.expectEnd();
  }
}
