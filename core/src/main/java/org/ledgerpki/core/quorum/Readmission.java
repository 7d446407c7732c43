package org.ledgerpki.core.quorum;

import java.util.Optional;
import java.util.OptionalLong;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.Lifecycle;

/**
 * Whether a new log entry may be appended, given what the log already holds about its bytes and its
 * key: the rule the sequencer applies before it appends and every cosigner applies to what it
 * mirrors, so that a dishonest sequencer cannot slip in what an honest one refuses (docs/status.md,
 * "Re-admission and keys").
 *
 * <ol>
 *   <li>An entry identical to one already in the log (same RFC 9162 leaf hash) is refused, {@link
 *       Refusal#ENTRY_ALREADY_IN_LOG}: a re-encoded certificate (another serial, an ECDSA (r, n−s)
 *       signature) has the same entry.
 *   <li>An entry whose key ({@code subjectPublicKeyInfoHash}) belongs to an entry revoked for
 *       keyCompromise(1) is refused for everyone, {@link Refusal#KEY_COMPROMISED}.
 *   <li>An entry whose key belongs to an entry revoked for any other reason is refused unless
 *       {@link KeyReuse} allows its submitter, {@link Refusal#KEY_REUSE_REFUSED}; by default only
 *       the revoked entry's owner may reuse its key.
 * </ol>
 */
public final class Readmission {
  private Readmission() {}

  /**
   * Who may submit a new entry on the key of an entry revoked for a reason other than
   * keyCompromise.
   */
  public enum KeyReuse {
    /** Nobody. */
    NEVER,
    /** Only the revoked entry's owner (the default). */
    OWNER,
    /** Any member. */
    ANY;

    /** The policy's choice ({@code lifecycle.keyReuseAfterRevocation}; default {@link #OWNER}). */
    public static KeyReuse of(TrustPolicy policy) {
      return of(policy.keyReuseAfterRevocation());
    }

    /** The rule for the policy's setting. */
    public static KeyReuse of(TrustPolicy.KeyReuse setting) {
      return switch (setting) {
        case OWNER -> OWNER;
        case NEVER -> NEVER;
      };
    }
  }

  /** Why an entry is refused. */
  public enum Refusal {
    ENTRY_ALREADY_IN_LOG,
    KEY_COMPROMISED,
    KEY_REUSE_REFUSED
  }

  /** A refusal and its sentence. */
  public record Refused(Refusal refusal, String detail) {}

  /**
   * An earlier revocation of an entry with the same key.
   *
   * @param certificateSha256 the revoked certificate's SHA-256
   * @param reasonCode its RFC 5280 CRLReason
   * @param owner the revoked certificate's owner
   */
  public record Revocation(byte[] certificateSha256, int reasonCode, String owner) {
    public Revocation {
      certificateSha256 = certificateSha256.clone();
    }

    @Override
    public byte[] certificateSha256() {
      return certificateSha256.clone();
    }
  }

  /**
   * Decides on a new entry of {@code submitter}.
   *
   * @param duplicateOf the index of an earlier identical entry, if any
   * @param compromise a revocation for keyCompromise of an entry with the same key, if any
   * @param otherRevocation a revocation for another reason of an entry with the same key, if any
   * @return empty if the entry may be appended, otherwise why not
   */
  public static Optional<Refused> check(
      OptionalLong duplicateOf,
      Optional<Revocation> compromise,
      Optional<Revocation> otherRevocation,
      String submitter,
      KeyReuse reuse) {
    return check(
        duplicateOf.isPresent()
            ? Optional.of("at index " + duplicateOf.getAsLong())
            : Optional.empty(),
        compromise,
        otherRevocation,
        submitter,
        reuse);
  }

  /**
   * As {@link #check(OptionalLong, Optional, Optional, String, KeyReuse)}, for a party that knows
   * an earlier identical entry by another name than its index (a validator knows its certificate).
   *
   * @param duplicateWhere where the identical entry is, in words ("as certificate …"), if any
   */
  public static Optional<Refused> check(
      Optional<String> duplicateWhere,
      Optional<Revocation> compromise,
      Optional<Revocation> otherRevocation,
      String submitter,
      KeyReuse reuse) {
    if (duplicateWhere.isPresent()) {
      return Optional.of(
          new Refused(
              Refusal.ENTRY_ALREADY_IN_LOG,
              "the same MTC log entry is already in the log "
                  + duplicateWhere.get()
                  + "; a re-encoding (another serial or signature) is the same entry"));
    }
    if (compromise.isPresent()) {
      return Optional.of(
          new Refused(
              Refusal.KEY_COMPROMISED,
              "its key was revoked for keyCompromise with certificate "
                  + Hex.encode(compromise.get().certificateSha256())
                  + "; the key is blocked for everyone"));
    }
    if (otherRevocation.isPresent()) {
      Revocation r = otherRevocation.get();
      boolean allowed =
          switch (reuse) {
            case NEVER -> false;
            case OWNER -> r.owner().equals(submitter);
            case ANY -> true;
          };
      if (!allowed) {
        return Optional.of(
            new Refused(
                Refusal.KEY_REUSE_REFUSED,
                "its key is the key of certificate "
                    + Hex.encode(r.certificateSha256())
                    + " of '"
                    + r.owner()
                    + "', revoked ("
                    + Lifecycle.reasonName(r.reasonCode())
                    + "); lifecycle.keyReuseAfterRevocation is "
                    + reuse.name().toLowerCase(java.util.Locale.ROOT)
                    + (reuse == KeyReuse.OWNER
                        ? ", and '" + submitter + "' is not the owner"
                        : ", and '" + submitter + "' submits it")));
      }
    }
    return Optional.empty();
  }

  /** Whether a REVOKE or RENEW with {@code reasonCode} blocks the key for everyone. */
  public static boolean compromises(Integer reasonCode) {
    return reasonCode != null && reasonCode == Lifecycle.REASON_KEY_COMPROMISE;
  }
}
