package org.ledgerpki.core.mtc;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtree;

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
  private final String caId;
  private final byte[] issuerName;
  private final Map<Key, byte[]> trusted;
  private final RevokedSerials revoked;
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
    this.revoked = new RevokedSerials(b.revoked);
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
    int range = revoked.rangeOf(serial);
    if (range >= 0) {
      throw new MtcVerificationException(
          "serial " + serialHex(serial) + " is in revoked range " + revoked.describe(range));
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
    VerifierHashing.Scratch x = VerifierHashing.scratch();
    VerifierHashing.singlePassEntryHash(
        x.md, der, s, proof.extensionsEncoded(), x.spkiHash, x.entryHash);

    // Step 10: expected_subtree_hash.
    long start = proof.start();
    long end = proof.end();
    byte[] expected =
        VerifierHashing.evaluateInclusion(x, index, proof.proofHashes(), start, end, logNumber);

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
