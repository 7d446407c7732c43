package org.ledgerpki.launcher.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.ExitCodes;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.cli.Progress;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.EmbeddedRegistry;
import org.ledgerpki.embedded.JvmService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledgerpki demo}: the whole consortium on this machine, on an embedded Kafka broker and
 * schema registry. It submits certificates, waits until they are decided and cosigned, checks every
 * answer of the inquiry node offline, and prints what happened.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole consortium on this machine, then keep it running.",
      "Starts an embedded Kafka broker (KRaft) and schema registry,",
      "three organisations with their validators and cosigners, the issuance stream",
      "and an inquiry node. Submits certificates (some of which must be rejected), waits until",
      "they are cosigned, verifies every answer offline, revokes, suspends and resumes, admits a",
      "fourth member by quorum (governance on the ledger) and prints the policy chain and a",
      "summary; then keeps running until Ctrl-C (or exits with --once)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final List<String> MEMBERS = List.of("vendor-a", "operator-b", "operator-c");

  @Option(
      names = "--data-dir",
      defaultValue = "demo-data",
      description =
          "Where the demo keeps its keys, certificates, ledger and logs (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--once",
      description =
          "Exit after the summary; the exit code says whether everything went as expected.")
  boolean once;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port of the inquiry node (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description =
          "Seconds to wait for the ledger to decide and cosign (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final long started = System.nanoTime();

  private void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%5.1fs] %s%n",
        (System.nanoTime() - started) / 1e9,
        String.format(Locale.ROOT, format, args));
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("ledgerpki.home", ".")).toAbsolutePath().normalize();
    Path inquiryJar = home.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(inquiryJar)) {
      System.err.println(
          "ledgerpki demo: the inquiry node is not built ("
              + inquiryJar
              + " is missing); run ./ledgerpki from the repository root, which builds it, or ./mvnw package -DskipTests");
      return ExitCodes.USAGE;
    }
    if (!portFree(port)) {
      System.err.println(
          "ledgerpki demo: port " + port + " is in use; stop what uses it or pass --port N");
      return ExitCodes.USAGE;
    }
    Path data = dataDir.toAbsolutePath().normalize();
    resetLedger(data);
    // The services log to a file; the console shows the demo's own progress and warnings.
    System.setProperty("ledgerpki.log.file", data.resolve("logs/services.log").toString());
    // The demo reports what happens; the services' own warnings go to that file only.
    System.setProperty("ledgerpki.console.level", "ERROR");
    System.out.println(
        "ledger-pki demo: a consortium of "
            + String.join(", ", MEMBERS)
            + " on this machine (data in "
            + data
            + ")");

    CompletableFuture<EmbeddedKafka> kafkaF =
        CompletableFuture.supplyAsync(
            () -> EmbeddedKafka.builder().dataDir(data.resolve("kafka")).start());
    CompletableFuture<EmbeddedRegistry> registryF =
        CompletableFuture.supplyAsync(EmbeddedRegistry::start);

    GeneratedConsortium g =
        GeneratedConsortium.generate("demo-5gc", MEMBERS, "32473.1", 2, 2, "seed", "500ms", "20s");
    ConsortiumFiles files = new ConsortiumFiles(data);
    // Every run generates a fresh consortium: the keys of the previous run are replaced.
    TrustPolicy policy = files.write(g.log(), g.members(), g.document(), true);
    say(
        "generated keys for the log and %d members; trust policy %s (k=%d of %d validators, m=%d of %d cosigners)",
        MEMBERS.size(),
        files.policy(),
        policy.endorsementQuorum(),
        policy.validatorCount(),
        policy.cosignerQuorum(),
        MEMBERS.size());
    DemoPlan plan =
        DemoPlan.generate(
            MEMBERS,
            MEMBERS.stream().map(id -> policy.member(id).orElseThrow().organization()).toList());
    writeCertificates(data, plan);

    List<AutoCloseable> toClose = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch stop = new CountDownLatch(1);
    // At exit (Ctrl-C): the services, the node, the registry and the broker, in that order, before
    // the child JVMs are reaped. closeAll empties the list, so closing twice is harmless.
    JvmService.atExit(
        () -> {
          stop.countDown();
          closeAll(toClose);
        });
    try {
      EmbeddedKafka kafka = kafkaF.join();
      toClose.add(kafka);
      EmbeddedRegistry registry = registryF.join();
      toClose.add(registry);
      say(
          "Kafka broker (KRaft, 1 node) at %s; schema registry at %s",
          kafka.bootstrapServers(), registry.url());

      LocalConsortium.Connection conn =
          new LocalConsortium.Connection(
              kafka.bootstrapServers(), registry.url(), "", data.resolve("state"));
      LocalConsortium consortium =
          LocalConsortium.start(conn, files.policy(), g.log(), g.members(), Duration.ofSeconds(90));
      toClose.add(consortium);
      say(
          "started %d services: a validator and a cosigner per member, the aggregator, the issuance stream",
          consortium.size());

      JvmService inquiry =
          InquiryNodeProcess.start(
              "inquiry",
              inquiryJar,
              conn,
              files.policy(),
              data.resolve("inquiry"),
              port,
              // Full JIT (C2), unlike the demo's other JVMs: the node keeps answering after the
              // demo's checks, and C2 serves it 3-6 times faster than C1 alone (BENCHMARKS.md, P3).
              List.of("-Xmx512m"),
              data.resolve("inquiry-jvm"),
              data.resolve("logs/inquiry.log"));
      toClose.add(0, inquiry);
      String node = "http://localhost:" + port;

      submitWave(1, plan, g, conn);
      if (!inquiry.awaitHttpOk(URI.create(node + "/q/health/ready"), Duration.ofSeconds(90))) {
        System.err.println(
            "ledgerpki demo: the inquiry node did not become ready; see " + inquiry.logFile());
        return ExitCodes.DEMO_FAILED;
      }
      say("inquiry node ready at %s (log %s)", node, inquiry.logFile());
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Map<String, StatusAnswer> answers =
          awaitDecided(
              http, node, plan.certificates().stream().filter(c -> c.wave() == 1).toList());
      submitWave(2, plan, g, conn);
      answers.putAll(
          awaitDecided(
              http, node, plan.certificates().stream().filter(c -> c.wave() == 2).toList()));

      boolean ok = report(plan, answers, files, http, node, policy, g, conn, data);
      if (once) {
        return ok ? ExitCodes.OK : ExitCodes.DEMO_FAILED;
      }
      System.out.println();
      System.out.println("The consortium keeps running; press Ctrl-C to stop it.");
      stop.await();
      return ok ? ExitCodes.OK : ExitCodes.DEMO_FAILED;
    } finally {
      closeAll(toClose);
    }
  }

  private void submitWave(
      int wave, DemoPlan plan, GeneratedConsortium g, LocalConsortium.Connection conn)
      throws Exception {
    Map<String, List<byte[]>> bySubmitter = new LinkedHashMap<>();
    for (DemoPlan.DemoCert c : plan.certificates()) {
      if (c.wave() == wave) {
        bySubmitter.computeIfAbsent(c.submitter(), k -> new ArrayList<>()).add(c.der());
      }
    }
    for (var e : bySubmitter.entrySet()) {
      KeyPair key =
          DemoPlan.OUTSIDER.equals(e.getKey())
              ? org.ledgerpki.core.crypto.Keys.generate(
                  org.ledgerpki.core.crypto.SignatureAlgorithm.ED25519)
              : g.members().stream()
                  .filter(m -> m.id().equals(e.getKey()))
                  .findFirst()
                  .map(MemberKeys::submission)
                  .orElseThrow();
      SubmissionClient.submit(
          e.getKey(),
          key,
          e.getValue(),
          conn.bootstrap(),
          conn.registryUrl(),
          conn.topicPrefix(),
          null);
      say(
          "%s submitted %d certificate(s)%s",
          e.getKey(),
          e.getValue().size(),
          DemoPlan.OUTSIDER.equals(e.getKey()) ? " (it is not a member)" : "");
    }
  }

  /** Polls the inquiry node until every certificate is GOOD or REJECTED. */
  private Map<String, StatusAnswer> awaitDecided(
      HttpClient http, String node, List<DemoPlan.DemoCert> certs) throws Exception {
    Map<String, StatusAnswer> done = new LinkedHashMap<>();
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    Progress bar = new Progress(System.out, "deciding", certs.size());
    while (done.size() < certs.size() && Instant.now().isBefore(deadline)) {
      for (DemoPlan.DemoCert c : certs) {
        if (done.containsKey(c.sha256())) {
          continue;
        }
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(node + "/v1/status/" + c.sha256()))
                    .timeout(DemoPlan.REQUEST_TIMEOUT)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          StatusAnswer a = StatusAnswer.fromJson(r.body());
          if (!"PENDING".equals(a.status())) {
            done.put(c.sha256(), a);
          }
        }
      }
      bar.update(done.size());
      if (done.size() < certs.size()) {
        Thread.sleep(250);
      }
    }
    bar.finish();
    if (done.size() < certs.size()) {
      say(
          "%d certificate(s) still undecided after %d s",
          certs.size() - done.size(), timeoutSeconds);
    }
    return done;
  }

  private boolean report(
      DemoPlan plan,
      Map<String, StatusAnswer> answers,
      ConsortiumFiles files,
      HttpClient http,
      String node,
      TrustPolicy policy,
      GeneratedConsortium g,
      LocalConsortium.Connection conn,
      Path data)
      throws Exception {
    TrustBundle bundle = TrustBundle.parse(Files.readString(files.trust()));
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofSeconds(60));
    boolean ok = DemoReport.decisions(plan, answers, verifier, files.trust());
    ok &= DemoReport.checkpointAndMtc(plan, answers, http, node, policy, bundle, verifier);
    if (ok) {
      ok = lifecycle(plan, g, conn, http, node, verifier, data);
    }
    if (ok) {
      // Governance on the ledger: a fourth member admitted by quorum, the chain followed.
      ok =
          new DemoGovernance(data, files, g, conn, node, this::say)
              .admitFourthMember(find(plan, "vendor-a", "smf-1").der(), timeoutSeconds);
    }

    System.out.println();
    // The query examples use a certificate that stays GOOD (amf-1 is revoked above).
    DemoReport.queryHints(find(plan, "vendor-a", "smf-1"), files, node, conn);
    System.out.println();
    System.out.println(
        ok
            ? "Demo result: every certificate was decided as expected and every answer verified offline."
            : "Demo result: SOMETHING DID NOT GO AS EXPECTED (see above).");
    return ok;
  }

  /**
   * Revocation and suspension, end to end: the owner revokes one certificate, a Keylime attestation
   * failure suspends another, its operator resumes it; each answer verified offline.
   */
  private boolean lifecycle(
      DemoPlan plan,
      GeneratedConsortium g,
      LocalConsortium.Connection conn,
      HttpClient http,
      String node,
      StatusVerifier verifier,
      Path data)
      throws Exception {
    DemoPlan.DemoCert revoked = find(plan, "vendor-a", "amf-1");
    DemoPlan.DemoCert suspended = find(plan, "operator-b", "segw-1");
    System.out.println();
    say(
        "lifecycle: a revocation (and the revoked certificate resubmitted, re-encoded), a"
            + " suspension by continuous attestation, a resumption");
    DemoLifecycle act = new DemoLifecycle(data, g, conn, http, node, verifier, this::say);
    List<DemoLifecycle.Step> steps = new ArrayList<>();
    steps.add(act.revoke(revoked));
    DemoLifecycle.pause();
    steps.add(act.resubmitReencoded(revoked));
    DemoLifecycle.pause();
    steps.add(act.suspendThroughKeylime(suspended));
    DemoLifecycle.pause();
    steps.add(act.resume(suspended));
    System.out.println();
    System.out.println(
        "Lifecycle (time from the request until the inquiry node shows it; answers verified"
            + " offline):");
    boolean ok = true;
    for (DemoLifecycle.Step st : steps) {
      System.out.printf(
          Locale.ROOT,
          "  %-55s %-9s after %.2f s  %s%n",
          st.what(),
          st.status(),
          st.seconds(),
          st.proof());
      ok &= st.ok();
    }
    return ok;
  }

  static DemoPlan.DemoCert find(DemoPlan plan, String submitter, String name) {
    return plan.certificates().stream()
        .filter(c -> c.submitter().equals(submitter) && c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void writeCertificates(Path data, DemoPlan plan) throws IOException {
    for (DemoPlan.DemoCert c : plan.certificates()) {
      Path f = data.resolve("certs").resolve(c.submitter()).resolve(c.name() + ".pem");
      Files.createDirectories(f.getParent());
      try {
        Files.writeString(
            f, Certificates.pem(Certificates.parse(c.der())), StandardCharsets.US_ASCII);
      } catch (org.ledgerpki.core.MalformedInputException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Each run starts a fresh ledger: the broker's data, the services' state and the node's store.
   */
  private static void resetLedger(Path data) throws IOException {
    for (String sub : List.of("kafka", "state", "inquiry", "inquiry-jvm", "certs", "logs")) {
      Path p = data.resolve(sub);
      if (Files.exists(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(x);
          }
        }
      }
    }
    Files.createDirectories(data);
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Closes the resources, last added first, and empties the list. A second caller waits until the
   * first has finished, so that the exit path never reaps the child JVMs under closing services.
   */
  private static void closeAll(List<AutoCloseable> resources) {
    synchronized (resources) {
      for (AutoCloseable c : new ArrayList<>(resources).reversed()) {
        try {
          c.close();
        } catch (Exception e) {
          // Keep closing the rest.
        }
      }
      resources.clear();
    }
  }
}
