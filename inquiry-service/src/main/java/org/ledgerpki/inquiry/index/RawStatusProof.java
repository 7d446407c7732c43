package org.ledgerpki.inquiry.index;

import org.ledgerpki.core.smt.SmtProof;

/**
 * An entry's status-map proofs as bytes, for the compact form (ADR 0009), which carries them as
 * they are; {@link Located#statusProof()} has the same proofs in their JSON form.
 *
 * @param count the number of status events the map commits to
 * @param event the encoding of the entry's latest event, or null if it has none
 * @param entryProof the proof at the entry key
 * @param keyEvent the encoding of the event that reported the entry's key compromised, or null
 * @param keyProof the proof at the key's compromised-key key
 */
public record RawStatusProof(
    long count, byte[] event, SmtProof entryProof, byte[] keyEvent, SmtProof keyProof) {}
