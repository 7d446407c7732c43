package org.ledgerpki.validator;

import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.profile.ReadmissionRule;
import org.ledgerpki.core.status.CertificateState;

/**
 * What a validator knows of the ledger to judge submissions: which certificates are admitted, who
 * owns each (the member that submitted its ISSUE), its current lifecycle state, which MTC log
 * entries and keys the log holds, and which certificates are revoked and why. Fed from {@code
 * ledger.entries} and {@code ledger.status} (global stores, rebuilt from the topics).
 */
public interface LedgerView {
  /** The owner of the admitted certificate with hex SHA-256 {@code certHash}, if it is admitted. */
  Optional<String> owner(String certHash);

  /** The certificate's lifecycle state: GOOD unless a status event says otherwise. */
  CertificateState state(String certHash);

  /**
   * The admitted certificate whose MTC log entry has RFC 9162 leaf hash {@code leafHash} (hex), if
   * any.
   */
  default Optional<String> certificateWithEntry(String leafHash) {
    return Optional.empty();
  }

  /**
   * The admitted certificates whose key has SPKI SHA-256 {@code spkiHash} (hex), with their owners
   * and revocation reasons.
   */
  default List<ReadmissionRule.KeyUse> certificatesWithKey(String spkiHash) {
    return List.of();
  }

  /** A ledger with no certificates. */
  LedgerView EMPTY =
      new LedgerView() {
        @Override
        public Optional<String> owner(String certHash) {
          return Optional.empty();
        }

        @Override
        public CertificateState state(String certHash) {
          return CertificateState.GOOD;
        }
      };
}
