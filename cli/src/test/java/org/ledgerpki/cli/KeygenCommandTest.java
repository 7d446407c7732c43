package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keygen} never overwrites a private key file unless asked to with {@code --force}. */
class KeygenCommandTest {
  @TempDir Path dir;

  /** Runs the CLI and returns its exit code and standard error. */
  private static Object[] run(String... args) {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Object[] {code, buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
  }

  @Test
  void certRefusesAnExistingKeyFileUnlessForced() throws Exception {
    String name = dir.resolve("certs/amf-1").toString();
    Path key = dir.resolve("certs/amf-1.key.pem");
    Path pem = dir.resolve("certs/amf-1.pem");
    assertThat(run("keygen", "cert", name, "--o", "Vendor A")[0]).isEqualTo(ExitCodes.OK);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    byte[] keyBefore = Files.readAllBytes(key);
    byte[] certBefore = Files.readAllBytes(pem);

    Object[] again = run("keygen", "cert", name, "--o", "Vendor A");
    assertThat(again[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) again[1]).contains(key + " exists; pass --force");
    assertThat(Files.readAllBytes(key)).isEqualTo(keyBefore);
    assertThat(Files.readAllBytes(pem))
        .as("the certificate stays with its key")
        .isEqualTo(certBefore);

    assertThat(run("keygen", "cert", name, "--o", "Vendor A", "--force")[0])
        .isEqualTo(ExitCodes.OK);
    assertThat(Files.readAllBytes(key)).isNotEqualTo(keyBefore);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void consortiumRefusesExistingKeyFilesUnlessForced() throws Exception {
    Path out = dir.resolve("consortium");
    Path logKey = out.resolve("log/log-ed25519.key.pem");
    // A key left behind without a policy (say, an interrupted run) is not silently replaced.
    Files.createDirectories(logKey.getParent());
    Files.writeString(logKey, "left behind\n");
    Object[] r = run("keygen", "consortium", "--dir", out.toString());
    assertThat(r[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) r[1]).contains(logKey + " exists; pass --force");
    assertThat(Files.readString(logKey)).isEqualTo("left behind\n");

    assertThat(run("keygen", "consortium", "--dir", out.toString(), "--force")[0])
        .isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(logKey)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("operator-b/submission.key.pem"))))
        .isEqualTo("rw-------");
  }
}
