package org.ledgerpki.core.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ledgerpki.core.MalformedInputException;

class NoteTest {
  // A syntactically valid line: key ID 01020304 and one signature byte.
  private static final String LINE = "\u2014 example.org/a AQIDBAU=";

  @Test
  void parsesTextAndSignatures() throws Exception {
    Note note = Note.parse("hello\n\nworld\n\n" + LINE + "\n\u2014 b AQIDBAUG\n");
    assertThat(note.text()).isEqualTo("hello\n\nworld\n");
    assertThat(note.signatures()).hasSize(2);
    NoteSignature s = note.signatures().get(0);
    assertThat(s.keyName()).isEqualTo("example.org/a");
    assertThat(s.keyId()).isEqualTo(0x01020304);
    assertThat(s.signature()).containsExactly(5);
    assertThat(s.line()).isEqualTo(LINE);
    assertThat(note.signatures().get(1).signature()).containsExactly(5, 6);
    assertThat(note.format()).isEqualTo("hello\n\nworld\n\n" + LINE + "\n\u2014 b AQIDBAUG\n");
  }

  @Test
  void textMayEndWithEmptyLines() throws Exception {
    Note note = Note.parse("a\n\n\n" + LINE + "\n");
    assertThat(note.text()).isEqualTo("a\n\n");
  }

  @Test
  void highKeyIdsAndUnicodeNamesRoundTrip() throws Exception {
    NoteSignature s = new NoteSignature("n\u00e4me/\u2603", 0xfedcba98, new byte[] {9, 9});
    Note note = new Note("t\u00fcxt \uD83D\uDE00\n", List.of(s));
    Note back = Note.parse(note.format().getBytes(StandardCharsets.UTF_8));
    assertThat(back).isEqualTo(note);
    assertThat(back.signatures().get(0).keyIdHex()).isEqualTo("fedcba98");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          missing blank line          | text\\n— a AQIDBAU=\\n          | no blank line
          missing final newline       | text\\n\\n— a AQIDBAU=           | does not end with a newline
          no signatures               | text\\n\\n                       | no signature lines
          control character           | te\\u0007xt\\n\\n— a AQIDBAU=\\n | control character U+0007 on line 1
          carriage return             | text\\r\\n\\n— a AQIDBAU=\\n     | control character U+000D
          tab in text                 | a\\tb\\n\\n— a AQIDBAU=\\n       | control character U+0009
          bad base64                  | text\\n\\n— a AQID*AU=\\n        | signature line 1: signature: bad base64
          unpadded base64             | text\\n\\n— a AQIDBAU\\n         | not in canonical padded form
          non-canonical base64 bits   | text\\n\\n— a AQIDBAV=\\n        | not in canonical padded form
          short signature             | text\\n\\n— a AQIDBA==\\n        | signature is 4 bytes; at least 5
          plus in key name            | text\\n\\n— a+b AQIDBAU=\\n      | invalid key name 'a+b'
          empty key name              | text\\n\\n—  AQIDBAU=\\n         | invalid key name ''
          no space after name         | text\\n\\n— aAQIDBAU=\\n         | no space between key name and signature
          hyphen instead of em dash   | text\\n\\n- a AQIDBAU=\\n        | does not start with an em dash
          missing space after dash    | text\\n\\n—a AQIDBAU=\\n         | does not start with an em dash
          extra space before base64   | text\\n\\n— a  AQIDBAU=\\n       | bad base64
          trailing space              | text\\n\\n— a AQIDBAU= \\n       | bad base64
          second signature bad        | text\\n\\n— a AQIDBAU=\\nnope\\n | signature line 2
          """)
  void rejectsMalformedNotes(String what, String escaped, String message) {
    String note = unescape(escaped.strip());
    assertThatThrownBy(() -> Note.parse(note))
        .as(what)
        .isInstanceOf(MalformedInputException.class)
        .hasMessageStartingWith("note")
        .hasMessageContaining(message);
  }

  @Test
  void rejectsNonUtf8AndUnpairedSurrogates() {
    byte[] bad = "text\n\n\u2014 a AQIDBAU=\n".getBytes(StandardCharsets.UTF_8);
    bad[1] = (byte) 0xff;
    assertThatThrownBy(() -> Note.parse(bad))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> Note.parse("te\uD800xt\n\n" + LINE + "\n"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void spaceInKeyNameCannotBeExpressedAndIsRejectedOnConstruction() {
    // On the wire the first space ends the name, so "a b" leaves "b AQIDBAU=" as bad base64.
    assertThatThrownBy(() -> Note.parse("text\n\n\u2014 a b AQIDBAU=\n"))
        .isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Note.parse("text\n\n\u2014 a\u00a0b AQIDBAU=\n"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("invalid key name");
    assertThatThrownBy(() -> new NoteSignature("a b", 1, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NoteSignature("a+b", 1, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enforcesLimits() throws Exception {
    StringBuilder many = new StringBuilder("text\n\n");
    for (int i = 0; i < Note.MAX_SIGNATURES; i++) {
      many.append(LINE).append('\n');
    }
    assertThat(Note.parse(many.toString()).signatures()).hasSize(Note.MAX_SIGNATURES);
    many.append(LINE).append('\n');
    assertThatThrownBy(() -> Note.parse(many.toString()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("exceeds the limit of 256");

    String big = "x".repeat(Note.MAX_BYTES) + "\n\n" + LINE + "\n";
    assertThatThrownBy(() -> Note.parse(big))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("exceeds the limit of 1048576");
    assertThatThrownBy(() -> Note.parse(big.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("exceeds the limit of 1048576");
  }

  @Test
  void constructorChecks() {
    NoteSignature s = new NoteSignature("a", 1, new byte[] {1});
    assertThatThrownBy(() -> new Note("no newline", List.of(s)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Note("text\n", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    Note n = new Note("text\n", List.of(s));
    assertThat(n.withSignature(s).signatures()).hasSize(2);
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\t", "\t")
        .replace("\\u0007", "\u0007");
  }
}
