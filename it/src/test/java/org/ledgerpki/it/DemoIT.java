package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.embedded.JvmService;

/**
 * The README's main command, as a user runs it: {@code ./ledgerpki demo} from the repository root,
 * on a fresh data directory. The launcher must not rebuild here ({@code LEDGERPKI_NO_BUILD}): the
 * reactor has just built the CLI and the inquiry node.
 */
class DemoIT {
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** A running {@code ./ledgerpki} process whose output is collected line by line. */
  private static final class Run implements AutoCloseable {
    final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    Run(Path dir, String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(HOME.resolve("ledgerpki").toString());
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().put("LEDGERPKI_NO_BUILD", "1");
      process = pb.start();
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // The process ended.
                }
              },
              "ledgerpki-output");
      t.setDaemon(true);
      t.start();
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    boolean awaitLine(String text, Duration timeout) throws InterruptedException {
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        synchronized (lines) {
          if (lines.stream().anyMatch(l -> l.contains(text))) {
            return true;
          }
        }
        if (!process.isAlive()) {
          return false;
        }
        Thread.sleep(200);
      }
      return false;
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy(); // SIGTERM: the demo's shutdown hook stops the consortium.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Runs {@code ./ledgerpki ARGS} to completion and returns its exit code and output. */
  private static Object[] ledgerpki(Path dir, String... args) throws Exception {
    try (Run r = new Run(dir, args)) {
      assertThat(r.process.waitFor(60, TimeUnit.SECONDS))
          .as("ledgerpki %s ended", args[0])
          .isTrue();
      Thread.sleep(100);
      return new Object[] {r.process.exitValue(), r.output()};
    }
  }

  @Test
  void demoOnceRunsTheConsortiumEndToEndAndExitsZero() throws Exception {
    Path data = tmp.resolve("demo-data");
    int port = JvmService.freeLoopbackPort();
    try (Run demo =
        new Run(tmp, "demo", "--once", "--data-dir", data.toString(), "--port", "" + port)) {
      boolean ended = demo.process.waitFor(300, TimeUnit.SECONDS);
      String out = demo.output();
      assertThat(ended).as("demo --once ended within 300 s; output so far:\n%s", out).isTrue();
      Thread.sleep(200);
      out = demo.output();
      assertThat(demo.process.exitValue()).as("exit code; output:\n%s", out).isZero();
      assertThat(out)
          .contains("Kafka broker (KRaft, 1 node)")
          .contains("inquiry node ready at http://localhost:" + port)
          .contains("Accepted into the ledger")
          .contains("Rejected by the validators:")
          .contains("Latest cosigned checkpoint")
          .contains("curl -s http://localhost:" + port + "/v1/status/")
          .contains("./ledgerpki status ")
          .containsPattern("vendor-a revokes amf-1 \\(keyCompromise\\) +REVOKED +after")
          .containsPattern(
              "vendor-a resubmits revoked amf-1, re-encoded +REJECTED +after .*ENTRY_ALREADY_IN_LOG;"
                  + " asked with the copy, the node proves its entry REVOKED")
          .containsPattern(
              "Keylime attestation failure suspends segw-1 \\(operator-b\\) +SUSPENDED")
          .containsPattern("operator-b resumes segw-1 +GOOD +after")
          .contains("vendor-a proposed policy serial 2")
          .contains("The policy chain (from http://localhost:" + port + "/v1/policy")
          .contains("member added: operator-d")
          .contains("policy serial 1 -> 2")
          .contains("an answer verified with the updated bundle (policy serial 2): GOOD")
          .contains(
              "Demo result: every certificate was decided as expected and every answer verified offline.")
          .doesNotContain("EXPECTED")
          .doesNotContain("NOT VERIFIED");
      // Every reason code the validators gave is machine-readable, e.g. WRONG_ORGANIZATION.
      assertThat(out).containsPattern("(?m)^    [A-Z_]+: ");
    }
    assertThat(data.resolve("trust.json")).isRegularFile();
    assertThat(Files.readString(data.resolve("trust.json")))
        .contains("\"logs\"")
        .contains("\"cosigners\"")
        .contains("\"cosignerQuorum\"")
        .contains("\"maxAgeSeconds\"")
        .contains("\"policySerial\" : 2");
    for (String org : List.of("vendor-a", "operator-b", "operator-c")) {
      try (Stream<Path> pems = Files.list(data.resolve("certs").resolve(org))) {
        List<Path> files = pems.toList();
        assertThat(files).as("certificates of %s", org).isNotEmpty();
        for (Path p : files) {
          assertThat(p.toString()).endsWith(".pem");
          Certificates.parse(Files.readAllBytes(p)); // Each one is a certificate.
        }
      }
    }
  }

  @Test
  void theRunningDemoAnswersTheCliStatusAndVerifyCommands() throws Exception {
    Path data = tmp.resolve("demo-data");
    int port = JvmService.freeLoopbackPort();
    String node = "http://localhost:" + port;
    try (Run demo = new Run(tmp, "demo", "--data-dir", data.toString(), "--port", "" + port)) {
      assertThat(demo.awaitLine("press Ctrl-C to stop it", Duration.ofSeconds(300)))
          .as("the demo reached its summary; output:\n%s", demo.output())
          .isTrue();
      Path trust = data.resolve("trust.json");

      // An accepted certificate: GOOD, verified offline, exit 0.
      Path good = data.resolve("certs/vendor-a/smf-1.pem");
      Object[] status =
          ledgerpki(tmp, "status", good.toString(), "--trust", trust.toString(), "--node", node);
      assertThat(status[0]).as("status output:\n%s", status[1]).isEqualTo(0);
      assertThat((String) status[1]).startsWith("GOOD").contains("verified offline against");

      // The demo revoked amf-1: REVOKED with a verified proof of the event, exit 1.
      Object[] revoked =
          ledgerpki(
              tmp,
              "status",
              data.resolve("certs/vendor-a/amf-1.pem").toString(),
              "--trust",
              trust.toString(),
              "--node",
              node);
      assertThat(revoked[0]).as("status output:\n%s", revoked[1]).isEqualTo(1);
      assertThat((String) revoked[1]).startsWith("REVOKED").contains("verified offline against");

      // An unknown certificate: UNKNOWN, exit 5.
      Object[] unknown =
          ledgerpki(tmp, "status", "ab".repeat(32), "--trust", trust.toString(), "--node", node);
      assertThat(unknown[0]).as("output:\n%s", unknown[1]).isEqualTo(5);
      assertThat((String) unknown[1]).startsWith("UNKNOWN");

      // A missing trust bundle: a message and exit 2.
      Object[] usage = ledgerpki(tmp, "status", good.toString(), "--node", node);
      assertThat(usage[0]).isEqualTo(2);
      assertThat((String) usage[1]).contains("--trust");

      // The MTC certificate, once a cosigned landmark covers it: verified with hashes only.
      String sha = Hex.encode(Certificates.sha256(Certificates.parse(Files.readAllBytes(good))));
      HttpClient http = HttpClient.newHttpClient();
      Instant deadline = Instant.now().plusSeconds(90);
      HttpResponse<byte[]> mtc;
      do {
        mtc =
            http.send(
                HttpRequest.newBuilder(URI.create(node + "/v1/certificates/" + sha + "/mtc"))
                    .header("Accept", "application/pkix-cert")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (mtc.statusCode() == 200
            && "landmark".equals(mtc.headers().firstValue("X-MTC-Form").orElse(""))) {
          break;
        }
        Thread.sleep(1000);
      } while (Instant.now().isBefore(deadline));
      assertThat(mtc.headers().firstValue("X-MTC-Form")).contains("landmark");
      Path mtcFile = tmp.resolve("mtc.der");
      Files.write(mtcFile, mtc.body());
      Path saved = tmp.resolve("landmarks.json");
      Path savedStatus = tmp.resolve("status.json");
      Object[] verified =
          ledgerpki(
              tmp,
              "verify",
              mtcFile.toString(),
              "--trust",
              trust.toString(),
              "--node",
              node,
              "--save-landmarks",
              saved.toString(),
              "--save-status",
              savedStatus.toString());
      assertThat(verified[0]).as("verify output:\n%s", verified[1]).isEqualTo(0);
      assertThat((String) verified[1])
          .startsWith("VALID")
          .contains("hashes only")
          .contains("revocation: GOOD, verified");

      // Offline, from the saved landmarks and status answer: the same answer, with the node out of
      // the picture (while the status answer's cosignatures are fresh).
      Object[] offline =
          ledgerpki(
              tmp,
              "verify",
              mtcFile.toString(),
              "--trust",
              trust.toString(),
              "--landmarks",
              saved.toString(),
              "--status",
              savedStatus.toString(),
              "--landmark-only");
      assertThat(offline[0]).as("verify output:\n%s", offline[1]).isEqualTo(0);

      // Without trusted landmarks the landmark form cannot verify: exit 6, and it says why.
      Object[] none = ledgerpki(tmp, "verify", mtcFile.toString(), "--trust", trust.toString());
      assertThat(none[0]).as("verify output:\n%s", none[1]).isEqualTo(6);
      assertThat((String) none[1]).startsWith("NOT VALID").contains("--landmarks");

      // The demo revoked amf-1: its MTC certificate still has a valid proof, but the verified
      // status of its entry is REVOKED, so it is not valid: exit 6.
      String amfSha =
          Hex.encode(
              Certificates.sha256(
                  Certificates.parse(
                      Files.readAllBytes(data.resolve("certs/vendor-a/amf-1.pem")))));
      HttpResponse<byte[]> amfMtc =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/certificates/" + amfSha + "/mtc"))
                  .header("Accept", "application/pkix-cert")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(amfMtc.statusCode()).isEqualTo(200);
      Path amfFile = tmp.resolve("amf-mtc.der");
      Files.write(amfFile, amfMtc.body());
      Object[] revokedMtc =
          ledgerpki(tmp, "verify", amfFile.toString(), "--trust", trust.toString(), "--node", node);
      assertThat(revokedMtc[0]).as("verify output:\n%s", revokedMtc[1]).isEqualTo(6);
      assertThat((String) revokedMtc[1]).startsWith("NOT VALID").contains("REVOKED (verified)");

      // A flipped bit in what the proof covers (the last byte of smf-1's Ed25519 key, so that the
      // DER stays well-formed whatever the proof's length): exit 6.
      byte[] bad = mtc.body().clone();
      byte[] spki = org.ledgerpki.core.mtc.MtcCertificate.parse(mtc.body()).subjectPublicKeyInfo();
      int at = indexOf(bad, spki);
      assertThat(at).as("the subject key in the MTC certificate").isNotNegative();
      bad[at + spki.length - 1] ^= 0x01;
      Path badFile = tmp.resolve("bad.der");
      Files.write(badFile, bad);
      Object[] tampered =
          ledgerpki(
              tmp,
              "verify",
              badFile.toString(),
              "--trust",
              trust.toString(),
              "--landmarks",
              saved.toString());
      assertThat(tampered[0]).as("verify output:\n%s", tampered[1]).isEqualTo(6);
      // Refused for the proof, not for want of revocation data.
      assertThat((String) tampered[1])
          .startsWith("NOT VALID")
          .contains("but the trusted hash is")
          .doesNotContain("no revocation data");
    }
  }
}
