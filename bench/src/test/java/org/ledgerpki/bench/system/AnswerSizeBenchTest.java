package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The answer-size bench measures only answers that verify: with keyCompromise events in the map
 * (each at its entry key and its compromised-key key), the GOOD answer's two proofs of absence
 * still lead to the checkpoint's map root.
 */
class AnswerSizeBenchTest {
  @Test
  void everyMeasuredAnswerVerifies() {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          new CommandLine(new AnswerSizeBench())
              .execute("--certs", "40", "--events", "0,25", "--samples", "20", "--cosigners", "2");
    } finally {
      System.setOut(out);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text).contains("| 0 | **").contains("| 25 | **");
  }
}
