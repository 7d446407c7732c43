package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.List;
import java.util.Set;
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
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.config.KeyFiles;
import picocli.CommandLine;

/**
 * Governance as a relying party and the members' tools see it, on a real broker with the
 * consortium's services and an inquiry node (the Quarkus service in its own JVM): members propose
 * and approve a new member's admission with {@code ledgerpki policy}, the issuance stream sequences
 * it, the node serves the chain, {@code ledgerpki trust update} follows it from the genesis bundle,
 * and {@code ledgerpki status} says the genesis bundle is behind an answer issued under the new
 * policy while the updated bundle verifies it without notice.
 */
class GovernanceEdgeIT {
  private static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  private static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();

  @TempDir static Path dir;
  static GeneratedConsortium g;
  static ConsortiumFiles files;
  static LocalConsortium services;
  static LocalConsortium.Connection conn;
  static JvmService node;
  static String url;
  static TrustPolicy genesis;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("gov-edge");
    g = GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    files = new ConsortiumFiles(dir.resolve("consortium"));
    genesis = files.write(g.log(), g.members(), g.document());
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
            "gov-edge",
            jar,
            conn,
            files.policy(),
            dir.resolve("inquiry"),
            port,
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            dir.resolve("inquiry-jvm"),
            dir.resolve("inquiry.log"));
    url = "http://127.0.0.1:" + port;
    assertThat(node.awaitHttpOk(URI.create(url + "/q/health/ready"), Duration.ofSeconds(120)))
        .as("inquiry node ready; log:\n%s", node.logTail(40))
        .isTrue();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (services != null) {
      services.close();
    }
  }

  /** The exit code, stdout and stderr of one {@code ledgerpki} run. */
  record Run(int code, String out, String err) {}

  private static synchronized Run ledgerpki(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new LedgerPki()).execute(args);
      return new Run(
          code,
          withoutServiceLog(o.toString(StandardCharsets.UTF_8)),
          withoutServiceLog(e.toString(StandardCharsets.UTF_8)));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static final java.util.regex.Pattern SERVICE_LOG_LINE =
      java.util.regex.Pattern.compile(
          "(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) .*(\\R|$)");

  /**
   * The captured stream without the log lines of the services running in this JVM: their console
   * appender writes to whatever {@code System.out} is while the command runs, so a cosigner's
   * "signed the subtrees …" could otherwise come before the command's own first line.
   */
  private static String withoutServiceLog(String captured) {
    return SERVICE_LOG_LINE.matcher(captured).replaceAll("");
  }

  private static List<String> kafkaArgs() {
    return List.of(
        "--bootstrap",
        conn.bootstrap(),
        "--registry",
        conn.registryUrl(),
        "--topic-prefix",
        conn.topicPrefix(),
        "--consortium",
        files.dir().toString());
  }

  private static Run member(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(kafkaArgs());
    return ledgerpki(all.toArray(String[]::new));
  }

  private static long servedSerial() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v1/policy")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.body())
        .get("serial")
        .asLong();
  }

  /** Waits until the certificate is GOOD at the node under a checkpoint naming {@code serial}. */
  private static void awaitGoodUnder(byte[] cert, long serial) throws Exception {
    String hex = Hex.encode(Sha256.hash(cert));
    String line = "ledger-pki-policy " + serial + " ";
    Instant deadline = Instant.now().plusSeconds(90);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/status/" + hex)).build(),
              HttpResponse.BodyHandlers.ofString());
      last = r.body();
      if (r.statusCode() == 200 && last.contains("\"GOOD\"") && last.contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not GOOD under a checkpoint naming policy " + serial + " within 90 s; last: " + last);
  }

  @Test
  void aPolicyChangeIsServedFollowedFromTheGenesisBundleAndVerifies() throws Exception {
    Path genesisBundle = dir.resolve("trust-genesis.json");
    Files.copy(files.trust(), genesisBundle);
    Path bundle = dir.resolve("trust.json");
    Files.copy(files.trust(), bundle);
    assertThat(TrustBundle.parse(Files.readString(bundle)).policySerial()).isEqualTo(1L);

    // The new member's keys and the proposed policy: genesis plus operator-d, a submitter.
    MemberKeys d =
        MemberKeys.generate(
            "operator-d",
            "Operator D",
            "Operator D",
            List.of("001-05"),
            Set.of(Role.SUBMITTER),
            null);
    KeyFiles.write(files.submissionKey("operator-d"), d.submission().getPrivate());
    List<PolicyDocument.MemberDoc> members = new ArrayList<>(genesis.document().members());
    members.add(d.toDocument().withDomains(List.of("operator-d.example")));
    Path proposed = dir.resolve("policy-2.yaml");
    Files.writeString(
        proposed,
        genesis.document().withMembers(members).withSerial(2).toYaml(),
        StandardCharsets.UTF_8);

    Run propose = member("policy", "propose", proposed.toString(), "--org", "vendor-a");
    assertThat(propose.code()).as("%s", propose).isZero();
    assertThat(propose.out())
        .contains("member added: operator-d")
        .contains("Proposed policy serial 2");

    // The member being admitted is not a member of the current policy: its tool refuses.
    Run self = member("policy", "approve", "2", "--org", "operator-d");
    assertThat(self.code()).as("%s", self).isEqualTo(2);
    assertThat(self.err())
        .contains("'operator-d' is not a member of the current policy (serial 1)");
    // A serial that is not the next one is refused by name.
    Run wrong = member("policy", "approve", "3", "--org", "operator-b");
    assertThat(wrong.code()).as("%s", wrong).isEqualTo(2);
    assertThat(wrong.err()).contains("serial 3 cannot be approved yet");
    assertThat(servedSerial()).as("one approval of the two needed changes nothing").isEqualTo(1);

    Run approve = member("policy", "approve", "2", "--org", "operator-b");
    assertThat(approve.code()).as("%s", approve).isZero();
    assertThat(approve.out()).contains("the quorum is reached");

    Instant deadline = Instant.now().plusSeconds(90);
    while (servedSerial() < 2 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(servedSerial()).as("the node serves the sequenced change").isEqualTo(2);

    // The chain, verified from the genesis file.
    Run show = ledgerpki("policy", "show", "--node", url, "--genesis", files.policy().toString());
    assertThat(show.code()).as("%s", show).isZero();
    assertThat(show.out())
        .contains("serial 2  sha256 ")
        .containsPattern("approved by \\[(vendor-a, operator-b|operator-b, vendor-a)\\]")
        .contains("member added: operator-d");

    // A certificate admitted after the switch: its answer's checkpoint names policy serial 2.
    byte[] cert =
        TestPki.vendor(
                SignatureAlgorithm.ED25519,
                genesis.member("vendor-a").orElseThrow().organization(),
                "nf-after-change",
                71)
            .der();
    SubmissionClient.submit(
        "vendor-a",
        g.members().get(0).submission(),
        List.of(cert),
        conn.bootstrap(),
        conn.registryUrl(),
        conn.topicPrefix(),
        null);
    awaitGoodUnder(cert, 2);
    Path certFile = dir.resolve("nf-after-change.der");
    Files.write(certFile, cert);

    // With the genesis bundle the answer is issued under a newer policy: said so.
    Run behind =
        ledgerpki(
            "status", certFile.toString(), "--trust", genesisBundle.toString(), "--node", url);
    assertThat(behind.err())
        .contains(
            "the trust bundle is behind (serial 1, the answer needs 2): run ledgerpki trust update");

    // trust update follows the chain from the genesis bundle.
    Run update = ledgerpki("trust", "update", "--node", url, "--trust", bundle.toString());
    assertThat(update.code()).as("%s", update).isZero();
    assertThat(update.out()).contains("policy serial 1 -> 2").contains("member added: operator-d");
    TrustBundle updated = TrustBundle.parse(Files.readString(bundle));
    assertThat(updated.policySerial()).isEqualTo(2L);
    assertThat(updated.policySha256())
        .isEqualTo(Hex.encode(Sha256.hash(Files.readAllBytes(proposed))));

    // With the updated bundle the answer verifies, without notice.
    Run ok = ledgerpki("status", certFile.toString(), "--trust", bundle.toString(), "--node", url);
    assertThat(ok.code()).as("%s", ok).isZero();
    assertThat(ok.out()).startsWith("GOOD");
    assertThat(ok.err()).doesNotContain("behind");
  }
}
