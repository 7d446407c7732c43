package org.ledgerpki.core.status;

/** The status of an admitted certificate. */
public enum CertificateState {
  /** Admitted, and not revoked or suspended (also after a RESUME). */
  GOOD,
  /** Suspended (RFC 5280 certificateHold); a RESUME makes it GOOD again. */
  SUSPENDED,
  /** Revoked, for good. */
  REVOKED
}
