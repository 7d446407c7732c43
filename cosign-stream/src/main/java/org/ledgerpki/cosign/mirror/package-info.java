/**
 * The cosigner's mirror of a log: its own tree of the log's entries, each checked before it is
 * appended ({@link org.ledgerpki.cosign.mirror.EntryMirror}), the state it keeps per log ({@link
 * org.ledgerpki.cosign.mirror.MirrorState}) and what it remembers for the checks that look back
 * ({@link org.ledgerpki.cosign.mirror.MirrorIndex}), over the cosigner's stores ({@link
 * org.ledgerpki.cosign.mirror.MirrorStore}).
 */
package org.ledgerpki.cosign.mirror;
