/** ledger-pki embedded. */
package org.ledgerpki.embedded;
