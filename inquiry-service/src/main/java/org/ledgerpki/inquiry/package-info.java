/** ledger-pki inquiry-service. */
package org.ledgerpki.inquiry;
