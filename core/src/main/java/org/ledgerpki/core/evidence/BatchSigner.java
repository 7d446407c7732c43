package org.ledgerpki.core.evidence;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;

/**
 * Signs statements in batches: one signature over the RFC 9162 Merkle root of the batch, and per
 * statement an inclusion proof. Each statement's evidence proves exactly what a signature on that
 * statement alone would: the signer committed to this exact statement. See
 * docs/adr/0003-batched-signatures.md.
 *
 * <p>Instances are immutable and thread-safe. The private key is never logged or printed.
 */
public final class BatchSigner {
  private final String signer;
  private final PrivateKey key;
  private final String keyId;

  /**
   * @param signer the author's member organisation id
   * @param key the author's signing key (any algorithm {@link Signatures} supports)
   * @param publicKey the matching public key, which names the key in the evidence
   */
  public BatchSigner(String signer, PrivateKey key, PublicKey publicKey) {
    this.signer = signer;
    this.key = key;
    this.keyId = keyId(publicKey);
  }

  /** The key ID carried in evidence: hex of the first 8 bytes of SHA-256 of the SPKI DER. */
  public static String keyId(PublicKey publicKey) {
    return Hex.encode(Arrays.copyOf(Keys.spkiSha256(publicKey), 8));
  }

  /**
   * The message the author signs for a batch: {@code "ledger-pki batch v1\n"}, signer, key ID and
   * kind (uint16-length UTF-8), batch size (uint64), root (32 bytes).
   */
  public static byte[] rootMessage(
      String signer, String keyId, String kind, long batchSize, byte[] root) {
    byte[] head =
        new StatementWriter("ledger-pki batch v1")
            .string("signer", signer)
            .string("keyId", keyId)
            .string("kind", kind)
            .u64(batchSize)
            .toByteArray();
    byte[] msg = Arrays.copyOf(head, head.length + root.length);
    System.arraycopy(root, 0, msg, head.length, root.length);
    return msg;
  }

  public String signer() {
    return signer;
  }

  public String keyId() {
    return keyId;
  }

  /**
   * Signs a batch of encoded statements of one kind with a single signature.
   *
   * @param kind e.g. {@link EndorsementStatement#KIND}
   * @param statements encoded statements; requires at least one
   * @return one evidence per statement, in the same order
   */
  public List<BatchEvidence> sign(String kind, List<byte[]> statements) {
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one statement");
    }
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    for (byte[] s : statements) {
      tree.append(Rfc9162.leafHash(s));
    }
    long size = tree.size();
    byte[] signature =
        Signatures.defaults().sign(key, rootMessage(signer, keyId, kind, size, tree.root()));
    List<BatchEvidence> out = new ArrayList<>(statements.size());
    for (long i = 0; i < size; i++) {
      out.add(new BatchEvidence(signer, keyId, size, i, tree.inclusionProof(i, size), signature));
    }
    return out;
  }

  @Override
  public String toString() {
    return "BatchSigner[" + signer + ", key " + keyId + "]";
  }
}
