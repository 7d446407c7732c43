package org.ledgerpki.core.status;

import java.util.Optional;

/**
 * The lifecycle state machine, shared by validators (to reject impossible requests), the sequencer
 * (to apply them) and cosigners (to check the sequencer applied them right):
 *
 * <pre>
 * GOOD ──SUSPEND──► SUSPENDED ──RESUME──► GOOD
 * GOOD, SUSPENDED ──REVOKE or RENEW (the old certificate is superseded)──► REVOKED (final)
 * </pre>
 */
public final class Lifecycle {
  private Lifecycle() {}

  /** A lifecycle operation on an admitted certificate. */
  public enum Operation {
    REVOKE,
    SUSPEND,
    RESUME,
    RENEW
  }

  /** RFC 5280 CRLReason values used here. */
  public static final int REASON_UNSPECIFIED = 0;

  public static final int REASON_KEY_COMPROMISE = 1;
  public static final int REASON_SUPERSEDED = 4;
  public static final int REASON_CERTIFICATE_HOLD = 6;

  /** RFC 5280 removeFromCRL, which only delta CRLs use: never a request's reason here. */
  public static final int REASON_REMOVE_FROM_CRL = 8;

  /** RFC 5280 CRLReason names by code; 7 is unused. */
  private static final java.util.List<String> REASON_NAMES =
      java.util.List.of(
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
          "aACompromise");

  /** The RFC 5280 name of CRLReason {@code code}, or {@code "reason <code>"} if it has none. */
  public static String reasonName(int code) {
    return code >= 0 && code < REASON_NAMES.size() ? REASON_NAMES.get(code) : "reason " + code;
  }

  /**
   * The CRLReason given by its RFC 5280 name (case-insensitive) or its number.
   *
   * @throws IllegalArgumentException naming the valid reasons, if it is neither
   */
  public static int reasonCode(String nameOrNumber) {
    for (int i = 0; i < REASON_NAMES.size(); i++) {
      if (i != 7 && REASON_NAMES.get(i).equalsIgnoreCase(nameOrNumber)) {
        return i;
      }
    }
    try {
      int code = Integer.parseInt(nameOrNumber);
      if (isReasonCode(code)) {
        return code;
      }
    } catch (NumberFormatException e) {
      // Not a number either.
    }
    java.util.List<String> valid = new java.util.ArrayList<>(REASON_NAMES);
    valid.remove(7);
    throw new IllegalArgumentException(
        "'" + nameOrNumber + "' is not an RFC 5280 reason; use one of " + valid + " or its number");
  }

  /**
   * Why {@code reasonCode} (null = none given) does not fit a request for {@code op}, if it does
   * not: REVOKE takes an RFC 5280 CRLReason other than certificateHold(6) and removeFromCRL(8);
   * SUSPEND takes certificateHold(6); RENEW takes superseded(4); RESUME takes none.
   */
  public static Optional<String> reasonProblem(Operation op, Integer reasonCode) {
    if (reasonCode == null) {
      return Optional.empty();
    }
    boolean ok =
        switch (op) {
          case REVOKE ->
              isReasonCode(reasonCode)
                  && reasonCode != REASON_CERTIFICATE_HOLD
                  && reasonCode != REASON_REMOVE_FROM_CRL;
          case SUSPEND -> reasonCode == REASON_CERTIFICATE_HOLD;
          case RENEW -> reasonCode == REASON_SUPERSEDED;
          case RESUME -> false;
        };
    return ok
        ? Optional.empty()
        : Optional.of(
            "reason code " + reasonCode + " does not fit a " + op + " (RFC 5280 CRLReason)");
  }

  /**
   * The reason code the status event of a granted request carries: REVOKE its request's code, or
   * unspecified(0) if none; SUSPEND certificateHold(6); RENEW superseded(4); RESUME none (null).
   */
  public static Integer eventReason(Operation op, Integer requested) {
    return switch (op) {
      case REVOKE -> requested == null ? REASON_UNSPECIFIED : requested;
      case SUSPEND -> REASON_CERTIFICATE_HOLD;
      case RENEW -> REASON_SUPERSEDED;
      case RESUME -> null;
    };
  }

  /** Whether {@code code} is an RFC 5280 CRLReason (0..10, 7 unused). */
  public static boolean isReasonCode(int code) {
    return code >= 0 && code <= 10 && code != 7;
  }

  /**
   * The state after {@code op}, or empty with the reason why it is not allowed in {@code current}.
   */
  public static Result apply(CertificateState current, Operation op) {
    return switch (current) {
      case REVOKED -> Result.no("the certificate is revoked; revocation is final");
      case GOOD ->
          switch (op) {
            case REVOKE, RENEW -> Result.to(CertificateState.REVOKED);
            case SUSPEND -> Result.to(CertificateState.SUSPENDED);
            case RESUME -> Result.no("the certificate is not suspended");
          };
      case SUSPENDED ->
          switch (op) {
            case REVOKE, RENEW -> Result.to(CertificateState.REVOKED);
            case RESUME -> Result.to(CertificateState.GOOD);
            case SUSPEND -> Result.no("the certificate is already suspended");
          };
    };
  }

  /**
   * Who asked for a lifecycle event: the certificate's owner alone, or a requester quorum of other
   * members (docs/status.md, "Who may ask").
   */
  public enum Requester {
    OWNER,
    OTHERS;

    /**
     * The requester class of an event asked by {@code requesters} on a certificate owned by {@code
     * owner}: OWNER iff the owner is the only requester.
     */
    public static Requester of(String owner, java.util.Collection<String> requesters) {
      return requesters.size() == 1 && requesters.contains(owner) ? OWNER : OTHERS;
    }
  }

  /**
   * Why a RESUME asked by {@code resumedBy} may not lift a hold placed by {@code placedBy}, if it
   * may not. Who placed a hold must lift it: a SUSPEND asked by the owner is lifted by the owner, a
   * SUSPEND granted to a quorum of other members (an attestation failure, say) only by such a
   * quorum. A hold whose placer is unknown ({@code placedBy} null) is treated as placed by others,
   * so the owner alone never lifts it.
   */
  public static Optional<String> holdProblem(Requester placedBy, Requester resumedBy) {
    Requester placer = placedBy == null ? Requester.OTHERS : placedBy;
    if (placer == resumedBy) {
      return Optional.empty();
    }
    return Optional.of(
        placer == Requester.OTHERS
            ? "the hold was placed by a quorum of members other than the owner; only such a quorum"
                + " may lift it, not the owner alone"
            : "the hold was placed by the owner; only the owner may lift it");
  }

  /** The outcome of {@link #apply}: a new state, or why the operation is refused. */
  public record Result(Optional<CertificateState> state, String refusal) {
    static Result to(CertificateState s) {
      return new Result(Optional.of(s), null);
    }

    static Result no(String why) {
      return new Result(Optional.empty(), why);
    }

    public boolean allowed() {
      return state.isPresent();
    }
  }
}
