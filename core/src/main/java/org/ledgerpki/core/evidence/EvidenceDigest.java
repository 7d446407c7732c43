package org.ledgerpki.core.evidence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.ledgerpki.core.Sha256;

/**
 * SHA-256 over the evidence a ledger record carries (its signed requests and endorsements), so that
 * the log's signature of the record ({@link EntryStatement}, {@link StatusStatement}) covers it:
 * nobody without the log's key can republish a signed record with other evidence.
 *
 * <p>Each item is hashed in order as: its kind (uint32-length UTF-8, e.g. {@code "endorsement"}),
 * its statement's bytes, then its {@link BatchEvidence}: signer, keyId (uint32-length UTF-8 each),
 * batchSize, leafIndex (uint64 each), the number of proof hashes (uint32) and each hash, and the
 * signature (uint32-length bytes each). Every field is length-prefixed, so two different sequences
 * of items never hash the same bytes. No items: SHA-256 of the empty string.
 */
public final class EvidenceDigest {
  private final MessageDigest md = Sha256.newDigest();

  /** Adds one item: a statement of {@code kind} and the evidence that its author signed it. */
  public EvidenceDigest add(String kind, byte[] statement, BatchEvidence signature) {
    bytes(kind.getBytes(StandardCharsets.UTF_8));
    bytes(statement);
    bytes(signature.signer().getBytes(StandardCharsets.UTF_8));
    bytes(signature.keyId().getBytes(StandardCharsets.UTF_8));
    u64(signature.batchSize());
    u64(signature.leafIndex());
    u32(signature.proof().size());
    for (byte[] p : signature.proof()) {
      bytes(p);
    }
    bytes(signature.signature());
    return this;
  }

  /** The digest of the items added so far; the instance must not be used afterwards. */
  public byte[] digest() {
    return md.digest();
  }

  private void bytes(byte[] b) {
    byte[] v = b == null ? new byte[0] : b;
    u32(v.length);
    md.update(v);
  }

  private void u32(int v) {
    md.update((byte) (v >>> 24));
    md.update((byte) (v >>> 16));
    md.update((byte) (v >>> 8));
    md.update((byte) v);
  }

  private void u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      md.update((byte) (v >>> shift));
    }
  }
}
