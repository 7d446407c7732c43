package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.launcher.keylime.AgentMapping;
import org.ledgerpki.launcher.keylime.KeylimeAdapter;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;

/**
 * Revocation and suspension as relying parties see them: the consortium on a real broker, and two
 * separate inquiry nodes (the Quarkus service, each in its own JVM with its own store). An owner's
 * revocation shows as REVOKED at both, with a proof that verifies offline, and in both nodes'
 * {@code /v1/revocations}; a Keylime-shaped attestation failure suspends a certificate through the
 * operator's Keylime adapter, and its owner's RESUME restores GOOD at both.
 */
class RevocationAtTwoNodesIT {
  private static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();

  @TempDir static Path dir;
  static GeneratedConsortium g;
  static LocalConsortium services;
  static LocalConsortium.Connection conn;
  static final List<JvmService> nodes = new ArrayList<>();
  static final List<String> urls = new ArrayList<>();
  static StatusVerifier verifier;
  static TrustPolicy policy;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("two-nodes");
    g = GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    ConsortiumFiles files = new ConsortiumFiles(dir.resolve("consortium"));
    policy = files.write(g.log(), g.members(), g.document());
    conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    services =
        LocalConsortium.start(conn, files.policy(), g.log(), g.members(), Duration.ofSeconds(120));
    verifier =
        new StatusVerifier(TrustBundle.parse(Files.readString(files.trust())), Duration.ZERO);
    Path jar = HOME.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the inquiry node is built before the it module").isRegularFile();
    for (int n = 1; n <= 2; n++) {
      int port = JvmService.freeLoopbackPort();
      JvmService node =
          InquiryNodeProcess.start(
              "edge-" + n,
              jar,
              conn,
              files.policy(),
              dir.resolve("inquiry-" + n),
              port,
              List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
              dir.resolve("inquiry-jvm-" + n),
              dir.resolve("inquiry-" + n + ".log"));
      nodes.add(node);
      urls.add("http://127.0.0.1:" + port);
    }
    for (int n = 0; n < 2; n++) {
      assertThat(
              nodes
                  .get(n)
                  .awaitHttpOk(
                      URI.create(urls.get(n) + "/q/health/ready"), Duration.ofSeconds(120)))
          .as("inquiry node %d ready; log:\n%s", n + 1, nodes.get(n).logTail(40))
          .isTrue();
    }
  }

  @AfterAll
  static void stop() {
    nodes.forEach(JvmService::close);
    if (services != null) {
      services.close();
    }
  }

  private static KeyPair submissionKey(String org) {
    return g.members().stream()
        .filter(m -> m.id().equals(org))
        .findFirst()
        .map(MemberKeys::submission)
        .orElseThrow();
  }

  private static String organization(String org) {
    return policy.member(org).orElseThrow().organization();
  }

  private static Submission.Builder request(String org, Operation op, byte[] cert, Integer why) {
    return Submissions.lifecycle(org, op, Sha256.hash(cert), why, null);
  }

  /** Waits until {@code cert} is {@code status} at every node; returns the verified answers. */
  private static List<StatusVerifier.Verified> awaitEverywhere(byte[] cert, String status)
      throws Exception {
    String hex = Hex.encode(Sha256.hash(cert));
    List<StatusVerifier.Verified> out = new ArrayList<>();
    for (String url : urls) {
      Instant deadline = Instant.now().plusSeconds(60);
      StatusAnswer a = null;
      while (Instant.now().isBefore(deadline)) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/status/" + hex)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          a = StatusAnswer.fromJson(r.body());
          if (status.equals(a.status())) {
            break;
          }
        }
        Thread.sleep(100);
      }
      assertThat(a).as("an answer from %s", url).isNotNull();
      assertThat(a.status()).as("status at %s", url).isEqualTo(status);
      StatusVerifier.Verified v = verifier.verify(a, cert, Instant.now());
      assertThat(v.status()).isEqualTo(status);
      assertThat(v.ledgerCertificateSha256()).isEqualTo(Hex.encode(Sha256.hash(cert)));
      out.add(v);
    }
    return out;
  }

  @Test
  void revocationSuspensionAndResumptionAreProvenAtBothNodes() throws Exception {
    byte[] amf =
        TestPki.vendor(SignatureAlgorithm.ECDSA_P256, organization("vendor-a"), "amf-2n", 51).der();
    byte[] smf =
        TestPki.vendor(SignatureAlgorithm.ED25519, organization("vendor-a"), "smf-2n", 52).der();
    byte[] segw =
        TestPki.vendor(SignatureAlgorithm.ECDSA_P256, organization("operator-b"), "segw-2n", 53)
            .der();
    SubmissionClient.submit(
        "vendor-a",
        submissionKey("vendor-a"),
        List.of(amf, smf),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
    SubmissionClient.submit(
        "operator-b",
        submissionKey("operator-b"),
        List.of(segw),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
    for (byte[] c : List.of(amf, smf, segw)) {
      awaitEverywhere(c, "GOOD");
    }

    // The owner revokes amf: REVOKED at both nodes, the event proven, the reason kept.
    SubmissionClient.submitSigned(
        "vendor-a",
        submissionKey("vendor-a"),
        List.of(request("vendor-a", Operation.REVOKE, amf, Lifecycle.REASON_KEY_COMPROMISE)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
    for (StatusVerifier.Verified v : awaitEverywhere(amf, "REVOKED")) {
      assertThat(v.event().reasonCode()).isEqualTo(Lifecycle.REASON_KEY_COMPROMISE);
      assertThat(v.event().certificateSha256()).isEqualTo(Sha256.hash(amf));
    }
    // The other certificate stays GOOD, with a proof that no revocation exists for it.
    awaitEverywhere(smf, "GOOD");

    // Both nodes list it in /v1/revocations, as an MTC serial range.
    long amfIndex = awaitEverywhere(amf, "REVOKED").get(0).index();
    for (String url : urls) {
      JsonNode list =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(url + "/v1/revocations")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(list.get("entries")).hasSize(1);
      JsonNode e = list.get("entries").get(0);
      assertThat(e.get("index").asLong()).isEqualTo(amfIndex);
      assertThat(e.get("state").asText()).isEqualTo("REVOKED");
      assertThat(e.get("reason").asText()).isEqualTo("keyCompromise");
      long serial = MtcCertificate.serial(1, amfIndex);
      assertThat(list.get("revokedRanges").get(0).get("start").asLong()).isEqualTo(serial);
      assertThat(list.get("revokedRanges").get(0).get("end").asLong()).isEqualTo(serial + 1);
      assertThat(list.get("checkpoint").asText()).contains("ledger-pki-status ");
    }

    // Keylime reports that segw's host failed attestation; operator-b's adapter suspends it.
    KeyPair keylime = Keys.generate(SignatureAlgorithm.RSA, 2048);
    String agent = "4f1c8a52-7d3e-4b8e-9c1a-2b6d5e7f8a90";
    Path mapping = dir.resolve("agents.yaml");
    Files.writeString(
        mapping, "agents:\n  " + agent + ":\n    - " + Hex.encode(Sha256.hash(segw)) + "\n");
    KeyPair operatorKey = submissionKey("operator-b");
    try (KeylimeAdapter adapter =
        new KeylimeAdapter(
            KeylimeAdapter.Config.withDefaults(
                "operator-b",
                keylime.getPublic(),
                AgentMapping.load(mapping, null),
                Set.of(),
                "127.0.0.1",
                0,
                dir.resolve("keylime-state")),
            requests ->
                SubmissionClient.submitSigned(
                    "operator-b",
                    operatorKey,
                    requests,
                    conn.bootstrap(),
                    conn.registryUrl(),
                    conn.topicPrefix()))) {
      int port = adapter.start();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          org.ledgerpki.launcher.demo.DemoLifecycle.keylimeNotification(
                              keylime, agent)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("action").asText()).isEqualTo("SUSPEND");
    }
    for (StatusVerifier.Verified v : awaitEverywhere(segw, "SUSPENDED")) {
      assertThat(v.event().reasonCode()).isEqualTo(Lifecycle.REASON_CERTIFICATE_HOLD);
    }

    // Its owner resumes it once the host attests again: GOOD at both nodes, proven.
    SubmissionClient.submitSigned(
        "operator-b",
        operatorKey,
        List.of(request("operator-b", Operation.RESUME, segw, null)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
    awaitEverywhere(segw, "GOOD");
  }
}
