package org.ledgerpki.core.mtc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtree;

/**
 * MTCProof (draft-ietf-plants-merkle-tree-certs, "Certificate Format"): the {@code signatureValue}
 * of an MTC certificate.
 *
 * <pre>
 * opaque TrustAnchorID&lt;1..2^8-1&gt;;
 * struct { TrustAnchorID cosigner_id; opaque signature&lt;0..2^16-1&gt;; } SubtreeSignature;
 * struct {
 *     MTCLogEntryExtension extensions&lt;0..2^16-1&gt;;
 *     uint48 start;
 *     uint48 end;
 *     HashValue inclusion_proof&lt;0..2^16-1&gt;;      // 32-byte SHA-256 hashes
 *     SubtreeSignature signatures&lt;0..2^16-1&gt;;
 * } MTCProof;
 * </pre>
 *
 * <p>Signatures are ordered by {@code cosigner_id}: shorter first, then lexicographically (unsigned
 * bytes); IDs are unique. Construction and decoding enforce it. {@code start} and {@code end} are
 * only range-checked here; whether they form a valid subtree around the entry is checked when the
 * proof is evaluated. Immutable.
 */
public final class MtcProof {
  /** The largest value of a uint48. */
  public static final long MAX_UINT48 = (1L << 48) - 1;

  private static final int HASH = 32;

  /**
   * SubtreeSignature: a cosigner's signature on the CosignedMessage of the proof's subtree.
   *
   * @param cosignerId the cosigner's trust anchor ID in binary form, 1 to 255 bytes (copied)
   * @param signature the signature value, at most 65535 bytes (copied)
   */
  public record SubtreeSignature(byte[] cosignerId, byte[] signature) {
    /**
     * Requires a 1 to 255 byte {@code cosignerId} and a signature of at most 65535 bytes.
     *
     * @throws IllegalArgumentException otherwise
     */
    public SubtreeSignature {
      Objects.requireNonNull(cosignerId, "cosignerId");
      Objects.requireNonNull(signature, "signature");
      if (cosignerId.length < 1 || cosignerId.length > 255) {
        throw new IllegalArgumentException(
            "cosigner_id must have 1 to 255 bytes, got " + cosignerId.length);
      }
      if (signature.length > 0xffff) {
        throw new IllegalArgumentException(
            "signature has " + signature.length + " bytes, at most 65535 allowed");
      }
      cosignerId = cosignerId.clone();
      signature = signature.clone();
    }

    /** A signature by the cosigner with ASCII trust anchor ID {@code cosignerId}. */
    public static SubtreeSignature of(String cosignerId, byte[] signature) {
      return new SubtreeSignature(TrustAnchorId.toBinary(cosignerId), signature);
    }

    /** A copy of the binary cosigner ID. */
    @Override
    public byte[] cosignerId() {
      return cosignerId.clone();
    }

    /** A copy of the signature. */
    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /**
     * The cosigner ID in ASCII form, e.g. {@code 32473.1}.
     *
     * @throws MalformedInputException if the binary form does not decode
     */
    public String cosignerIdAscii() throws MalformedInputException {
      return TrustAnchorId.fromBinary(cosignerId);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SubtreeSignature s
          && Arrays.equals(s.cosignerId, cosignerId)
          && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(cosignerId) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
      return "SubtreeSignature[cosigner_id="
          + Hex.encode(cosignerId)
          + ", "
          + signature.length
          + " signature bytes]";
    }
  }

  private final List<MtcLogEntry.Extension> extensions;
  private final byte[] extensionsEncoded; // with its uint16 length prefix
  private final long start;
  private final long end;
  private final byte[] proofHashes; // the hashes, concatenated
  private final List<SubtreeSignature> signatures;

  private MtcProof(
      List<MtcLogEntry.Extension> extensions,
      byte[] extensionsEncoded,
      long start,
      long end,
      byte[] proofHashes,
      List<SubtreeSignature> signatures) {
    this.extensions = extensions;
    this.extensionsEncoded = extensionsEncoded;
    this.start = start;
    this.end = end;
    this.proofHashes = proofHashes;
    this.signatures = signatures;
  }

  /**
   * An MTCProof. Requires extension types strictly ascending, {@code 0 <= start, end < 2^48},
   * 32-byte proof hashes (at most 2047 of them), and signatures with strictly ascending cosigner
   * IDs (shorter first, then lexicographic).
   *
   * @throws IllegalArgumentException otherwise
   */
  public MtcProof(
      List<MtcLogEntry.Extension> extensions,
      long start,
      long end,
      List<byte[]> inclusionProof,
      List<SubtreeSignature> signatures) {
    this.extensions = List.copyOf(extensions);
    this.extensionsEncoded = MtcLogEntry.encodeExtensions(this.extensions); // checks the order
    if (start < 0 || start > MAX_UINT48 || end < 0 || end > MAX_UINT48) {
      throw new IllegalArgumentException(
          "start and end must be in 0..2^48-1, got [" + start + ", " + end + ")");
    }
    this.start = start;
    this.end = end;
    if ((long) inclusionProof.size() * HASH > 0xffff) {
      throw new IllegalArgumentException(
          "inclusion proof of " + inclusionProof.size() + " hashes exceeds 65535 bytes");
    }
    this.proofHashes = new byte[inclusionProof.size() * HASH];
    for (int i = 0; i < inclusionProof.size(); i++) {
      byte[] h = inclusionProof.get(i);
      if (h == null || h.length != HASH) {
        throw new IllegalArgumentException(
            "inclusion_proof["
                + i
                + "] has "
                + (h == null ? "no value" : h.length + " bytes")
                + ", want "
                + HASH);
      }
      System.arraycopy(h, 0, proofHashes, i * HASH, HASH);
    }
    this.signatures = List.copyOf(signatures);
    for (int i = 1; i < this.signatures.size(); i++) {
      byte[] a = this.signatures.get(i - 1).cosignerId;
      byte[] b = this.signatures.get(i).cosignerId;
      if (compareIds(a, b) >= 0) {
        throw new IllegalArgumentException(
            "cosigner IDs must be unique and ordered (shorter first, then lexicographic): "
                + Hex.encode(b)
                + " after "
                + Hex.encode(a));
      }
    }
    // Encoding checks the length of the signatures vector.
    encode();
  }

  /** A proof for subtree {@code [start, end)} without signatures, as landmark certificates use. */
  public static MtcProof landmark(
      List<MtcLogEntry.Extension> extensions, Subtree subtree, List<byte[]> inclusionProof) {
    return new MtcProof(extensions, subtree.start(), subtree.end(), inclusionProof, List.of());
  }

  /**
   * Decodes an MTCProof that is exactly {@code encoded}.
   *
   * @throws MalformedInputException if it is truncated or followed by trailing data, has unsorted
   *     or duplicate extensions, an inclusion proof that is not a whole number of 32-byte hashes,
   *     an empty cosigner ID, or cosigner IDs that are duplicate or not in order
   */
  public static MtcProof decode(byte[] encoded) throws MalformedInputException {
    return decode(encoded, 0, encoded.length);
  }

  /** Decodes an MTCProof that is exactly {@code buf[from, to)}. */
  static MtcProof decode(byte[] buf, int from, int to) throws MalformedInputException {
    Tls.Reader r = new Tls.Reader(buf, from, to, "MTCProof");
    int extFrom = r.position();
    List<MtcLogEntry.Extension> extensions = MtcLogEntry.decodeExtensions(r, "MTCProof");
    byte[] extensionsEncoded =
        extensions.isEmpty()
            ? MtcLogEntry.NO_EXTENSIONS
            : Arrays.copyOfRange(buf, extFrom, r.position());
    long start = r.uint(6, "start");
    long end = r.uint(6, "end");
    int proofFrom = r.vector(2, "inclusion_proof");
    int proofLength = r.position() - proofFrom;
    if (proofLength % HASH != 0) {
      throw r.fail(
          "inclusion_proof has "
              + proofLength
              + " bytes, not a multiple of "
              + HASH
              + " (SHA-256)");
    }
    byte[] proofHashes = Arrays.copyOfRange(buf, proofFrom, r.position());
    int sigFrom = r.vector(2, "signatures");
    int sigTo = r.position();
    r.expectEnd();
    List<SubtreeSignature> signatures;
    if (sigFrom == sigTo) {
      signatures = List.of();
    } else {
      Tls.Reader s = new Tls.Reader(buf, sigFrom, sigTo, "MTCProof signatures");
      List<SubtreeSignature> list = new ArrayList<>();
      int prevFrom = -1;
      int prevTo = -1;
      while (s.remaining() > 0) {
        int idFrom = s.vector(1, "cosigner_id");
        int idTo = s.position();
        if (idFrom == idTo) {
          throw s.fail("signatures[" + list.size() + "]: empty cosigner_id (must be 1..255 bytes)");
        }
        int sigAt = s.vector(2, "signature");
        if (prevFrom >= 0) {
          int c = compareIds(buf, prevFrom, prevTo, idFrom, idTo);
          if (c >= 0) {
            throw s.fail(
                "signatures["
                    + list.size()
                    + "]: cosigner_id "
                    + Hex.encode(Arrays.copyOfRange(buf, idFrom, idTo))
                    + (c == 0
                        ? " is a duplicate"
                        : " must come after "
                            + Hex.encode(Arrays.copyOfRange(buf, prevFrom, prevTo))
                            + " (shorter first, then lexicographic)"));
          }
        }
        prevFrom = idFrom;
        prevTo = idTo;
        list.add(
            new SubtreeSignature(
                Arrays.copyOfRange(buf, idFrom, idTo),
                Arrays.copyOfRange(buf, sigAt, s.position())));
      }
      signatures = Collections.unmodifiableList(list);
    }
    return new MtcProof(extensions, extensionsEncoded, start, end, proofHashes, signatures);
  }

  /** The encoding. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(extensionsEncoded);
    Tls.writeUint(out, start, 6);
    Tls.writeUint(out, end, 6);
    Tls.writeVector(out, proofHashes, 2, "inclusion_proof");
    ByteArrayOutputStream sigs = new ByteArrayOutputStream();
    for (SubtreeSignature s : signatures) {
      Tls.writeVector(sigs, s.cosignerId, 1, "cosigner_id");
      Tls.writeVector(sigs, s.signature, 2, "signature");
    }
    Tls.writeVector(out, sigs.toByteArray(), 2, "signatures");
    return out.toByteArray();
  }

  /** The log entry's extensions, which the proof carries (unmodifiable). */
  public List<MtcLogEntry.Extension> extensions() {
    return extensions;
  }

  /** The first index of the subtree. */
  public long start() {
    return start;
  }

  /** One past the last index of the subtree. */
  public long end() {
    return end;
  }

  /**
   * The subtree {@code [start, end)}.
   *
   * @throws IllegalArgumentException if {@code start > end}
   */
  public Subtree subtree() {
    return new Subtree(start, end);
  }

  /** The subtree inclusion proof: copies of its 32-byte hashes, deepest first. */
  public List<byte[]> inclusionProof() {
    List<byte[]> out = new ArrayList<>(proofHashes.length / HASH);
    for (int i = 0; i < proofHashes.length; i += HASH) {
      out.add(Arrays.copyOfRange(proofHashes, i, i + HASH));
    }
    return out;
  }

  /** The subtree signatures, in cosigner ID order (unmodifiable). */
  public List<SubtreeSignature> signatures() {
    return signatures;
  }

  /** The encoded extensions vector, with its length prefix (no copy: do not modify). */
  byte[] extensionsEncoded() {
    return extensionsEncoded;
  }

  /** The inclusion proof hashes, concatenated (no copy: do not modify). */
  byte[] proofHashes() {
    return proofHashes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MtcProof p
        && p.start == start
        && p.end == end
        && Arrays.equals(p.extensionsEncoded, extensionsEncoded)
        && Arrays.equals(p.proofHashes, proofHashes)
        && p.signatures.equals(signatures);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, end, Arrays.hashCode(proofHashes), signatures);
  }

  @Override
  public String toString() {
    return "MtcProof[["
        + start
        + ", "
        + end
        + "), "
        + proofHashes.length / HASH
        + " hashes, "
        + signatures.size()
        + " signatures]";
  }

  /** The draft's order of cosigner IDs: shorter first, then lexicographic (unsigned). */
  static int compareIds(byte[] a, byte[] b) {
    return compareIds(a, 0, a.length, b, 0, b.length);
  }

  private static int compareIds(byte[] buf, int aFrom, int aTo, int bFrom, int bTo) {
    return compareIds(buf, aFrom, aTo, buf, bFrom, bTo);
  }

  private static int compareIds(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
    int la = aTo - aFrom;
    int lb = bTo - bFrom;
    if (la != lb) {
      return Integer.compare(la, lb);
    }
    return Arrays.compareUnsigned(a, aFrom, aTo, b, bFrom, bTo);
  }
}
