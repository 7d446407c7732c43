package org.ledgerpki.inquiry.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.verify.StatusAnswer;

/** The fast writer gives exactly the bytes of {@link StatusAnswer#toJson()}. */
class AnswerJsonTest {
  private static final String NOTE =
      "oid/1.3.6.1.4.1.32473.1.0.1\n42\nq83vEjRWeJ==\nledger-pki-status 0 x y\n\n"
          + "\u2014 oid/1.3.6.1.4.1.32473.1.0.1 AAAA\"quoted\"\\back\tslash\n"
          + "\u2014 oid/1.3.6.1.4.1.32473.2 BBBB+/==\n";

  private static StatusAnswer good(String note, String hex) {
    return new StatusAnswer(
        hex,
        "GOOD",
        "oid/1.3.6.1.4.1.32473.1.0.1",
        7L,
        "AAEC",
        List.of("qrs=", "tuv="),
        note,
        "ef".repeat(32),
        null,
        null,
        new StatusAnswer.StatusProof(0, null, "AA==", List.of(), null, "AA==", List.of("qrs=")),
        "MIIB",
        "2026-12-01T16:00:00Z",
        "2026-12-01T16:05:00Z");
  }

  private static void same(StatusAnswer a) {
    assertThat(new String(AnswerJson.bytes(a), StandardCharsets.UTF_8)).isEqualTo(a.toJson());
    assertThat(AnswerJson.bytes(a)).isEqualTo(a.toJson().getBytes(StandardCharsets.UTF_8));
    // What the node serves: the same bytes, with the note from the shared direct buffer.
    assertThat(AnswerJson.buffer(a).getBytes())
        .isEqualTo(a.toJson().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void goodAnswersAreByteForByteTheSameAsToJson() {
    same(good(NOTE, "ab".repeat(32)));
    same(good(NOTE, "cd".repeat(32)));
    // A new note replaces the cached one; an equal note in another string is recognised.
    same(good(NOTE.replace("42", "43"), "ab".repeat(32)));
    same(good(new String(NOTE.toCharArray()), "ab".repeat(32)));
    // For a client that holds the checkpoint: named, without its note (ADR 0009).
    StatusAnswer bare = good(NOTE, "ab".repeat(32)).withoutCheckpoint();
    same(bare);
    assertThat(new String(AnswerJson.bytes(bare), StandardCharsets.UTF_8))
        .contains("\"checkpoint\":null,\"checkpointSha256\":\"" + "ef".repeat(32) + "\"");
  }

  @Test
  void theSharedNoteBufferIsReadAgainByEveryAnswerAndReplacedByANewerNote() {
    StatusAnswer first = good(NOTE, "ab".repeat(32));
    io.vertx.core.buffer.Buffer a = AnswerJson.buffer(first);
    io.vertx.core.buffer.Buffer b = AnswerJson.buffer(first);
    // Reading one answer (as the socket write does) leaves the other, and the cache, whole.
    a.getByteBuf().skipBytes(a.length());
    assertThat(b.getBytes()).isEqualTo(first.toJson().getBytes(StandardCharsets.UTF_8));
    assertThat(AnswerJson.buffer(first).getBytes())
        .isEqualTo(first.toJson().getBytes(StandardCharsets.UTF_8));
    // A newer checkpoint's note: its answers carry it, not the cached older one.
    StatusAnswer newer = good(NOTE.replace("42", "44"), "ab".repeat(32));
    assertThat(new String(AnswerJson.buffer(newer).getBytes(), StandardCharsets.UTF_8))
        .contains("\\n44\\n")
        .isEqualTo(newer.toJson());
  }

  @Test
  void otherAnswersToo() {
    Map<String, Object> revocation = new LinkedHashMap<>();
    revocation.put("state", "REVOKED");
    revocation.put("reason", "keyCompromise");
    revocation.put("reasonCode", 1);
    revocation.put("revokedAt", "2026-12-01T15:00:00Z");
    same(
        new StatusAnswer(
            "ef".repeat(32),
            "REVOKED",
            "o",
            3L,
            "AA==",
            List.of(),
            NOTE,
            revocation,
            null,
            new StatusAnswer.StatusProof(
                1, "ZXZlbnQ=", "gA==", List.of("c2li"), "ZXZlbnQ=", "gA==", List.of("c2li")),
            "MIIB",
            "p",
            "n"));
    same(
        new StatusAnswer(
            "01".repeat(32),
            "REJECTED",
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(new StatusAnswer.Reason("ORGANIZATION_MISMATCH", "O \u00e9 \"x\"", "vendor-a")),
            null,
            null,
            "p",
            "n"));
    same(
        new StatusAnswer(
            "02".repeat(32),
            "UNKNOWN",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "p",
            "n"));
  }

  @Test
  void stringsThatNeedEscapingAndNullsInListsAreWrittenAsJacksonWritesThem() {
    same(
        new StatusAnswer(
            "ab".repeat(32),
            "GOOD",
            "o\u00e9 \"q\" \\ \u0001\n\u007f \u2014 \ud83d\ude00",
            Long.MAX_VALUE,
            "AAEC",
            java.util.Arrays.asList("qrs=", null, "\t"),
            NOTE,
            null,
            null,
            new StatusAnswer.StatusProof(
                Long.MIN_VALUE,
                "ZXZlbnQ=",
                null,
                java.util.Arrays.asList((String) null),
                null,
                "\u00ff",
                List.of()),
            null,
            "",
            "n"));
  }

  @Test
  void aLongAnswerThatOutgrowsTheEstimateIsWhole() {
    List<String> proof = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      proof.add("x".repeat(100) + i);
    }
    same(
        new StatusAnswer(
            "ab".repeat(32), "GOOD", "o", 1L, "e", proof, NOTE, null, null, null, "c", "p", "n"));
  }
}
