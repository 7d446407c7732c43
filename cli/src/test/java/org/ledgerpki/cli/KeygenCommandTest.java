package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

  @Test
  void transportIssuesPartyCertificatesFromItsCaAndRefusesToOverwrite() throws Exception {
    Path out = dir.resolve("transport");
    Object[] first = run("keygen", "transport", "--dir", out.toString(), "--members", "vendor-a");
    assertThat(first[0]).as("exit code; stderr: %s", first[1]).isEqualTo(0);

    var ca = org.ledgerpki.core.crypto.Certificates.parse(Files.readString(out.resolve("ca.pem")));
    Path keystore = out.resolve("validator-vendor-a.keystore.pem");
    String pem = Files.readString(keystore);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    var cert =
        org.ledgerpki.core.crypto.Certificates.parse(
            pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----")));
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=validator-vendor-a,O=vendor-a");
    assertThat(org.ledgerpki.core.crypto.Certificates.signatureValid(cert, ca.getPublicKey()))
        .as("the party's certificate is signed by the transport CA")
        .isTrue();
    assertThat(ca.getBasicConstraints()).as("the CA is a CA").isZero();
    assertThat(cert.getBasicConstraints()).as("a party is not a CA").isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "validator-vendor-a"));
    assertThat(out.resolve("kafka-3.keystore.pem")).exists();
    assertThat(out.resolve("mirror-vendor-a.keystore.pem")).as("a member's MirrorMaker 2").exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)))
        .isEqualTo("rw-------");

    Object[] again = run("keygen", "transport", "--dir", out.toString(), "--members", "vendor-a");
    assertThat(again[0]).isEqualTo(ExitCodes.USAGE);
    assertThat((String) again[1]).contains("ca.key.pem exists; pass --force");
    assertThat(Files.readString(keystore)).as("the keystore is untouched").isEqualTo(pem);
  }

  @Test
  void consortiumTrustBundleNamesThePolicySerialAndTheHashOfItsFile() throws Exception {
    Path out = dir.resolve("named");
    Object[] r = run("keygen", "consortium", "--dir", out.toString());
    assertThat(r[0]).as("exit code; stderr: %s", r[1]).isEqualTo(ExitCodes.OK);
    org.ledgerpki.core.verify.TrustBundle b =
        org.ledgerpki.core.verify.TrustBundle.parse(Files.readString(out.resolve("trust.json")));
    assertThat(b.policySerial()).isEqualTo(1L);
    assertThat(b.policySha256())
        .as("SHA-256 of policy.yaml's bytes, as written")
        .isEqualTo(
            org.ledgerpki.core.Hex.encode(
                org.ledgerpki.core.Sha256.hash(Files.readAllBytes(out.resolve("policy.yaml")))));
  }
}
