package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.cli.LedgerPki;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Operation;
import picocli.CommandLine;

/**
 * The adversary suite, first adversary: a lying inquiry node. The consortium runs on a real broker
 * with a real Quarkus inquiry node; between it and {@code ledgerpki status} sits a test double that
 * rewrites the node's answers. Every rewrite — a replayed pre-revocation answer with a new {@code
 * nextUpdate}, an answer about another certificate, a re-encoded revoked certificate claimed GOOD,
 * a truncated status count, a flipped byte in each proof and signature — is refused with the
 * NOT_VERIFIED exit code and its own reason; the honest answers pass. The freshness bound is short
 * here ({@code checkpoints.maxAge} 6 s, heartbeat 2 s) so that a replay goes stale within the test.
 */
class LyingNodeIT {
  private static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();
  private static final long MAX_AGE_SECONDS = 6;

  @TempDir static Path dir;
  static GeneratedConsortium g;
  static LocalConsortium services;
  static LocalConsortium.Connection conn;
  static JvmService node;
  static String nodeUrl;
  static HttpServer proxy;
  static String proxyUrl;
  static Path trust;
  static TrustPolicy policy;
  static volatile UnaryOperator<String> rewrite = UnaryOperator.identity();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("lying-node");
    GeneratedConsortium base =
        GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    PolicyDocument doc =
        base.document()
            .withCheckpoints(
                new PolicyDocument.Checkpoints("200ms", 5000, "2s", MAX_AGE_SECONDS + "s"));
    g = new GeneratedConsortium(base.log(), base.members(), doc);
    ConsortiumFiles files = new ConsortiumFiles(dir.resolve("consortium"));
    policy = files.write(g.log(), g.members(), g.document());
    trust = files.trust();
    conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    services =
        LocalConsortium.start(conn, files.policy(), g.log(), g.members(), Duration.ofSeconds(120));
    Path jar = HOME.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the inquiry node is built before the it module").isRegularFile();
    int port = JvmService.freeLoopbackPort();
    node =
        InquiryNodeProcess.start(
            "edge",
            jar,
            conn,
            files.policy(),
            dir.resolve("inquiry"),
            port,
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            dir.resolve("inquiry-jvm"),
            dir.resolve("inquiry.log"));
    nodeUrl = "http://127.0.0.1:" + port;
    assertThat(node.awaitHttpOk(URI.create(nodeUrl + "/q/health/ready"), Duration.ofSeconds(120)))
        .as("inquiry node ready; log:\n%s", node.logTail(40))
        .isTrue();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", LyingNodeIT::forward);
    proxy.start();
    proxyUrl = "http://127.0.0.1:" + proxy.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop(0);
    }
    if (node != null) {
      node.close();
    }
    if (services != null) {
      services.close();
    }
  }

  /** The lying node: forwards to the real one and rewrites successful status answers. */
  private static void forward(com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(nodeUrl + ex.getRequestURI()))
              .timeout(Duration.ofSeconds(20));
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type != null) {
        b.header("Content-Type", type);
      }
      String accept = ex.getRequestHeaders().getFirst("Accept");
      if (accept != null) {
        b.header("Accept", accept);
      }
      b.method(
          ex.getRequestMethod(),
          body.length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] out = r.body();
      if (ex.getRequestURI().getPath().startsWith("/v1/status") && r.statusCode() == 200) {
        out =
            rewrite.apply(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      }
      r.headers()
          .firstValue("Content-Type")
          .ifPresent(t -> ex.getResponseHeaders().add("Content-Type", t));
      ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
      ex.getResponseBody().write(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code ledgerpki} in this JVM; returns the exit code and what it printed. */
  private static Run ledgerpki(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(p);
    System.setErr(p);
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  record Run(int code, String output) {}

  private static Run status(Path cert) {
    return ledgerpki(
        "status",
        cert.toString(),
        "--node",
        proxyUrl,
        "--trust",
        trust.toString(),
        "--clock-skew",
        "5s");
  }

  private static Run statusByHash(byte[] der) {
    return ledgerpki(
        "status",
        Hex.encode(Sha256.hash(der)),
        "--node",
        proxyUrl,
        "--trust",
        trust.toString(),
        "--clock-skew",
        "5s");
  }

  private static void assertRefused(Run r, String reason) {
    assertThat(r.code()).as(r.output()).isEqualTo(6);
    assertThat(r.output()).contains(reason);
  }

  private static Path pem(String name, byte[] der) throws Exception {
    Path p = dir.resolve(name + ".pem");
    Files.writeString(
        p,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END CERTIFICATE-----\n");
    return p;
  }

  private static String organization(String org) {
    return policy.member(org).orElseThrow().organization();
  }

  private static KeyPair submissionKey(String org) {
    return g.members().stream()
        .filter(m -> m.id().equals(org))
        .findFirst()
        .map(MemberKeys::submission)
        .orElseThrow();
  }

  /** The node's answer for {@code der} once it is {@code status}. */
  private static String awaitAtNode(byte[] der, String status) throws Exception {
    String hex = Hex.encode(Sha256.hash(der));
    Instant deadline = Instant.now().plusSeconds(90);
    String last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(nodeUrl + "/v1/status/" + hex)).build(),
              HttpResponse.BodyHandlers.ofString());
      last = r.body();
      if (r.statusCode() == 200 && status.equals(JSON.readTree(last).get("status").asText())) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + status + " answer for " + hex + " at the node: " + last);
  }

  private static ObjectNode tree(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Flips one bit of the base64 value at {@code field} (a field of the answer or of its proof). */
  private static UnaryOperator<String> flip(String... path) {
    return json -> {
      ObjectNode a = tree(json);
      JsonNode parent = a;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent.get(path[i]);
      }
      String last = path[path.length - 1];
      JsonNode value = parent.isArray() ? parent.get(Integer.parseInt(last)) : parent.get(last);
      byte[] b = Base64.getDecoder().decode(value.asText());
      b[b.length / 2] ^= 0x04;
      String flipped = Base64.getEncoder().encodeToString(b);
      if (parent.isArray()) {
        ((ArrayNode) parent).set(Integer.parseInt(last), flipped);
      } else {
        ((ObjectNode) parent).put(last, flipped);
      }
      return a.toString();
    };
  }

  @Test
  void everyLieIsRefusedWithItsReasonAndTheTruthPasses() throws Exception {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256, 301);
    byte[] amf = TestPki.issue(TestPki.builder(kp, organization("vendor-a"), "amf-lie"), kp).der();
    byte[] smf =
        TestPki.vendor(SignatureAlgorithm.ED25519, organization("vendor-a"), "smf-lie", 302).der();
    // Another certificate of amf's key, admitted before the key is reported compromised.
    byte[] twin =
        TestPki.issue(TestPki.builder(kp, organization("vendor-a"), "amf-lie-twin"), kp).der();
    SubmissionClient.submit(
        "vendor-a",
        submissionKey("vendor-a"),
        List.of(amf, smf, twin),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
    String amfGood = awaitAtNode(amf, "GOOD");
    String smfGood = awaitAtNode(smf, "GOOD");
    Path amfPem = pem("amf", amf);

    // The truth passes, by certificate and by hash.
    rewrite = UnaryOperator.identity();
    Run honest = status(amfPem);
    assertThat(honest.code()).as(honest.output()).isZero();
    assertThat(statusByHash(amf).code()).isZero();

    // An answer about another certificate, to a query by hash.
    rewrite = json -> smfGood;
    assertRefused(statusByHash(amf), "not the hash asked");
    // ... or to a query with the certificate.
    assertRefused(status(amfPem), "is not the MTC log entry of this certificate");

    // A flipped bit in each proof and signature.
    rewrite = flip("inclusionProof", "0");
    assertRefused(status(amfPem), "inclusion proof");
    rewrite = flip("entry");
    assertRefused(status(amfPem), "");
    // (A flipped bitmap bit announces a sibling the proof does not carry: malformed.)
    rewrite = flip("statusProof", "bitmap");
    assertRefused(status(amfPem), "SMT proof bitmap announces");
    rewrite = flip("statusProof", "keyBitmap");
    assertRefused(status(amfPem), "SMT proof bitmap announces");
    rewrite = flip("certificate");
    assertRefused(statusByHash(amf), "not the hash asked");
    rewrite =
        json -> {
          ObjectNode a = tree(json);
          String note = a.get("checkpoint").asText();
          int line = note.lastIndexOf("\n\u2014 ");
          int at = note.indexOf(' ', line + 3) + 10;
          char c = note.charAt(at);
          a.put(
              "checkpoint",
              note.substring(0, at) + (c == 'A' ? 'B' : 'A') + note.substring(at + 1));
          return a.toString();
        };
    assertRefused(status(amfPem), "");

    // A truncated status count.
    rewrite =
        json -> {
          ObjectNode a = tree(json);
          ObjectNode p = (ObjectNode) a.get("statusProof");
          p.put("count", p.get("count").asLong() + 1);
          return a.toString();
        };
    assertRefused(status(amfPem), "the checkpoint commits to");

    // A malformed answer: a null in a proof list is NOT_VERIFIED, never REVOKED.
    rewrite =
        json -> {
          ObjectNode a = tree(json);
          ((ArrayNode) a.get("inclusionProof")).setNull(0);
          return a.toString();
        };
    assertRefused(status(amfPem), "inclusionProof[0] is null");

    // The owner revokes amf for keyCompromise; the truth now says REVOKED.
    rewrite = UnaryOperator.identity();
    SubmissionClient.submitSigned(
        "vendor-a",
        submissionKey("vendor-a"),
        List.of(
            Submissions.lifecycle(
                "vendor-a",
                Operation.REVOKE,
                Sha256.hash(amf),
                Lifecycle.REASON_KEY_COMPROMISE,
                null)),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix());
    String amfRevoked = awaitAtNode(amf, "REVOKED");
    Run revoked = status(amfPem);
    assertThat(revoked.code()).as(revoked.output()).isEqualTo(1);

    // Now the status map holds events, so its proofs carry siblings: a flipped sibling leads to
    // another root.
    rewrite = flip("statusProof", "siblings", "0");
    assertRefused(status(amfPem), "status map proof at the entry key does not lead to");
    rewrite = flip("statusProof", "keySiblings", "0");
    assertRefused(status(amfPem), "status map proof at the compromised-key key does not lead to");
    rewrite = UnaryOperator.identity();

    // Its twin, admitted earlier on the same key, is REVOKED too, with a proof, and says why.
    awaitAtNode(twin, "REVOKED");
    Run twinRevoked = status(pem("twin", twin));
    assertThat(twinRevoked.code()).as(twinRevoked.output()).isEqualTo(1);
    assertThat(twinRevoked.output())
        .contains("key was reported compromised")
        .contains(Hex.encode(Sha256.hash(amf)));

    // The node hides the revocation: GOOD with the pre-revocation proofs on the new checkpoint.
    rewrite =
        json -> {
          ObjectNode a = tree(json);
          a.put("status", "GOOD");
          a.set("statusProof", tree(amfGood).get("statusProof"));
          a.putNull("revocation");
          return a.toString();
        };
    assertRefused(status(amfPem), "the checkpoint commits to");

    // A re-encoded copy of the revoked certificate, (r, n − s): same entry, so REVOKED at the
    // honest node, found by its entry; a lie that claims it GOOD is refused.
    byte[] copy = AdversaryKit.reencodeEcdsa(amf);
    assertThat(Sha256.hash(copy)).isNotEqualTo(Sha256.hash(amf));
    Path copyPem = pem("amf-copy", copy);
    rewrite = UnaryOperator.identity();
    Run copyHonest = status(copyPem);
    assertThat(copyHonest.code()).as(copyHonest.output()).isEqualTo(1);
    rewrite =
        json -> {
          ObjectNode a = tree(json);
          a.put("status", "GOOD");
          a.putNull("revocation");
          return a.toString();
        };
    assertRefused(status(copyPem), "GOOD but the status map proves REVOKED");

    // The old GOOD answer replayed with a fresh producedAt and nextUpdate: stale once the
    // cosigners' signed time on its checkpoint is older than maxAge.
    long signedAt = newestCosignatureSeconds(amfGood);
    while (Instant.now().getEpochSecond() <= signedAt + MAX_AGE_SECONDS) {
      Thread.sleep(250);
    }
    rewrite =
        json -> {
          ObjectNode a = tree(amfGood);
          a.put("producedAt", Instant.now().toString());
          a.put("nextUpdate", Instant.now().plusSeconds(3600).toString());
          return a.toString();
        };
    assertRefused(status(amfPem), "stale checkpoint");

    // Meanwhile the honest node stays fresh on heartbeats: its answer is verified now too.
    rewrite = UnaryOperator.identity();
    assertThat(status(amfPem).code()).isEqualTo(1);
    assertThat(JSON.readTree(amfRevoked).get("revocation").get("reason").asText())
        .isEqualTo("keyCompromise");
  }

  /** The newest cosignature/v1 timestamp on the answer's checkpoint (a lower bound is enough). */
  private static long newestCosignatureSeconds(String answer) throws Exception {
    String note = JSON.readTree(answer).get("checkpoint").asText();
    long newest = 0;
    for (String line : note.split("\n")) {
      if (line.startsWith("\u2014 ")) {
        byte[] sig = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        if (sig.length == 4 + 8 + 64) {
          newest = Math.max(newest, java.nio.ByteBuffer.wrap(sig, 4, 8).getLong());
        }
      }
    }
    assertThat(newest).as("a cosignature/v1 timestamp on the checkpoint").isPositive();
    return newest;
  }
}
