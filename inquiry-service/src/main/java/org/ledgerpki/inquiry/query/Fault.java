package org.ledgerpki.inquiry.query;

/**
 * What is wrong with a query, for an RFC 9457 problem: a short machine name (the last part of the
 * problem type), a title, and a detail that names the fault.
 *
 * @param type e.g. {@code malformed-hash}
 * @param title e.g. "Malformed certificate hash"
 * @param detail what exactly is wrong, e.g. "expected 64 hex characters, got 12"
 */
public record Fault(String type, String title, String detail) {

  static Fault malformedHash(String detail) {
    return new Fault("malformed-hash", "Malformed certificate hash", detail);
  }

  static Fault notACertificate(String detail) {
    return new Fault("not-a-certificate", "The body is not a certificate", detail);
  }

  static Fault unsupportedType(String detail) {
    return new Fault("unsupported-content-type", "Unsupported content type", detail);
  }

  static Fault tooLarge(String detail) {
    return new Fault("body-too-large", "The body is too large", detail);
  }

  static Fault malformedSerial(String detail) {
    return new Fault("malformed-serial", "Malformed policy serial", detail);
  }

  static Fault badParameter(String detail) {
    return new Fault("bad-parameter", "Bad query parameter", detail);
  }
}
