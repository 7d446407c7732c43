/** ledger-pki schemas. */
package org.ledgerpki.schemas;
