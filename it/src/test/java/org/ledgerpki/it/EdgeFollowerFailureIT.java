package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;

/**
 * An inquiry node whose ledger follower stops on an error does not stay up as if it served (ADR
 * 0014): by default it exits with status 70, so that its supervisor starts it again; with {@code
 * ledgerpki.inquiry.exit-on-failure=false} it stays up with its liveness and readiness checks DOWN,
 * naming the error. The error here is a real one an operator can make: a Kafka TLS truststore that
 * is not where the node's settings say, which the Kafka client refuses when the follower creates
 * its consumer. A node configured right is live (and not ready while it waits for the topics).
 */
class EdgeFollowerFailureIT {
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static Path policy;
  static LocalConsortium.Connection conn;

  @BeforeAll
  static void files() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    GeneratedConsortium g =
        GeneratedConsortium.generate(
            "it", List.of("vendor-a", "operator-b"), "32473.1", 2, 2, "seed", "200ms", "1h");
    ConsortiumFiles files = new ConsortiumFiles(dir.resolve("consortium"));
    files.write(g.log(), g.members(), g.document());
    policy = files.policy();
    // Topics that do not exist: the follower waits for them, and is live meanwhile.
    conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(),
            kafka.registryUrl(),
            KafkaFixture.uniquePrefix("edge-failure"),
            dir.resolve("state"));
  }

  private static Map<String, String> missingTruststore() {
    Map<String, String> env = new HashMap<>();
    env.put("LEDGERPKI_KAFKA_SECURITY_PROTOCOL", "SSL");
    env.put(
        "LEDGERPKI_KAFKA_SSL_TRUSTSTORE_LOCATION",
        dir.resolve("no-such-truststore.p12").toString());
    return env;
  }

  private static record Node(JvmService process, String url) {}

  private static Node start(String name, Map<String, String> env) throws Exception {
    Path jar = HOME.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the inquiry node is built before the it module").isRegularFile();
    int port = JvmService.freeLoopbackPort();
    JvmService p =
        InquiryNodeProcess.start(
            name,
            jar,
            conn,
            policy,
            Files.createDirectories(dir.resolve(name + "-store")),
            port,
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            dir.resolve(name + "-jvm"),
            dir.resolve(name + ".log"),
            env);
    return new Node(p, "http://127.0.0.1:" + port);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The first answer of {@code path} with {@code status}, within 90 s; null if none came. */
  private static HttpResponse<String> awaitStatus(Node node, String path, int status)
      throws Exception {
    return awaitStatus(node, path, status, "");
  }

  /**
   * The first answer of {@code path} with {@code status} whose body contains {@code text}, within
   * 90 s; null if none came.
   */
  private static HttpResponse<String> awaitStatus(Node node, String path, int status, String text)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline) && node.process().isAlive()) {
      try {
        HttpResponse<String> r = get(node.url() + path);
        if (r.statusCode() == status && r.body().contains(text)) {
          return r;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    return null;
  }

  @Test
  void aNodeWhoseFollowerStoppedExitsWithStatus70() throws Exception {
    Node node = start("exits", missingTruststore());
    try (JvmService p = node.process()) {
      Integer code = p.awaitExit(Duration.ofSeconds(120));
      String log = Files.readString(p.logFile());
      assertThat(code).as("exit status; log:\n%s", p.logTail(40)).isEqualTo(70);
      assertThat(log)
          .contains("the ledger follower stopped on an unexpected error")
          .contains("exiting with status 70")
          .contains("no-such-truststore.p12");
    }
  }

  @Test
  void withoutTheExitTheNodeIsNeitherLiveNorReadyAndSaysWhy() throws Exception {
    Map<String, String> env = missingTruststore();
    env.put("LEDGERPKI_INQUIRY_EXIT_ON_FAILURE", "false");
    Node node = start("stays", env);
    try (JvmService p = node.process()) {
      HttpResponse<String> live = awaitStatus(node, "/q/health/live", 503);
      assertThat(live).as("liveness DOWN; log:\n%s", p.logTail(40)).isNotNull();
      assertThat(live.body())
          .contains("\"ledger-follower\"")
          .contains("\"DOWN\"")
          .contains("Failed to construct kafka consumer");
      assertThat(get(node.url() + "/q/health/ready").statusCode()).isEqualTo(503);
      assertThat(p.isAlive()).as("still running").isTrue();
      assertThat(p.awaitExit(Duration.ofSeconds(3))).as("it does not exit").isNull();
    }
  }

  @Test
  void aNodeConfiguredRightIsLiveWhileItWaitsForTheTopics() throws Exception {
    Node node = start("waits", Map.of());
    try (JvmService p = node.process()) {
      HttpResponse<String> live = awaitStatus(node, "/q/health/live", 200);
      assertThat(live).as("liveness UP; log:\n%s", p.logTail(40)).isNotNull();
      assertThat(live.body()).contains("\"ledger-follower\"").contains("\"UP\"");
      // Not ready: the ledger topics do not exist. Its phase says so once the follower has asked.
      assertThat(get(node.url() + "/q/health/ready").statusCode()).isEqualTo(503);
      assertThat(awaitStatus(node, "/q/health/ready", 503, "waiting for topics"))
          .as("readiness DOWN, waiting for the topics; log:\n%s", p.logTail(40))
          .isNotNull();
      assertThat(get(node.url() + "/q/health/live").statusCode())
          .as("still live while it waits")
          .isEqualTo(200);
    }
  }
}
