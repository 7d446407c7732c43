package org.ledgerpki.inquiry.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * Writes a status answer as the UTF-8 bytes of {@link StatusAnswer#toJson()}, faster.
 *
 * <p>Every answer under the same cosigned checkpoint carries the same signed note, about 10 KB with
 * its ML-DSA-44 signature lines; escaping it into JSON and encoding it (its "—" signature prefix
 * makes it a UTF-16 string) was a third of the node's CPU per answer (P3, BENCHMARKS.md). The note
 * is escaped and encoded once, and the answer is written straight to UTF-8 bytes. Thread-safe.
 */
public final class AnswerJson {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ObjectMapper JSON =
      new ObjectMapper().addMixIn(StatusAnswer.class, CheckpointAsCached.class);

  /** The last note written, as its JSON string literal (quoted and escaped) in UTF-8. */
  private record Cached(String note, SerializedString literal) {}

  private static volatile Cached last;

  private AnswerJson() {}

  /** The answer's JSON, byte for byte what {@code answer.toJson()} gives in UTF-8. */
  public static byte[] bytes(StatusAnswer answer) {
    try {
      return JSON.writeValueAsBytes(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The note's JSON string literal, from the one-entry cache. */
  static SerializedString literal(String note) throws JsonProcessingException {
    Cached c = last;
    if (c == null || (c.note() != note && !c.note().equals(note))) {
      c = new Cached(note, new SerializedString(PLAIN.writeValueAsString(note)));
      c.literal().asUnquotedUTF8();
      last = c;
    }
    return c.literal();
  }

  /** Jackson mix-in: the checkpoint note is written from the cache. */
  abstract static class CheckpointAsCached {
    @JsonSerialize(using = NoteSerializer.class)
    abstract String checkpoint();
  }

  /** Writes a note as its cached JSON literal. */
  static final class NoteSerializer extends StdSerializer<String> {
    NoteSerializer() {
      super(String.class);
    }

    @Override
    public void serialize(String note, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeRawValue(literal(note));
    }
  }
}
