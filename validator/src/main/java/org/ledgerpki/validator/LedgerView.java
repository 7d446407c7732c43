package org.ledgerpki.validator;

import java.util.Optional;
import org.ledgerpki.core.status.CertificateState;

/**
 * What a validator knows of the ledger to judge lifecycle requests: which certificates are
 * admitted, who owns each (the member that submitted its ISSUE) and its current lifecycle state.
 * Fed from {@code ledger.entries} and {@code ledger.status} (global stores, rebuilt from the
 * topics).
 */
public interface LedgerView {
  /** The owner of the admitted certificate with hex SHA-256 {@code certHash}, if it is admitted. */
  Optional<String> owner(String certHash);

  /** The certificate's lifecycle state: GOOD unless a status event says otherwise. */
  CertificateState state(String certHash);

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
