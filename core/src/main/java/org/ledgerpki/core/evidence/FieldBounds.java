package org.ledgerpki.core.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bounds of every field of a submission that a reader accepts, in one place. A record a member
 * wrote is untrusted input: a validator checks these bounds before it judges, signs or stores
 * anything, so that no record can make a later step (a statement encoding, a batch flush, a store
 * restore) throw. See docs/trust-policy.md, "Bounds of a submission".
 *
 * <p>Two kinds of failure. A submission whose identifying fields (its id, its submitter, the hash
 * it is about) are out of bounds cannot be echoed in a signed verdict and is dead-lettered ({@link
 * #unsignable}). Any other field out of bounds makes the submission malformed: it is rejected with
 * MALFORMED_SUBMISSION ({@link #submissionProblems}).
 *
 * <p>Pure and thread-safe.
 */
public final class FieldBounds {
  /** Longest string or byte field a statement can encode: its length prefix is a uint16. */
  public static final int MAX_ENCODED_FIELD_BYTES = 0xffff;

  /**
   * Longest member id, in UTF-8 bytes: trust-policy ids are 1 to 63 characters of {@code [a-z0-9-]}
   * (docs/trust-policy.md).
   */
  public static final int MAX_MEMBER_ID_BYTES = 63;

  /** Longest submission id, in UTF-8 bytes (a UUID is 36). */
  public static final int MAX_SUBMISSION_ID_BYTES = 128;

  /** Length of every certificate and key hash: SHA-256. */
  public static final int HASH_BYTES = 32;

  /** Smallest RFC 5280 CRLReason. */
  public static final int MIN_REASON_CODE = 0;

  /** Largest RFC 5280 CRLReason (aACompromise). */
  public static final int MAX_REASON_CODE = 10;

  /**
   * Largest submitted certificate: the MTC entry limit. A larger one is rejected TOO_LARGE (by the
   * certificate profile, which checks the size before it parses).
   */
  public static final int MAX_CERTIFICATE_BYTES = 65535;

  /** Longest batch-signature key id, in UTF-8 bytes (a key id is 16 hex digits). */
  public static final int MAX_KEY_ID_BYTES = 64;

  /** Longest batch signature, in bytes (ML-DSA-87 signatures are 4,627 bytes). */
  public static final int MAX_SIGNATURE_BYTES = 16384;

  /** Most hashes in a batch inclusion proof: a batch has fewer than 2^64 statements. */
  public static final int MAX_PROOF_HASHES = 64;

  /** Most statements in one signed batch. */
  public static final long MAX_BATCH_SIZE = 1L << 32;

  /** Most reasons in one verdict. */
  public static final int MAX_REASONS = 64;

  /** Longest reason detail in a verdict, in UTF-8 bytes; a longer one is cut. */
  public static final int MAX_REASON_DETAIL_BYTES = 2048;

  private FieldBounds() {}

  /** The UTF-8 length of {@code s}; 0 for null. */
  public static int utf8Length(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Why a submission cannot be answered with a signed verdict, if it cannot: its id, its submitter
   * or the certificate hash it is about (the fields a verdict repeats) is out of bounds.
   *
   * @param subjectSha256 the hash the verdict is about (the submitted or the target certificate's)
   * @return the reason, naming the field, the bound and the value found; empty if it is signable
   */
  public static Optional<String> unsignable(
      String submissionId, String submitter, byte[] subjectSha256) {
    int id = utf8Length(submissionId);
    if (submissionId == null || id == 0 || id > MAX_SUBMISSION_ID_BYTES) {
      return Optional.of(
          "submissionId must be 1 to " + MAX_SUBMISSION_ID_BYTES + " bytes, found " + id);
    }
    int sub = utf8Length(submitter);
    if (submitter == null || sub == 0 || sub > MAX_MEMBER_ID_BYTES) {
      return Optional.of(
          "submitter must be a member id of 1 to " + MAX_MEMBER_ID_BYTES + " bytes, found " + sub);
    }
    if (subjectSha256 == null || subjectSha256.length != HASH_BYTES) {
      return Optional.of(
          "the certificate hash must be "
              + HASH_BYTES
              + " bytes, found "
              + (subjectSha256 == null ? "none" : subjectSha256.length));
    }
    return Optional.empty();
  }

  /**
   * Every out-of-bounds field of a submission other than those of {@link #unsignable} and the
   * certificate's size (the profile's TOO_LARGE).
   *
   * @param statement what the submission asserts
   * @param evidence its batch signature
   * @return one sentence per problem (field, bound, value found); empty if within bounds
   */
  public static List<String> submissionProblems(
      SubmissionStatement statement, BatchEvidence evidence) {
    List<String> out = new ArrayList<>();
    Integer reason = statement.reasonCode();
    if (reason != null && (reason < MIN_REASON_CODE || reason > MAX_REASON_CODE)) {
      out.add(
          "reasonCode must be an RFC 5280 CRLReason ("
              + MIN_REASON_CODE
              + ".."
              + MAX_REASON_CODE
              + "), found "
              + reason);
    }
    byte[] target = statement.targetCertificateSha256();
    if (target != null && target.length != HASH_BYTES) {
      out.add("targetCertificateSha256 must be " + HASH_BYTES + " bytes, found " + target.length);
    }
    if (utf8Length(evidence.signer()) > MAX_MEMBER_ID_BYTES) {
      out.add(
          "signature.signer must be at most "
              + MAX_MEMBER_ID_BYTES
              + " bytes, found "
              + utf8Length(evidence.signer()));
    }
    if (utf8Length(evidence.keyId()) > MAX_KEY_ID_BYTES) {
      out.add(
          "signature.keyId must be at most "
              + MAX_KEY_ID_BYTES
              + " bytes, found "
              + utf8Length(evidence.keyId()));
    }
    if (evidence.batchSize() < 1 || evidence.batchSize() > MAX_BATCH_SIZE) {
      out.add(
          "signature.batchSize must be 1.." + MAX_BATCH_SIZE + ", found " + evidence.batchSize());
    } else if (evidence.leafIndex() < 0 || evidence.leafIndex() >= evidence.batchSize()) {
      out.add(
          "signature.leafIndex must be 0.."
              + (evidence.batchSize() - 1)
              + ", found "
              + evidence.leafIndex());
    }
    if (evidence.proof().size() > MAX_PROOF_HASHES) {
      out.add(
          "signature.proof must have at most "
              + MAX_PROOF_HASHES
              + " hashes, found "
              + evidence.proof().size());
    } else {
      for (int i = 0; i < evidence.proof().size(); i++) {
        byte[] h = evidence.proof().get(i);
        if (h == null || h.length != HASH_BYTES) {
          out.add(
              "signature.proof["
                  + i
                  + "] must be "
                  + HASH_BYTES
                  + " bytes, found "
                  + (h == null ? "none" : h.length));
          break;
        }
      }
    }
    byte[] sig = evidence.signature();
    if (sig == null || sig.length > MAX_SIGNATURE_BYTES) {
      out.add(
          "signature.signature must be at most "
              + MAX_SIGNATURE_BYTES
              + " bytes, found "
              + (sig == null ? "none" : sig.length));
    }
    return List.copyOf(out);
  }

  /**
   * {@code detail} cut to at most {@link #MAX_REASON_DETAIL_BYTES} UTF-8 bytes (on a character
   * boundary, with a trailing "…" when cut), so that a verdict quoting untrusted input stays
   * encodable.
   */
  public static String boundedDetail(String detail) {
    if (detail == null) {
      return "";
    }
    if (utf8Length(detail) <= MAX_REASON_DETAIL_BYTES) {
      return detail;
    }
    String mark = "…";
    int budget = MAX_REASON_DETAIL_BYTES - utf8Length(mark);
    StringBuilder sb = new StringBuilder();
    int used = 0;
    for (int i = 0; i < detail.length(); ) {
      int cp = detail.codePointAt(i);
      int n = utf8Length(new String(Character.toChars(cp)));
      if (used + n > budget) {
        break;
      }
      sb.appendCodePoint(cp);
      used += n;
      i += Character.charCount(cp);
    }
    return sb.append(mark).toString();
  }
}
