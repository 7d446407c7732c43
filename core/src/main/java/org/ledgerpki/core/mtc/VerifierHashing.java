package org.ledgerpki.core.mtc;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.ProofException;
import org.ledgerpki.core.merkle.Subtrees;

/**
 * The hashing on {@link MtcVerifier}'s hot path: the draft's single-pass {@code entry_hash} over
 * the DER, and the evaluation of a subtree inclusion proof into a per-thread scratch buffer, so
 * that verifying a certificate allocates no hash outputs. {@link MtcCertificate} computes its entry
 * hash the same way.
 */
final class VerifierHashing {
  private static final int HASH = 32;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private VerifierHashing() {}

  /** Per-thread buffers: the hot path allocates no hash outputs. */
  static final class Scratch {
    final MessageDigest md = Sha256.newDigest();
    final byte[] spkiHash = new byte[HASH];
    final byte[] entryHash = new byte[HASH];
    final byte[] node = new byte[1 + 2 * HASH];
  }

  /** This thread's scratch buffers; their contents are overwritten by the next verification. */
  static Scratch scratch() {
    return SCRATCH.get();
  }

  /**
   * The draft's single-pass {@code entry_hash} (end of "Verifying Certificate Signatures"): {@code
   * SHA-256(0x00 || extensions || 0x0001 || version || issuer..subject || spki.algorithm || 0x04
   * 0x20 || SHA-256(spki) || rest of the TBSCertificate)}, without building the entry. Writes the
   * SPKI hash to {@code spkiHash} and the entry hash to {@code out}.
   */
  static void singlePassEntryHash(
      MessageDigest md,
      byte[] der,
      X509Slices s,
      byte[] extensionsEncoded,
      byte[] spkiHash,
      byte[] out) {
    try {
      md.reset();
      md.update(der, s.spkiStart, s.spkiEnd - s.spkiStart);
      md.digest(spkiHash, 0, HASH);
      md.update((byte) 0x00); // leaf domain separator
      md.update(extensionsEncoded);
      md.update((byte) 0x00); // tbs_cert_entry, uint16
      md.update((byte) 0x01);
      md.update(der, s.versionStart, s.versionEnd - s.versionStart);
      md.update(der, s.issuerStart, s.subjectEnd - s.issuerStart); // issuer, validity, subject
      md.update(der, s.spkiAlgorithmStart, s.spkiAlgorithmEnd - s.spkiAlgorithmStart);
      md.update((byte) 0x04); // OCTET STRING
      md.update((byte) HASH);
      md.update(spkiHash, 0, HASH);
      md.update(der, s.spkiEnd, s.tbsEnd - s.spkiEnd); // unique IDs and extensions
      md.digest(out, 0, HASH);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
    }
  }

  /**
   * Evaluates {@code proof} (concatenated hashes) for entry {@code index} with {@code entryHash} in
   * {@code [start, end)} with the verifier's evaluator; returns a fresh copy of the subtree hash.
   * For tests, which compare it with {@link Subtrees#evaluateInclusion}.
   */
  static byte[] evaluate(long index, byte[] entryHash, byte[] proof, long start, long end)
      throws MtcVerificationException {
    Scratch x = SCRATCH.get();
    System.arraycopy(entryHash, 0, x.entryHash, 0, HASH);
    return evaluateInclusion(x, index, proof, start, end, 1).clone();
  }

  /**
   * The draft's "Evaluating a Subtree Inclusion Proof" over the concatenated proof hashes, hashing
   * into {@code x.node}. On any failure it defers to {@link Subtrees#evaluateInclusion} (the
   * reference implementation) for the exact reason.
   */
  static byte[] evaluateInclusion(
      Scratch x, long index, byte[] proof, long start, long end, int logNumber)
      throws MtcVerificationException {
    int n = proof.length / HASH;
    boolean ok = Subtrees.isValid(start, end) && start <= index && index < end;
    if (ok) {
      try {
        long fn = index - start;
        long sn = end - start - 1;
        // node = 0x01 || left || right; each step writes its result into the slot the next step
        // reads it from, so every node hash is one update of 65 bytes and no copy.
        byte[] node = x.node;
        node[0] = 0x01;
        int slot = (n > 0 && ((fn & 1) == 1 || fn == sn)) ? 33 : 1;
        System.arraycopy(x.entryHash, 0, node, slot, HASH);
        MessageDigest md = x.md;
        for (int i = 0; i < n; i++) {
          if (sn == 0) {
            ok = false;
            break;
          }
          // r is in `slot`; the proof hash goes in the other one.
          System.arraycopy(proof, i * HASH, node, slot == 1 ? 33 : 1, HASH);
          if ((fn & 1) == 1 || fn == sn) {
            while ((fn & 1) == 0 && fn != 0) {
              fn >>>= 1;
              sn >>>= 1;
            }
          }
          fn >>>= 1;
          sn >>>= 1;
          md.update(node, 0, 1 + 2 * HASH);
          // The next step puts r on the right iff fn is a right child or on the right border.
          slot = (sn != 0 && ((fn & 1) == 1 || fn == sn)) ? 33 : 1;
          md.digest(node, slot, HASH);
        }
        if (ok && sn == 0) {
          return Arrays.copyOfRange(node, slot, slot + HASH);
        }
      } catch (java.security.DigestException e) {
        throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
      }
    }
    // Let the reference evaluator name the failure.
    List<byte[]> hashes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      hashes.add(Arrays.copyOfRange(proof, i * HASH, (i + 1) * HASH));
    }
    try {
      Subtrees.evaluateInclusion(index, x.entryHash.clone(), hashes, start, end);
    } catch (ProofException e) {
      throw new MtcVerificationException(
          "inclusion proof of entry "
              + index
              + " in subtree ["
              + start
              + ", "
              + end
              + ") of log "
              + logNumber
              + " does not evaluate: "
              + e.getMessage(),
          e);
    }
    throw new IllegalStateException(
        "the fast evaluator rejected a proof the reference evaluator accepts: index "
            + index
            + ", ["
            + start
            + ", "
            + end
            + ")");
  }
}
