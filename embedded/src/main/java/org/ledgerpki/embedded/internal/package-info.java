/** Internal: the launcher of the fixture's child JVMs. Not an API. */
package org.ledgerpki.embedded.internal;
