package org.ledgerpki.core.mtc;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.ProofException;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.Subtrees;

/**
 * The relying-party verifier of Merkle Tree Certificates issued by one CA: the procedure of
 * draft-ietf-plants-merkle-tree-certs, "Verifying Certificate Signatures", which replaces the
 * signature check of X.509 path validation (RFC 5280 §6.1.3 (a)(1)). A landmark-relative
 * certificate is checked with hashes only, against the configured {@link TrustedSubtree}s; any
 * other certificate is passed to the {@link CosignerPolicy}, if one is configured.
 *
 * <p>Other path validation checks (validity period, name constraints, key usage, ...) are the
 * caller's. Immutable and thread-safe; a new set of landmarks means a new verifier.
 *
 * <p>The hot path slices the DER without copying it, computes {@code entry_hash} in one pass over
 * the TBSCertificate (the draft's single-pass procedure) and evaluates the inclusion proof with a
 * per-thread digest, writing every node hash into one scratch buffer.
 */
public final class MtcVerifier {
  /** How a certificate's subtree came to be trusted. */
  public enum TrustedBy {
    /** Its subtree is one of the configured trusted (landmark) subtrees. */
    TRUSTED_SUBTREE,
    /** Its subtree signatures satisfied the cosigner policy. */
    COSIGNERS
  }

  /**
   * A certificate whose signature verified.
   *
   * @param logNumber the issuance log
   * @param index the entry's index in that log
   * @param subtree the subtree the proof led to
   * @param trustedBy what vouched for the subtree
   */
  public record Verified(int logNumber, long index, Subtree subtree, TrustedBy trustedBy) {}

  private record Key(int logNumber, long start, long end) {}

  private static final long MASK_48 = MtcCertificate.MAX_INDEX;
  private static final int HASH = 32;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread buffers: the hot path allocates no hash outputs. */
  private static final class Scratch {
    final MessageDigest md = Sha256.newDigest();
    final byte[] spkiHash = new byte[HASH];
    final byte[] entryHash = new byte[HASH];
    final byte[] node = new byte[1 + 2 * HASH];
  }

  private final String caId;
  private final byte[] issuerName;
  private final Map<Key, byte[]> trusted;
  private final long[] revokedFirst; // sorted, merged, inclusive bounds, unsigned
  private final long[] revokedLast;
  private final CosignerPolicy cosignerPolicy; // may be null

  private MtcVerifier(Builder b) {
    this.caId = b.caId;
    this.issuerName = CaIdName.encode(b.caId);
    Map<Key, byte[]> t = new HashMap<>();
    for (TrustedSubtree s : b.trusted) {
      byte[] previous = t.put(new Key(s.logNumber(), s.start(), s.end()), s.hashNoCopy());
      if (previous != null && !Arrays.equals(previous, s.hashNoCopy())) {
        throw new IllegalArgumentException(
            "two trusted hashes for subtree ["
                + s.start()
                + ", "
                + s.end()
                + ") of log "
                + s.logNumber()
                + ": "
                + Hex.encode(previous)
                + " and "
                + Hex.encode(s.hashNoCopy()));
      }
    }
    this.trusted = Map.copyOf(t);
    long[][] merged = merge(b.revoked);
    this.revokedFirst = merged[0];
    this.revokedLast = merged[1];
    this.cosignerPolicy = b.cosignerPolicy;
  }

  /** A builder for a verifier of CA {@code caId} (ASCII trust anchor ID, e.g. {@code 32473.1}). */
  public static Builder builder(String caId) {
    return new Builder(caId);
  }

  /** Configures an {@link MtcVerifier}. Not thread-safe. */
  public static final class Builder {
    private final String caId;
    private final List<TrustedSubtree> trusted = new ArrayList<>();
    private final List<RevokedRange> revoked = new ArrayList<>();
    private CosignerPolicy cosignerPolicy;

    private Builder(String caId) {
      if (!TrustAnchorId.isValid(caId)) {
        throw new IllegalArgumentException(
            "not a trust anchor ID (dotted decimal): '" + caId + "'");
      }
      this.caId = caId;
    }

    /** Adds trusted subtrees (the active landmark subtrees, typically). */
    public Builder trust(Collection<TrustedSubtree> subtrees) {
      subtrees.forEach(s -> trusted.add(Objects.requireNonNull(s)));
      return this;
    }

    /** Adds one trusted subtree. */
    public Builder trust(TrustedSubtree subtree) {
      trusted.add(Objects.requireNonNull(subtree));
      return this;
    }

    /** Adds revoked serial ranges. */
    public Builder revoke(Collection<RevokedRange> ranges) {
      ranges.forEach(r -> revoked.add(Objects.requireNonNull(r)));
      return this;
    }

    /** Adds one revoked serial range. */
    public Builder revoke(RevokedRange range) {
      revoked.add(Objects.requireNonNull(range));
      return this;
    }

    /** Sets the policy for certificates whose subtree is not trusted; without one they fail. */
    public Builder cosignerPolicy(CosignerPolicy policy) {
      this.cosignerPolicy = Objects.requireNonNull(policy);
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalArgumentException if two trusted subtrees have the same log, start and end but
     *     different hashes
     */
    public MtcVerifier build() {
      return new MtcVerifier(this);
    }
  }

  /** The CA ID this verifier accepts certificates from. */
  public String caId() {
    return caId;
  }

  /**
   * Verifies the signature of an MTC certificate; see {@link #verify(byte[])}.
   *
   * @throws MalformedInputException if the certificate cannot be encoded or is not X.509 DER
   */
  public Verified verify(X509Certificate certificate)
      throws MtcVerificationException, MalformedInputException {
    try {
      return verify(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new MalformedInputException("the certificate has no DER encoding", e);
    }
  }

  /**
   * Verifies the signature of an MTC certificate, following the draft's steps 1 to 12. Does not
   * modify or keep {@code der}.
   *
   * @param der exactly one DER X.509 certificate
   * @return the log, index and subtree that vouched for it
   * @throws MalformedInputException if {@code der} is not a DER X.509 certificate, so that the
   *     procedure cannot start
   * @throws MtcVerificationException if a step of the procedure fails; the message names it, with
   *     expected and found values
   */
  public Verified verify(byte[] der) throws MtcVerificationException, MalformedInputException {
    X509Slices s = X509Slices.certificate(der);

    // Step 1: id-alg-mtcProof with omitted parameters (and, per RFC 5280 §4.1.1.2, the same
    // AlgorithmIdentifier in signatureAlgorithm).
    if (!MtcCertificate.isMtcProofAlgorithm(der, s.signatureStart, s.signatureEnd)) {
      throw new MtcVerificationException(
          "TBSCertificate signature is "
              + MtcCertificate.describeAlgorithm(der, s.signatureStart, s.signatureEnd)
              + ", want id-alg-mtcProof "
              + MtcCertificate.ID_ALG_MTC_PROOF
              + " with parameters omitted");
    }
    if (!MtcCertificate.isMtcProofAlgorithm(
        der, s.signatureAlgorithmStart, s.signatureAlgorithmEnd)) {
      throw new MtcVerificationException(
          "signatureAlgorithm is "
              + MtcCertificate.describeAlgorithm(
                  der, s.signatureAlgorithmStart, s.signatureAlgorithmEnd)
              + ", want id-alg-mtcProof "
              + MtcCertificate.ID_ALG_MTC_PROOF
              + " with parameters omitted, as in the TBSCertificate");
    }

    // Step 2: signatureValue is exactly one MTCProof.
    int unused = der[s.signatureValueContentsStart] & 0xff;
    if (unused != 0) {
      throw new MtcVerificationException(
          "signatureValue is not a multiple of 8 bits (" + unused + " unused bits)");
    }
    MtcProof proof;
    try {
      proof = MtcProof.decode(der, s.signatureValueContentsStart + 1, s.signatureValueEnd);
    } catch (MalformedInputException e) {
      throw new MtcVerificationException("signatureValue is not an MTCProof: " + e.getMessage(), e);
    }

    // Step 3: 0 <= serial <= 2^64 - 1.
    long serial;
    try {
      serial = Der.unsignedLong(der, s.serialValueStart, s.serialEnd, "serial number");
    } catch (MalformedInputException e) {
      throw new MtcVerificationException(e.getMessage() + " (want 0 to 2^64-1)", e);
    }

    // Step 4: revoked ranges.
    int revoked = revokedRangeOf(serial);
    if (revoked >= 0) {
      throw new MtcVerificationException(
          "serial "
              + serialHex(serial)
              + " is in revoked range ["
              + serialHex(revokedFirst[revoked])
              + ", "
              + RevokedRange.hex(
                  new BigInteger(Long.toUnsignedString(revokedLast[revoked])).add(BigInteger.ONE))
              + ")");
    }

    // Step 5.
    long index = serial & MASK_48;
    int logNumber = (int) (serial >>> 48);
    if (logNumber == 0) {
      throw new MtcVerificationException(
          "serial " + serialHex(serial) + " has log number 0 (index " + index + ")");
    }

    // Step 6: the issuer must be this CA; the log ID is then <caId>.0.<logNumber>.
    if (!Arrays.equals(der, s.issuerStart, s.issuerEnd, issuerName, 0, issuerName.length)) {
      throw new MtcVerificationException(
          "issuer "
              + describeIssuer(der, s)
              + " is not CA "
              + caId
              + " (want the name "
              + Hex.encode(issuerName)
              + ")");
    }

    // Steps 7 to 9, in one pass: entry_hash = SHA-256(0x00 || MTCLogEntry).
    Scratch x = SCRATCH.get();
    singlePassEntryHash(x.md, der, s, proof.extensionsEncoded(), x.spkiHash, x.entryHash);

    // Step 10: expected_subtree_hash.
    long start = proof.start();
    long end = proof.end();
    byte[] expected = evaluateInclusion(x, index, proof.proofHashes(), start, end, logNumber);

    // Step 11: a trusted subtree decides alone.
    byte[] trustedHash = trusted.get(new Key(logNumber, start, end));
    if (trustedHash != null) {
      if (!Arrays.equals(expected, trustedHash)) {
        throw new MtcVerificationException(
            "subtree ["
                + start
                + ", "
                + end
                + ") of log "
                + logNumber
                + ": computed "
                + Hex.encode(expected)
                + " but the trusted hash is "
                + Hex.encode(trustedHash)
                + " (entry "
                + index
                + ", entry_hash "
                + Hex.encode(x.entryHash)
                + ")");
      }
      return new Verified(logNumber, index, new Subtree(start, end), TrustedBy.TRUSTED_SUBTREE);
    }

    // Step 12: cosignatures.
    CosignedSubtree cosigned =
        new CosignedSubtree(TrustAnchorId.logId(caId, logNumber), start, end, expected);
    if (cosignerPolicy == null) {
      throw new MtcVerificationException(
          "subtree ["
              + start
              + ", "
              + end
              + ") of log "
              + logNumber
              + " (computed hash "
              + Hex.encode(expected)
              + ") is not a trusted subtree, and no cosigner policy is configured ("
              + proof.signatures().size()
              + " signature(s) in the certificate)");
    }
    cosignerPolicy.check(cosigned, proof.signatures());
    return new Verified(logNumber, index, new Subtree(start, end), TrustedBy.COSIGNERS);
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
  private static byte[] evaluateInclusion(
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

  /** The position of the merged revoked range holding {@code serial}, or -1. */
  private int revokedRangeOf(long serial) {
    int lo = 0;
    int hi = revokedFirst.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(revokedFirst[mid], serial) > 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(revokedLast[mid], serial) < 0) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Sorted, disjoint, non-adjacent inclusive ranges {first[i], last[i]} (unsigned longs). */
  private static long[][] merge(List<RevokedRange> ranges) {
    List<BigInteger[]> list = new ArrayList<>();
    for (RevokedRange r : ranges) {
      if (r.start().compareTo(r.end()) < 0) {
        list.add(new BigInteger[] {r.start(), r.end().subtract(BigInteger.ONE)});
      }
    }
    list.sort(Comparator.comparing(a -> a[0]));
    List<BigInteger[]> merged = new ArrayList<>();
    for (BigInteger[] r : list) {
      BigInteger[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
        last[1] = last[1].max(r[1]);
      } else {
        merged.add(new BigInteger[] {r[0], r[1]});
      }
    }
    long[] first = new long[merged.size()];
    long[] lastIncl = new long[merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      first[i] = merged.get(i)[0].longValue(); // two's complement wrap = unsigned 64-bit
      lastIncl[i] = merged.get(i)[1].longValue();
    }
    return new long[][] {first, lastIncl};
  }

  private static String describeIssuer(byte[] der, X509Slices s) {
    try {
      return "CA ID " + CaIdName.decode(der, s.issuerStart, s.issuerEnd);
    } catch (MalformedInputException e) {
      return Hex.encode(Der.slice(der, s.issuerStart, s.issuerEnd)) + " (not a CA ID name)";
    }
  }

  static String serialHex(long serial) {
    return String.format("0x%016x", serial);
  }
}
