package org.ledgerpki.inquiry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * Writes a status answer as the UTF-8 bytes of {@link StatusAnswer#toJson()}, faster.
 *
 * <p>Every answer under the same cosigned checkpoint carries the same signed note, about 10 KB with
 * its ML-DSA-44 signature lines; escaping it into JSON and encoding it (its "—" signature prefix
 * makes it a UTF-16 string) was a third of the node's CPU per answer (P3, BENCHMARKS.md). The note
 * is escaped and encoded once per note. The rest of the answer is written field by field, in the
 * record's order, straight into one byte array sized for it (Jackson's segmented output buffer and
 * its per-call set-up were a fifth of the CPU per answer, issue 13), and {@link #buffer} hands it
 * to Vert.x with the note as a shared direct buffer, so that the ~10 KB are not copied per answer;
 * strings that need escaping (anything but printable ASCII without quote or backslash), the {@code
 * revocation} object and the {@code reasons} list are written by Jackson, as {@code toJson()}
 * writes them. Thread-safe.
 */
public final class AnswerJson {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final byte[] NULL = ascii("null");

  /**
   * The last note written, as its JSON string literal (quoted and escaped) in UTF-8, and the same
   * bytes in a read-only direct buffer that is never released.
   */
  private record Cached(String note, byte[] literal, ByteBuf direct) {
    static Cached of(String note) {
      byte[] literal = jacksonBytes(note);
      ByteBuf direct =
          Unpooled.unreleasableBuffer(
              Unpooled.directBuffer(literal.length).writeBytes(literal).asReadOnly());
      return new Cached(note, literal, direct);
    }
  }

  private static volatile Cached last;

  private AnswerJson() {}

  /** The answer's JSON, byte for byte what {@code answer.toJson()} gives in UTF-8. */
  public static byte[] bytes(StatusAnswer a) {
    Out o = write(a);
    byte[] note = o.note == null ? new byte[0] : o.note.literal();
    byte[] all = new byte[o.len + note.length];
    System.arraycopy(o.buf, 0, all, 0, o.split);
    System.arraycopy(note, 0, all, o.split, note.length);
    System.arraycopy(o.buf, o.split, all, o.split + note.length, o.len - o.split);
    return all;
  }

  /**
   * The same bytes as {@link #bytes}, as a Vert.x buffer that is not copied on its way to the
   * socket: the note's literal is one direct buffer per note, shared by every answer that carries
   * it (read-only, never released), between the answer's own few hundred bytes before and after.
   */
  public static Buffer buffer(StatusAnswer a) {
    Out o = write(a);
    if (o.note == null) {
      return Buffer.buffer(Unpooled.wrappedBuffer(o.buf, 0, o.len));
    }
    return Buffer.buffer(
        Unpooled.wrappedBuffer(
            3,
            Unpooled.wrappedBuffer(o.buf, 0, o.split),
            o.note.direct().duplicate(),
            Unpooled.wrappedBuffer(o.buf, o.split, o.len - o.split)));
  }

  /** Writes all but the note's literal, and marks where it goes. */
  private static Out write(StatusAnswer a) {
    Cached cached = a.checkpoint() == null ? null : cached(a.checkpoint());
    StatusAnswer.StatusProof p = a.statusProof();
    int estimate =
        400
            + length(a.log())
            + length(a.entry())
            + length(a.checkpointSha256())
            + length(a.certificate())
            + length(a.producedAt())
            + length(a.nextUpdate())
            + 48 * count(a.inclusionProof())
            + (p == null
                ? 0
                : 200
                    + length(p.event())
                    + length(p.keyEvent())
                    + length(p.bitmap())
                    + length(p.keyBitmap())
                    + 48 * (count(p.siblings()) + count(p.keySiblings())));
    Out o = new Out(estimate);
    o.note = cached;
    o.raw(F_SHA).str(a.certificateSha256());
    o.raw(F_STATUS).str(a.status());
    o.raw(F_LOG).str(a.log());
    o.raw(F_INDEX).num(a.index());
    o.raw(F_ENTRY).str(a.entry());
    o.raw(F_PROOF).strs(a.inclusionProof());
    o.raw(F_CHECKPOINT);
    if (cached == null) {
      o.raw(NULL);
    }
    o.split = o.len;
    o.raw(F_CHECKPOINT_SHA).str(a.checkpointSha256());
    o.raw(F_REVOCATION).jackson(a.revocation());
    o.raw(F_REASONS).jackson(a.reasons());
    o.raw(F_STATUS_PROOF);
    if (p == null) {
      o.raw(NULL);
    } else {
      o.raw(F_COUNT).num(p.count());
      o.raw(F_EVENT).str(p.event());
      o.raw(F_BITMAP).str(p.bitmap());
      o.raw(F_SIBLINGS).strs(p.siblings());
      o.raw(F_KEY_EVENT).str(p.keyEvent());
      o.raw(F_KEY_BITMAP).str(p.keyBitmap());
      o.raw(F_KEY_SIBLINGS).strs(p.keySiblings()).raw(CLOSE);
    }
    o.raw(F_CERTIFICATE).str(a.certificate());
    o.raw(F_PRODUCED).str(a.producedAt());
    o.raw(F_NEXT).str(a.nextUpdate()).raw(CLOSE);
    if (cached == null) {
      o.split = o.len;
    }
    return o;
  }

  private static final byte[] F_SHA = ascii("{\"certificateSha256\":");
  private static final byte[] F_STATUS = ascii(",\"status\":");
  private static final byte[] F_LOG = ascii(",\"log\":");
  private static final byte[] F_INDEX = ascii(",\"index\":");
  private static final byte[] F_ENTRY = ascii(",\"entry\":");
  private static final byte[] F_PROOF = ascii(",\"inclusionProof\":");
  private static final byte[] F_CHECKPOINT = ascii(",\"checkpoint\":");
  private static final byte[] F_CHECKPOINT_SHA = ascii(",\"checkpointSha256\":");
  private static final byte[] F_REVOCATION = ascii(",\"revocation\":");
  private static final byte[] F_REASONS = ascii(",\"reasons\":");
  private static final byte[] F_STATUS_PROOF = ascii(",\"statusProof\":");
  private static final byte[] F_COUNT = ascii("{\"count\":");
  private static final byte[] F_EVENT = ascii(",\"event\":");
  private static final byte[] F_BITMAP = ascii(",\"bitmap\":");
  private static final byte[] F_SIBLINGS = ascii(",\"siblings\":");
  private static final byte[] F_KEY_EVENT = ascii(",\"keyEvent\":");
  private static final byte[] F_KEY_BITMAP = ascii(",\"keyBitmap\":");
  private static final byte[] F_KEY_SIBLINGS = ascii(",\"keySiblings\":");
  private static final byte[] F_CERTIFICATE = ascii(",\"certificate\":");
  private static final byte[] F_PRODUCED = ascii(",\"producedAt\":");
  private static final byte[] F_NEXT = ascii(",\"nextUpdate\":");
  private static final byte[] CLOSE = ascii("}");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int length(String s) {
    return s == null ? 4 : s.length() + 2;
  }

  private static int count(List<?> l) {
    return l == null ? 0 : l.size();
  }

  /** The note's JSON string literal in UTF-8, from the one-entry cache. */
  static byte[] literal(String note) {
    return cached(note).literal();
  }

  /** The note's cached literal; replaced when another note comes (a newer checkpoint). */
  private static Cached cached(String note) {
    Cached c = last;
    if (c == null || (c.note() != note && !c.note().equals(note))) {
      c = Cached.of(note);
      last = c;
    }
    return c;
  }

  /**
   * {@code value} as Jackson writes it into a string, in UTF-8 (not Jackson's UTF-8 generator,
   * which escapes characters outside the BMP that {@code toJson()} writes as they are).
   */
  private static byte[] jacksonBytes(Object value) {
    try {
      return PLAIN.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A growable byte array; starts at the estimate, so that it rarely grows. */
  private static final class Out {
    private byte[] buf;
    private int len;
    // Where the note's literal goes (the end when there is none), and the note.
    private int split;
    private Cached note;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }

    Out raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    Out num(Long n) {
      return n == null ? raw(NULL) : num(n.longValue());
    }

    Out num(long n) {
      String s = Long.toString(n);
      ensure(s.length());
      s.getBytes(0, s.length(), buf, len);
      len += s.length();
      return this;
    }

    /** A JSON string, or null; what needs escaping is written by Jackson. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): ASCII only here
    Out str(String s) {
      if (s == null) {
        return raw(NULL);
      }
      int n = s.length();
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          return raw(jacksonBytes(s));
        }
      }
      ensure(n + 2);
      buf[len++] = '"';
      s.getBytes(0, n, buf, len);
      len += n;
      buf[len++] = '"';
      return this;
    }

    Out strs(List<String> l) {
      if (l == null) {
        return raw(NULL);
      }
      ensure(2);
      buf[len++] = '[';
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          ensure(1);
          buf[len++] = ',';
        }
        str(l.get(i));
      }
      ensure(1);
      buf[len++] = ']';
      return this;
    }

    Out jackson(Object value) {
      return value == null ? raw(NULL) : raw(jacksonBytes(value));
    }
  }
}
