package org.ledgerpki.cli.keylime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.demo.DemoLifecycle;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/** The adapter's logic and its HTTP listener, with a sink that records what it would submit. */
class KeylimeAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AGENT = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";
  private static KeyPair keylime;
  private static KeyPair stranger;

  @TempDir static Path dir;
  private static String heldHash;
  private static String mappedHash;

  @BeforeAll
  static void keys() throws Exception {
    keylime = Keys.generate(SignatureAlgorithm.RSA, 2048);
    stranger = Keys.generate(SignatureAlgorithm.RSA, 2048);
    // A certificate whose subject names the agent, in a directory of the operator's certificates.
    KeyPair nf = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    var cert =
        new CertificateBuilder().subject("CN=" + AGENT + ",O=Operator B").keyPair(nf).build();
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/segw.pem"), Certificates.pem(cert));
    heldHash = Hex.encode(Certificates.sha256(cert));
    mappedHash = "ab".repeat(32);
    Files.writeString(
        dir.resolve("agents.yaml"), "agents:\n  other-agent:\n    - " + mappedHash + "\n");
  }

  /** A notification as Keylime's webhook notifier sends it, signed like Keylime signs it. */
  static byte[] notification(KeyPair signer, String agent, String eventId, String severity)
      throws Exception {
    return DemoLifecycle.keylimeNotification(signer, agent, eventId, severity);
  }

  private static KeylimeAdapter adapter(List<Submission> sunk) throws Exception {
    AgentMapping mapping = AgentMapping.load(dir.resolve("agents.yaml"), dir.resolve("certs"));
    return new KeylimeAdapter(
        new KeylimeAdapter.Config(
            "operator-b", keylime.getPublic(), mapping, Set.of("emergency"), "127.0.0.1", 0),
        requests -> {
          List<Submissions.Keyed> out = new ArrayList<>();
          for (Submission.Builder b : requests) {
            b.setSignature(Evidence.unsigned("operator-b"));
            Submission s = b.build();
            sunk.add(s);
            out.add(new Submissions.Keyed(Submissions.keyOf(s), s));
          }
          return out;
        });
  }

  @Test
  void aFailedAttestationSuspendsEveryCertificateOfTheAgentOnce() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    KeylimeAdapter a = adapter(sunk);
    KeylimeAdapter.Outcome o = a.process(notification(keylime, AGENT, "ev-1", "critical"));
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.body()).containsEntry("action", "SUSPEND");
    assertThat(sunk).hasSize(1);
    Submission s = sunk.get(0);
    assertThat(s.getOperation()).isEqualTo(Operation.SUSPEND);
    assertThat(s.getSubmitter()).isEqualTo("operator-b");
    assertThat(s.getReasonCode()).isEqualTo(6); // certificateHold
    assertThat(Hex.encode(Evidence.bytes(s.getTargetCertificateSha256()))).isEqualTo(heldHash);

    // The same event again: not acted on twice.
    assertThat(a.process(notification(keylime, AGENT, "ev-1", "critical")).body())
        .containsEntry("action", "duplicate");
    assertThat(sunk).hasSize(1);
  }

  @Test
  void aConfiguredSeverityRevokesAndTheMappingFileIsUsed() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    KeylimeAdapter.Outcome o =
        adapter(sunk).process(notification(keylime, "other-agent", "ev-2", "emergency"));
    assertThat(o.status()).isEqualTo(200);
    assertThat(sunk)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getOperation()).isEqualTo(Operation.REVOKE);
              assertThat(s.getReasonCode()).isEqualTo(1); // keyCompromise
              assertThat(Hex.encode(Evidence.bytes(s.getTargetCertificateSha256())))
                  .isEqualTo(mappedHash);
            });
  }

  @Test
  void forgedMalformedAndUnmappedNotificationsSubmitNothing() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    KeylimeAdapter a = adapter(sunk);
    assertThat(a.process(notification(stranger, AGENT, "ev-3", "critical")).status())
        .isEqualTo(403);
    assertThat(a.process("{\"msg\": 1}".getBytes(StandardCharsets.UTF_8)).detail())
        .contains("'msg'");
    assertThat(a.process("not json".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    KeylimeAdapter.Outcome unknown = a.process(notification(keylime, "nobody", "ev-4", "x"));
    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.body().get("requests")).isEqualTo(List.of());
    assertThat(sunk).isEmpty();
  }

  @Test
  void aLedgerOutageAnswers503SoThatKeylimeRetries() throws Exception {
    AgentMapping mapping = AgentMapping.load(null, dir.resolve("certs"));
    KeylimeAdapter a =
        new KeylimeAdapter(
            new KeylimeAdapter.Config(
                "operator-b", keylime.getPublic(), mapping, Set.of(), "127.0.0.1", 0),
            requests -> {
              throw new IllegalStateException("topic ledger.submissions does not exist");
            });
    assertThat(a.process(notification(keylime, AGENT, "ev-5", "critical")).status()).isEqualTo(503);
  }

  @Test
  void overHttp() throws Exception {
    List<Submission> sunk = new ArrayList<>();
    try (KeylimeAdapter a = adapter(sunk)) {
      int port = a.start();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          notification(keylime, AGENT, "ev-6", "critical")))
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(ok.body()).get("requests").get(0).get("certificateSha256").asText())
          .isEqualTo(heldHash);
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(HttpRequest.BodyPublishers.ofString("[]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(JSON.readTree(bad.body()).get("status").asInt()).isEqualTo(400);
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
    }
    assertThat(sunk).hasSize(1);
  }
}
