/**
 * The cosigner's status checker: mirrors the status log, checking each event ({@link
 * org.ledgerpki.cosign.status.StatusMirror}), so that the witness cosigns only a status commitment
 * it computed itself.
 */
package org.ledgerpki.cosign.status;
