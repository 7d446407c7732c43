/** ledger-pki validator. */
package org.ledgerpki.validator;
