package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code ledgerpki status} does when no answer can be had: it says hard- or soft-fail. */
class StatusCommandTest {
  private static Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(p);
    System.setErr(p);
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Object[] {code, buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** A loopback port nothing listens on. */
  private static String deadNode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port;
  }

  @Test
  void anUnreachableNodeFailsHardByDefault() throws Exception {
    Object[] r = run("status", "ab".repeat(32), "--trust", "trust.json", "--node", deadNode());
    assertThat(r[0]).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat((String) r[1]).contains("HARD-FAIL").contains("could not be reached");
  }

  @Test
  void softFailIsExplicitAndHasItsOwnExitCode() throws Exception {
    Object[] r =
        run(
            "status",
            "ab".repeat(32),
            "--trust",
            "trust.json",
            "--node",
            deadNode(),
            "--fail-mode",
            "soft");
    assertThat(r[0]).isEqualTo(ExitCodes.SOFT_FAIL);
    assertThat((String) r[1]).contains("SOFT-FAIL").contains("WITHOUT a verified answer");
  }

  @Test
  void aBadFailModeIsAUsageError() {
    Object[] r = run("status", "ab".repeat(32), "--trust", "t.json", "--fail-mode", "maybe");
    assertThat(r[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) r[1]).contains("--fail-mode must be hard or soft");
  }
}
