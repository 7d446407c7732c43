/** ledger-pki issuance-stream. */
package org.ledgerpki.issuance;
