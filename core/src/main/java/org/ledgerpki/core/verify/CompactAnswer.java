package org.ledgerpki.core.verify;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;

/**
 * The compact binary form of a status answer with proofs ({@value #MEDIA_TYPE}; ADR 0009,
 * docs/inquiry-api.md), in the TLS presentation language the MTC draft uses:
 *
 * <pre>
 * struct {
 *   uint8 version = 1;
 *   uint8 status;                        // 0 GOOD, 1 REVOKED, 2 SUSPENDED
 *   opaque certificate_sha256[32];
 *   opaque log&lt;1..2^8-1&gt;;               // the log's origin, UTF-8
 *   uint64 index;
 *   opaque entry&lt;1..2^16-1&gt;;             // MTCLogEntry
 *   HashValue inclusion_proof&lt;0..2^8-1&gt;; // a count, then the 32-byte hashes
 *   opaque checkpoint_sha256[32];        // the checkpoint's name (StatusCheckpoints)
 *   opaque checkpoint&lt;0..2^24-1&gt;;        // its signed note; empty if the client holds it
 *   uint64 status_count;
 *   opaque event&lt;0..2^16-1&gt;;             // empty: no event at the entry key
 *   opaque bitmap[32];
 *   HashValue siblings&lt;0..2^16-1&gt;;       // a count, then the hashes
 *   opaque key_event&lt;0..2^16-1&gt;;         // empty: no compromise report for the key
 *   opaque key_bitmap[32];
 *   HashValue key_siblings&lt;0..2^16-1&gt;;
 *   opaque certificate&lt;0..2^24-1&gt;;       // empty if the query carried the certificate
 * } CompactStatusAnswer;
 * </pre>
 *
 * It carries exactly what {@link StatusVerifier} checks and nothing it does not: no revocation
 * summary (the proven event has the state, reason and time), no rejection reasons, no {@code
 * producedAt} or {@code nextUpdate} hints. {@link #decode} gives a {@link StatusAnswer}, which is
 * verified as a JSON one is. Only answers with proofs (GOOD, REVOKED, SUSPENDED) have this form.
 */
public final class CompactAnswer {
  /** The media type a client names in {@code Accept} to get this form. */
  public static final String MEDIA_TYPE = "application/vnd.ledgerpki.status-answer";

  /** The one version defined. */
  public static final int VERSION = 1;

  private static final List<String> STATUSES = List.of("GOOD", "REVOKED", "SUSPENDED");
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private CompactAnswer() {}

  /** Whether {@code status} is one this form carries. */
  public static boolean carries(String status) {
    return STATUSES.contains(status);
  }

  /**
   * Encodes an answer with proofs.
   *
   * @throws IllegalArgumentException if its status has no proofs, or a field this form needs is
   *     missing or not of its encoding (the node's own answers always have them)
   */
  public static byte[] encode(StatusAnswer a) {
    int status = STATUSES.indexOf(a.status());
    if (status < 0 || a.statusProof() == null || a.checkpointSha256() == null) {
      throw new IllegalArgumentException(
          "only an answer with proofs and a named checkpoint has a compact form, not "
              + a.status());
    }
    StatusAnswer.StatusProof p = a.statusProof();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    out.write(VERSION);
    out.write(status);
    fixed(out, Hex.decode(a.certificateSha256()), 32, "certificateSha256");
    vector(out, a.log().getBytes(StandardCharsets.UTF_8), 1, "log");
    uint(out, a.index(), 8);
    vector(out, B64D.decode(a.entry()), 2, "entry");
    hashes(out, a.inclusionProof(), 1, "inclusionProof");
    fixed(out, Hex.decode(a.checkpointSha256()), 32, "checkpointSha256");
    vector(
        out,
        a.checkpoint() == null ? new byte[0] : a.checkpoint().getBytes(StandardCharsets.UTF_8),
        3,
        "checkpoint");
    uint(out, p.count(), 8);
    vector(out, p.event() == null ? new byte[0] : B64D.decode(p.event()), 2, "event");
    fixed(out, B64D.decode(p.bitmap()), 32, "bitmap");
    hashes(out, p.siblings(), 2, "siblings");
    vector(out, p.keyEvent() == null ? new byte[0] : B64D.decode(p.keyEvent()), 2, "keyEvent");
    fixed(out, B64D.decode(p.keyBitmap()), 32, "keyBitmap");
    hashes(out, p.keySiblings(), 2, "keySiblings");
    vector(
        out,
        a.certificate() == null ? new byte[0] : B64D.decode(a.certificate()),
        3,
        "certificate");
    return out.toByteArray();
  }

  /**
   * Decodes the compact form into the answer it stands for (base64 and hex as in JSON; the fields
   * it does not carry are null).
   *
   * @throws MalformedInputException naming the field, if it is truncated, has bytes after its end,
   *     another version, an unknown status or a note that is not UTF-8
   */
  public static StatusAnswer decode(byte[] bytes) throws MalformedInputException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    String field = "version";
    try {
      int version = in.get() & 0xff;
      if (version != VERSION) {
        throw new MalformedInputException(
            "compact status answer: version " + version + ", this reader knows " + VERSION);
      }
      field = "status";
      int status = in.get() & 0xff;
      if (status >= STATUSES.size()) {
        throw new MalformedInputException("compact status answer: unknown status " + status);
      }
      field = "certificate_sha256";
      String certificateSha256 = Hex.encode(fixed(in, 32));
      field = "log";
      String log = utf8(vector(in, 1), field);
      field = "index";
      long index = in.getLong();
      field = "entry";
      String entry = B64.encodeToString(vector(in, 2));
      field = "inclusion_proof";
      List<String> proof = hashes(in, 1);
      field = "checkpoint_sha256";
      String checkpointSha256 = Hex.encode(fixed(in, 32));
      field = "checkpoint";
      byte[] note = vector(in, 3);
      String checkpoint = note.length == 0 ? null : utf8(note, field);
      field = "status_count";
      long count = in.getLong();
      field = "event";
      String event = base64OrNull(vector(in, 2));
      field = "bitmap";
      String bitmap = B64.encodeToString(fixed(in, 32));
      field = "siblings";
      List<String> siblings = hashes(in, 2);
      field = "key_event";
      String keyEvent = base64OrNull(vector(in, 2));
      field = "key_bitmap";
      String keyBitmap = B64.encodeToString(fixed(in, 32));
      field = "key_siblings";
      List<String> keySiblings = hashes(in, 2);
      field = "certificate";
      String certificate = base64OrNull(vector(in, 3));
      if (in.hasRemaining()) {
        throw new MalformedInputException(
            "compact status answer: " + in.remaining() + " byte(s) after its end");
      }
      return new StatusAnswer(
          certificateSha256,
          STATUSES.get(status),
          log,
          index,
          entry,
          proof,
          checkpoint,
          checkpointSha256,
          null,
          null,
          new StatusAnswer.StatusProof(
              count, event, bitmap, siblings, keyEvent, keyBitmap, keySiblings),
          certificate,
          null,
          null);
    } catch (BufferUnderflowException e) {
      throw new MalformedInputException("compact status answer: truncated in field " + field);
    }
  }

  private static String base64OrNull(byte[] b) {
    return b.length == 0 ? null : B64.encodeToString(b);
  }

  private static String utf8(byte[] b, String field) throws MalformedInputException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException("compact status answer: field " + field + " is not UTF-8");
    }
  }

  private static byte[] fixed(ByteBuffer in, int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static long uint(ByteBuffer in, int octets) {
    long v = 0;
    for (int i = 0; i < octets; i++) {
      v = (v << 8) | (in.get() & 0xff);
    }
    return v;
  }

  private static byte[] vector(ByteBuffer in, int prefix) {
    long n = uint(in, prefix);
    if (n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return fixed(in, (int) n);
  }

  private static List<String> hashes(ByteBuffer in, int prefix) {
    long n = uint(in, prefix);
    if (n * 32 > in.remaining()) {
      throw new BufferUnderflowException();
    }
    List<String> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(B64.encodeToString(fixed(in, 32)));
    }
    return out;
  }

  private static void fixed(ByteArrayOutputStream out, byte[] b, int n, String field) {
    if (b.length != n) {
      throw new IllegalArgumentException(field + " is " + b.length + " bytes, not " + n);
    }
    out.writeBytes(b);
  }

  private static void uint(ByteArrayOutputStream out, long v, int octets) {
    for (int i = octets - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  private static void vector(ByteArrayOutputStream out, byte[] b, int prefix, String field) {
    if (b.length >= 1L << (8 * prefix)) {
      throw new IllegalArgumentException(field + " is too long: " + b.length + " bytes");
    }
    uint(out, b.length, prefix);
    out.writeBytes(b);
  }

  private static void hashes(ByteArrayOutputStream out, List<String> l, int prefix, String field) {
    if (l.size() >= 1L << (8 * prefix)) {
      throw new IllegalArgumentException(field + " has too many hashes: " + l.size());
    }
    uint(out, l.size(), prefix);
    for (String h : l) {
      fixed(out, B64D.decode(h), 32, field);
    }
  }
}
