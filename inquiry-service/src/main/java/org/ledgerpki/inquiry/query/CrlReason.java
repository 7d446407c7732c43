package org.ledgerpki.inquiry.query;

/** RFC 5280 CRLReason names, for answers. */
final class CrlReason {
  private static final String[] NAMES = {
    "unspecified",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "(unused)",
    "removeFromCRL",
    "privilegeWithdrawn",
    "aACompromise"
  };

  private CrlReason() {}

  static String name(int code) {
    return code >= 0 && code < NAMES.length ? NAMES[code] : "reason " + code;
  }
}
