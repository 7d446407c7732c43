/** ledger-pki bench. */
package org.ledgerpki.bench;
