package org.ledgerpki.core.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.note.Ed25519NoteSigner;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.testkit.KnownAnswers;

class CheckpointTest {
  private static final String ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

  @Test
  void v10TreeNoteBodyAndRecordHash() throws Exception {
    byte[] recordHash = Sha256.hash(new byte[] {0}, "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(Hex.encode(recordHash))
        .isEqualTo(KnownAnswers.find("V10", "^RecordHash.* = ([0-9a-f]{64}) "));
    assertThat(Base64.getEncoder().encodeToString(recordHash))
        .isEqualTo(KnownAnswers.find("V10", "\\(b64 (\\S+)\\)"));

    String expected = KnownAnswers.unescape(KnownAnswers.find("V10", "^FormatTree.* = \"(.*)\""));
    Checkpoint cp = new Checkpoint("go.sum database tree", 123456789012L, recordHash);
    assertThat(cp.body()).isEqualTo(expected);
    assertThat(Checkpoint.parse(expected)).isEqualTo(cp);
  }

  @Test
  void specExampleParsesAndRoundTrips() throws Exception {
    String body = "example.com/behind-the-sofa\n20852163\n" + ROOT_B64 + "\n";
    Checkpoint cp = Checkpoint.parse(body);
    assertThat(cp.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(cp.size()).isEqualTo(20852163L);
    assertThat(cp.rootHash()).isEqualTo(Base64.getDecoder().decode(ROOT_B64));
    assertThat(cp.extensions()).isEmpty();
    assertThat(cp.body()).isEqualTo(body);
    assertThat(cp.toString()).contains("0ac5186a");
  }

  @Test
  void extensionLinesAndSizeZero() throws Exception {
    String body = "o\n0\n" + ROOT_B64 + "\next one\nnext two\n";
    Checkpoint cp = Checkpoint.parse(body);
    assertThat(cp.size()).isZero();
    assertThat(cp.extensions()).containsExactly("ext one", "next two");
    assertThat(cp.body()).isEqualTo(body);
  }

  @Test
  void fromNote() throws Exception {
    Checkpoint cp = new Checkpoint("example.org/log", 7, new byte[32], List.of());
    Note note =
        Note.parse(Notes.sign(cp.body(), List.of(Ed25519NoteSigner.generate("example.org/log"))));
    assertThat(Checkpoint.fromNote(note)).isEqualTo(cp);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no final newline     | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=     | does not end with a newline
          two lines            | o\\n1\\n                                               | at least 3 lines
          empty origin         | \\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n    | origin is empty
          leading zero         | o\\n01\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n  | line 2: size '01'
          double zero          | o\\n00\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n  | line 2: size '00'
          negative size        | o\\n-1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n  | line 2
          plus sign            | o\\n+1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n  | line 2
          empty size           | o\\n\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n    | line 2
          huge size            | o\\n18446744073709551615\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n | exceeds 2^63-1
          short root           | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\\n  | 32 bytes
          bad base64 root      | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I*\\n  | not base64
          non-canonical root   | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\\n  | canonical
          empty extension      | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n\\n  | line 4: empty extension
          control character    | o\\t\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n | control character
          """)
  void rejectsMalformedBodies(String what, String escaped, String message) {
    String body = escaped.strip().replace("\\n", "\n").replace("\\t", "\t");
    assertThatThrownBy(() -> Checkpoint.parse(body))
        .as(what)
        .isInstanceOf(MalformedInputException.class)
        .hasMessageStartingWith("checkpoint")
        .hasMessageContaining(message);
  }

  @Test
  void constructorChecks() {
    assertThatThrownBy(() -> new Checkpoint("", 1, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("o\nx", 1, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("o", -1, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("o", 1, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("o", 1, new byte[32], List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] root = new byte[32];
    Checkpoint cp = new Checkpoint("o", 1, root);
    root[0] = 1;
    assertThat(cp.rootHash()[0]).as("defensive copy").isZero();
  }
}
