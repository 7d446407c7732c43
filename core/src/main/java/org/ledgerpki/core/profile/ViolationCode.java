package org.ledgerpki.core.profile;

/**
 * Why a certificate or submission is rejected. The names are the symbols of the Avro {@code
 * ReasonCode} enum, so they map one to one onto signed rejections.
 */
public enum ViolationCode {
  NOT_A_MEMBER,
  ROLE_NOT_ALLOWED,
  BAD_SUBMITTER_SIGNATURE,
  MALFORMED_CERTIFICATE,
  NOT_X509_V3,
  TOO_LARGE,
  BAD_SELF_SIGNATURE,
  ORGANIZATION_MISMATCH,
  FORBIDDEN_KEY_USAGE,
  ALGORITHM_NOT_ALLOWED,
  VALIDITY_WINDOW,
  KEY_ALREADY_REGISTERED,
  PROFILE_VIOLATION,
  UNKNOWN_CERTIFICATE,
  NOT_OWNER,
  INVALID_TRANSITION,
  DUPLICATE,
  /** A lifecycle request by a member that does not own the certificate, not joined in time. */
  REQUESTER_QUORUM_NOT_REACHED,
  /** A lifecycle request whose RFC 5280 reason code is missing, unknown or not allowed. */
  BAD_REASON_CODE,
  /** A certificate whose MTC log entry is already in the log under another encoding. */
  ENTRY_ALREADY_IN_LOG,
  /** A certificate whose key was revoked for keyCompromise, through any entry. */
  KEY_COMPROMISED,
  /** A certificate whose key belongs to a revoked entry, and the policy refuses its reuse. */
  KEY_REUSE_REFUSED,
  /** A subjectAltName identity outside the submitting member's domains. */
  IDENTITY_MISMATCH,
  /** A hold that only the members who placed it may lift. */
  HOLD_PLACED_BY_OTHERS,
  /** A field out of its bounds (core.evidence.FieldBounds). */
  MALFORMED_SUBMISSION,
  /** A lifecycle request already granted or decided. */
  REQUEST_REPLAYED,
  OTHER
}
