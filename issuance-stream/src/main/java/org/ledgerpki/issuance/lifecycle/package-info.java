/**
 * The lifecycle quorum: REVOKE, SUSPEND, RESUME and RENEW requests, granted for the owner or for
 * enough other members within the request window, under core's {@link
 * org.ledgerpki.core.status.Lifecycle} rules; granted events go to be sequenced in the status log.
 */
package org.ledgerpki.issuance.lifecycle;
