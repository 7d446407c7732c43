package org.ledgerpki.inquiry.query;

/**
 * An MTC certificate the node assembled for an entry.
 *
 * @param der the certificate
 * @param form {@code landmark} (no signatures; needs the relying party's trusted landmark subtrees)
 *     or {@code standalone} (carries ML-DSA-44 subtree cosignatures)
 */
public record MtcIssued(byte[] der, String form) {}
