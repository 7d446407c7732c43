/** ledger-pki cosign-stream. */
package org.ledgerpki.cosign;
