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
   * What the compact form carries, as bytes: the fields of {@code CompactStatusAnswer} in its
   * order. A null {@code checkpoint}, {@code event}, {@code keyEvent} or {@code certificate} is
   * encoded empty.
   *
   * @param status GOOD, REVOKED or SUSPENDED
   */
  public record Fields(
      String status,
      byte[] certificateSha256,
      String log,
      long index,
      byte[] entry,
      List<byte[]> inclusionProof,
      byte[] checkpointSha256,
      byte[] checkpoint,
      long statusCount,
      byte[] event,
      byte[] bitmap,
      List<byte[]> siblings,
      byte[] keyEvent,
      byte[] keyBitmap,
      List<byte[]> keySiblings,
      byte[] certificate) {}

  /**
   * Encodes an answer with proofs.
   *
   * @throws IllegalArgumentException if its status has no proofs, or a field this form needs is
   *     missing or not of its encoding (the node's own answers always have them)
   */
  public static byte[] encode(StatusAnswer a) {
    if (!carries(a.status()) || a.statusProof() == null || a.checkpointSha256() == null) {
      throw new IllegalArgumentException(
          "only an answer with proofs and a named checkpoint has a compact form, not "
              + a.status());
    }
    StatusAnswer.StatusProof p = a.statusProof();
    return encode(
        new Fields(
            a.status(),
            Hex.decode(a.certificateSha256()),
            a.log(),
            a.index(),
            B64D.decode(a.entry()),
            decoded(a.inclusionProof()),
            Hex.decode(a.checkpointSha256()),
            a.checkpoint() == null ? null : a.checkpoint().getBytes(StandardCharsets.UTF_8),
            p.count(),
            p.event() == null ? null : B64D.decode(p.event()),
            B64D.decode(p.bitmap()),
            decoded(p.siblings()),
            p.keyEvent() == null ? null : B64D.decode(p.keyEvent()),
            B64D.decode(p.keyBitmap()),
            decoded(p.keySiblings()),
            a.certificate() == null ? null : B64D.decode(a.certificate())));
  }

  /**
   * Encodes an answer with proofs from its bytes (the inquiry node's path: nothing is base64- or
   * hex-encoded on the way).
   *
   * @throws IllegalArgumentException if its status has no proofs, or a field is not of its length
   */
  public static byte[] encode(Fields f) {
    int status = STATUSES.indexOf(f.status());
    if (status < 0 || f.checkpointSha256() == null) {
      throw new IllegalArgumentException(
          "only an answer with proofs and a named checkpoint has a compact form, not "
              + f.status());
    }
    byte[] log = f.log().getBytes(StandardCharsets.UTF_8);
    Exact out =
        new Exact(
            FIXED_OCTETS
                + log.length
                + f.entry().length
                + length(f.checkpoint())
                + length(f.event())
                + length(f.keyEvent())
                + length(f.certificate())
                + 32 * (f.inclusionProof().size() + f.siblings().size() + f.keySiblings().size()));
    out.write(VERSION);
    out.write(status);
    fixed(out, f.certificateSha256(), 32, "certificateSha256");
    vector(out, log, 1, "log");
    uint(out, f.index(), 8);
    vector(out, f.entry(), 2, "entry");
    hashes(out, f.inclusionProof(), 1, "inclusionProof");
    fixed(out, f.checkpointSha256(), 32, "checkpointSha256");
    vector(out, orEmpty(f.checkpoint()), 3, "checkpoint");
    uint(out, f.statusCount(), 8);
    vector(out, orEmpty(f.event()), 2, "event");
    fixed(out, f.bitmap(), 32, "bitmap");
    hashes(out, f.siblings(), 2, "siblings");
    vector(out, orEmpty(f.keyEvent()), 2, "keyEvent");
    fixed(out, f.keyBitmap(), 32, "keyBitmap");
    hashes(out, f.keySiblings(), 2, "keySiblings");
    vector(out, orEmpty(f.certificate()), 3, "certificate");
    return out.bytes();
  }

  /**
   * The octets of the form besides its variable parts: version and status, the two 32-byte hashes
   * and two bitmaps, the two 8-octet numbers, and the length prefixes (1 + 2 + 1 + 3 + 2 + 2 + 2 +
   * 2 + 3). {@link #encode(Fields)} sizes its buffer with it, so that the answer is written into
   * the array it is returned in (a wrong sum would cost a copy, not a wrong answer).
   */
  private static final int FIXED_OCTETS = 2 + 4 * 32 + 2 * 8 + 18;

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  /** A byte array output stream that hands back its own array when it is exactly full. */
  private static final class Exact extends ByteArrayOutputStream {
    Exact(int size) {
      super(size);
    }

    byte[] bytes() {
      return count == buf.length ? buf : toByteArray();
    }
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  private static List<byte[]> decoded(List<String> base64) {
    List<byte[]> out = new ArrayList<>(base64.size());
    for (String h : base64) {
      out.add(B64D.decode(h));
    }
    return out;
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

  private static void hashes(ByteArrayOutputStream out, List<byte[]> l, int prefix, String field) {
    if (l.size() >= 1L << (8 * prefix)) {
      throw new IllegalArgumentException(field + " has too many hashes: " + l.size());
    }
    uint(out, l.size(), prefix);
    for (byte[] h : l) {
      fixed(out, h, 32, field);
    }
  }
}
