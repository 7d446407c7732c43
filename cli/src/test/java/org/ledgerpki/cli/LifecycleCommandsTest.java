package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LifecycleCommandsTest {
  @Test
  void reasonsByNameOrNumber() {
    assertThat(LifecycleCommands.reason("keyCompromise")).isEqualTo(1);
    assertThat(LifecycleCommands.reason("KEYCOMPROMISE")).isEqualTo(1);
    assertThat(LifecycleCommands.reason("superseded")).isEqualTo(4);
    assertThat(LifecycleCommands.reason("10")).isEqualTo(10);
    assertThatThrownBy(() -> LifecycleCommands.reason("7"))
        .hasMessageContaining("not an RFC 5280 reason");
    assertThatThrownBy(() -> LifecycleCommands.reason("stolen"))
        .hasMessageContaining("keyCompromise");
  }

  /** Runs the CLI and returns its exit code and standard error. */
  private static Object[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Object[] {code, buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void renewNeedsAnInquiryNodeToWaitOnBetweenItsTwoSteps(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.security.KeyPair kp =
        org.ledgerpki.core.crypto.Keys.generate(
            org.ledgerpki.core.crypto.SignatureAlgorithm.ED25519);
    java.nio.file.Path key = dir.resolve("submission.key.pem");
    java.nio.file.Files.writeString(key, org.ledgerpki.core.crypto.Keys.toPem(kp.getPrivate()));
    java.nio.file.Path cert = dir.resolve("new.pem");
    java.nio.file.Files.writeString(
        cert,
        org.ledgerpki.core.crypto.Certificates.pem(
            new org.ledgerpki.core.crypto.CertificateBuilder()
                .subject("CN=amf-2,O=Vendor A")
                .keyPair(kp)
                .build()));
    Object[] r =
        run(
            "renew",
            "ab".repeat(32),
            cert.toString(),
            "--org",
            "vendor-a",
            "--key",
            key.toString());
    assertThat(r[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) r[1]).contains("give --wait-node URL");
  }

  @Test
  void badInputGetsAMessageAndExitCode2() {
    Object[] noKey = run("revoke", "ab".repeat(32), "--org", "vendor-a");
    assertThat(noKey[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) noKey[1]).contains("--key FILE, or --consortium DIR");

    Object[] missingKey =
        run("suspend", "ab".repeat(32), "--org", "vendor-a", "--key", "/nonexistent.pem");
    assertThat(missingKey[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) missingKey[1]).contains("no key file /nonexistent.pem");

    Object[] noOrg = run("resume", "ab".repeat(32));
    assertThat(noOrg[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) noOrg[1]).contains("--org");
  }
}
