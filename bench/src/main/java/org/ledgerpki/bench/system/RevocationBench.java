package org.ledgerpki.bench.system;

import java.io.IOException;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ledgerpki.bench.system.IssueLoad.Background;
import org.ledgerpki.bench.system.RevocationWatch.Pending;
import org.ledgerpki.bench.system.RevocationWatch.Poller;
import org.ledgerpki.bench.system.RevocationWatch.Stages;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.EmbeddedRegistry;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * P5: revocation propagation. The whole consortium on the embedded broker (validators, issuance,
 * cosigners and aggregator in this JVM) and two inquiry nodes (Quarkus child JVMs with their own
 * stores and ports). It admits the certificates through the pipeline, waits until both nodes answer
 * GOOD for each, then, under a steady background of new ISSUE submissions, revokes them at a fixed
 * rate (signed REVOKE submissions of the owner, acks=all, as {@code ledgerpki revoke} does) and
 * polls both nodes for each: a revocation's propagation time runs from just before its request is
 * signed and produced until the last of the two nodes answers REVOKED. A sample of the REVOKED
 * answers is verified offline against the trust bundle.
 */
@Command(
    name = "revocation",
    mixinStandardHelpOptions = true,
    description = "P5: revocation propagation to two inquiry nodes (see BENCHMARKS.md).")
public final class RevocationBench implements Callable<Integer> {
  /** The file that marks a work directory as this benchmark's scratch, safe to empty. */
  static final String MARKER = ".ledgerpki-bench-revocation";

  private static final String OWNER = "vendor-a";

  @Option(
      names = "--certs",
      defaultValue = "1000",
      description = "Certificates admitted first, the first --revocations of which are revoked.")
  int certs;

  @Option(
      names = "--revocations",
      defaultValue = "1000",
      description = "Revocations (default: ${DEFAULT-VALUE}).")
  int revocations;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "Revocations offered per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--background-rate",
      defaultValue = "50",
      description =
          "New certificates submitted per second while revoking; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  double backgroundRate;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "200ms",
      description = "The generated policy's checkpoints.interval (default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(
      names = "--commit-interval",
      description =
          "Commit interval of every service (the shared ledgerpki.streams.commit-interval, 10ms to"
              + " 60s); unset, each service keeps its default (100ms).")
  String commitInterval;

  @Option(
      names = "--poll-ms",
      defaultValue = "20",
      description =
          "How often each node is asked about each pending revocation (default:"
              + " ${DEFAULT-VALUE}).")
  int pollMs;

  @Option(
      names = "--poll-concurrency",
      defaultValue = "1",
      description =
          "How many requests each node's poller has open at once (default: ${DEFAULT-VALUE}, one"
              + " after another; see BENCHMARKS.md, P5, for 32).")
  int pollConcurrency;

  @Option(
      names = "--alg",
      defaultValue = "ecdsa-p256",
      description = "Key algorithm of the certificates (default: ${DEFAULT-VALUE}).")
  String alg;

  @Option(
      names = "--work-dir",
      defaultValue = "target/bench-p5",
      description = "Scratch directory (default: ${DEFAULT-VALUE}).")
  Path work;

  private final long started = System.nanoTime();

  private void say(String fmt, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%6.1fs] %s%n",
        (System.nanoTime() - started) / 1e9,
        String.format(Locale.ROOT, fmt, args));
  }

  @Override
  public Integer call() throws Exception {
    if (revocations > certs
        || revocations <= 0
        || rate <= 0
        || pollMs <= 0
        || pollConcurrency <= 0) {
      System.err.println(
          "ledgerpki bench revocation: need 0 < --revocations <= --certs, --rate > 0, --poll-ms > 0,"
              + " --poll-concurrency > 0");
      return 2;
    }
    Map<String, String> serviceSettings;
    try {
      serviceSettings = BenchServiceSettings.of(commitInterval);
    } catch (ConfigException e) {
      System.err.println("ledgerpki bench revocation: --commit-interval: " + e.getMessage());
      return 2;
    }
    work = work.toAbsolutePath().normalize();
    Path home = Path.of(System.getProperty("ledgerpki.home", ".")).toAbsolutePath().normalize();
    Path inquiryJar = home.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(inquiryJar)) {
      System.err.println("ledgerpki bench revocation: " + inquiryJar + " is missing; build first");
      return 2;
    }
    try {
      ScratchFiles.resetWorkDir(work, MARKER, "ledgerpki bench revocation");
    } catch (IllegalStateException e) {
      System.err.println("ledgerpki bench revocation: --work-dir: " + e.getMessage());
      return 2;
    }
    System.setProperty("ledgerpki.log.file", work.resolve("services.log").toString());
    System.setProperty("ledgerpki.console.level", "ERROR");
    SignatureAlgorithm algorithm = SignatureAlgorithm.fromName(alg);
    double measureSeconds = revocations / rate;
    int backgroundCount = (int) Math.ceil(backgroundRate * (measureSeconds + 30));
    say(
        "P5 revocation benchmark: %d certificates, %d revocations at %.1f/s, background %.0f"
            + " certificates/s, checkpoint interval %s, polling every %d ms; %d cores, JDK %s",
        certs,
        revocations,
        rate,
        backgroundRate,
        checkpointInterval,
        pollMs,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    say("%s", BenchServiceSettings.describe(serviceSettings, checkpointInterval));
    List<byte[]> targets = IssueLoad.generate(algorithm, certs, "nf");
    List<byte[]> background = IssueLoad.generate(algorithm, backgroundCount, "bg");
    say("generated %d + %d background certificates", targets.size(), background.size());
    GeneratedConsortium gc =
        GeneratedConsortium.generate(
            "bench",
            List.of(OWNER, "operator-b", "operator-c"),
            "32473.1",
            2,
            2,
            "seed",
            checkpointInterval,
            "1h");
    TrustPolicy policy = TrustPolicyReader.of(gc.document(), "bench");
    Path policyFile = work.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    StatusVerifier verifier =
        new StatusVerifier(TrustBundle.fromPolicy(policy), Duration.ofSeconds(60));
    MemberKeys owner = gc.members().get(0);
    String prefix = "p5.";
    List<JvmService> nodes = new ArrayList<>();
    try (EmbeddedKafka kafka =
            EmbeddedKafka.builder().dataDir(work.resolve("kafka")).heap("1g").start();
        EmbeddedRegistry registry = EmbeddedRegistry.start()) {
      LocalConsortium.Connection conn =
          new LocalConsortium.Connection(
              kafka.bootstrapServers(), registry.url(), prefix, work.resolve("state"));
      try (LocalConsortium services =
              LocalConsortium.start(
                  conn,
                  policyFile,
                  gc.log(),
                  gc.members(),
                  EnumSet.allOf(LocalConsortium.Service.class),
                  serviceSettings,
                  Duration.ofSeconds(120));
          LedgerSerdes serdes = LedgerSerdes.registry(registry.url())) {
        say("broker %s, %d services started", kafka.bootstrapServers(), services.size());
        List<String> urls = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
          int port = ScratchFiles.freePort();
          nodes.add(startNode(n, port, inquiryJar, kafka, registry, policyFile, prefix));
          urls.add("http://127.0.0.1:" + port);
        }
        for (int n = 0; n < nodes.size(); n++) {
          if (!nodes
              .get(n)
              .awaitHttpOk(URI.create(urls.get(n) + "/q/health/ready"), Duration.ofSeconds(120))) {
            System.err.println("inquiry node " + n + " not ready; see " + nodes.get(n).logFile());
            return 1;
          }
        }
        say("inquiry nodes ready at %s", urls);
        Topics topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
        BatchSigner signer =
            new BatchSigner(OWNER, owner.submission().getPrivate(), owner.submission().getPublic());
        try (KafkaProducer<String, Submission> producer = IssueLoad.producer(kafka, topics)) {
          long t = System.nanoTime();
          IssueLoad.sendIssues(producer, topics, signer, targets);
          say("admitting: %d ISSUE submissions acknowledged", targets.size());
          List<String> shas = targets.stream().map(d -> Hex.encode(Sha256.hash(d))).toList();
          String goodBody = awaitGood(urls, shas, Duration.ofMinutes(10));
          if (goodBody == null) {
            return 1;
          }
          say(
              "all %d GOOD at both nodes %.1f s after the first submission",
              shas.size(), (System.nanoTime() - t) / 1e9);
          verifyGood(verifier, goodBody, targets, shas);
          return measure(
              kafka.bootstrapServers(),
              producer,
              topics,
              signer,
              urls,
              targets,
              shas,
              background,
              verifier,
              goodBody);
        }
      }
    } finally {
      for (JvmService n : nodes) {
        n.close();
      }
    }
  }

  private int measure(
      String bootstrap,
      KafkaProducer<String, Submission> producer,
      Topics topics,
      BatchSigner signer,
      List<String> urls,
      List<byte[]> targets,
      List<String> shas,
      List<byte[]> background,
      StatusVerifier verifier,
      String goodBody)
      throws Exception {
    Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    List<Pending> all = new ArrayList<>();
    long sizeBefore = RevocationWatch.checkpointSize(urls.get(0));
    Background bg = new Background(producer, topics, signer, background, backgroundRate);
    Thread bgThread = new Thread(bg, "p5-background");
    List<Poller> pollers = new ArrayList<>();
    List<Thread> pollThreads = new ArrayList<>();
    for (int n = 0; n < urls.size(); n++) {
      Poller p = new Poller(n, urls.get(n), pending, pollMs, pollConcurrency);
      pollers.add(p);
      pollThreads.add(new Thread(p, "p5-poll-" + n));
    }
    Stages stages = new Stages(bootstrap, topics, all);
    Thread stageThread = new Thread(stages, "p5-stages");
    stageThread.start();
    bgThread.start();
    Thread.sleep(2000); // let the background load settle
    pollThreads.forEach(Thread::start);
    say(
        "revoking %d certificates at %.1f/s under %.0f new certificates/s",
        revocations, rate, backgroundRate);
    long[] ack = new long[revocations];
    long start = System.nanoTime();
    long period = (long) (1e9 / rate);
    for (int i = 0; i < revocations; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long t0 = System.nanoTime();
      Pending p = new Pending(i, shas.get(i), t0, urls.size());
      synchronized (all) {
        all.add(p);
      }
      pending.put(i, p);
      Submission.Builder b =
          Submissions.lifecycle(
              OWNER,
              Operation.REVOKE,
              Hex.decode(shas.get(i)),
              Lifecycle.REASON_KEY_COMPROMISE,
              null);
      Submissions.Keyed k = Submissions.sign(signer, List.of(b)).get(0);
      producer
          .send(new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission()))
          .get();
      ack[i] = System.nanoTime() - t0;
      if ((i + 1) % 100 == 0) {
        long done;
        synchronized (all) {
          done = all.stream().filter(Pending::done).count();
        }
        say("  %d requested, %d shown REVOKED at both nodes", i + 1, done);
      }
    }
    double offered = revocations / ((System.nanoTime() - start) / 1e9);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double measured = (System.nanoTime() - bg.startedAt) / 1e9;
    bg.stop();
    bgThread.join();
    pollers.forEach(Poller::stop);
    for (Thread t : pollThreads) {
      t.join();
    }
    stages.running = false;
    stageThread.join();
    Thread.sleep(3000);
    long sizeAfter = RevocationWatch.checkpointSize(urls.get(0));
    List<Pending> done = all.stream().filter(Pending::done).toList();
    System.out.println();
    RevocationReport.propagation(this::say, done, revocations, offered, urls.size());
    double watched = stages.watchedNanos / 1e9;
    say(
        "  checkpoints seen in %.1f s (heartbeats included): %d log-signed (%.1f/s), %d cosigned"
            + " (%.1f/s)",
        watched,
        stages.signedRecords,
        stages.signedRecords / watched,
        stages.cosignedRecords,
        stages.cosignedRecords / watched);
    Percentiles acks = new Percentiles(ack);
    say(
        "  sign + produce + ack (acks=all): p50 %.1f ms, p99 %.1f ms",
        acks.at(50) / 1e6, acks.at(99) / 1e6);
    say(
        "  background: %d ISSUE submissions sent in %.1f s (%.1f/s offered); the log grew by %d"
            + " entries during the run (%.1f/s admitted and cosigned)",
        bg.sent.get(),
        measured,
        bg.sent.get() / measured,
        sizeAfter - sizeBefore,
        (sizeAfter - sizeBefore) / (measured + 3));
    for (Poller p : pollers) {
      say(
          "  polling node %d: %d status requests, %.1f ms each on average",
          p.node, p.requests.get(), p.nanos.get() / 1e6 / Math.max(1, p.requests.get()));
    }
    int verified = 0;
    int sampled = 0;
    int revokedBytes = 0;
    for (Pending p : done) {
      if (p.i % 10 != 0) {
        continue;
      }
      for (int n = 0; n < urls.size(); n++) {
        sampled++;
        StatusAnswer a = StatusAnswer.fromJson(p.bodies[n]);
        // Judged when the node served it, as the relying party would: under a backlog the run
        // ends minutes after the first answers, which are then past the freshness window.
        Instant received = Instant.now().minusNanos(System.nanoTime() - p.seen.get(n));
        StatusVerifier.Verified v = verifier.verify(a, targets.get(p.i), received);
        if ("REVOKED".equals(v.status()) && v.event() != null) {
          verified++;
        }
        revokedBytes = p.bodies[n].getBytes(StandardCharsets.UTF_8).length;
      }
    }
    say(
        "  verified offline against the trust bundle: %d of %d sampled REVOKED answers (every"
            + " 10th revocation, both nodes)",
        verified, sampled);
    say(
        "  answer sizes here (log of ~%d): GOOD %d bytes, REVOKED %d bytes",
        sizeAfter, goodBody.getBytes(StandardCharsets.UTF_8).length, revokedBytes);
    return done.size() == revocations && verified == sampled ? 0 : 1;
  }

  /** Polls both nodes until every certificate is GOOD at both; returns one GOOD body, or null. */
  private String awaitGood(List<String> urls, List<String> shas, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String body = null;
    for (String url : urls) {
      int i = 0;
      while (i < shas.size()) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/status/" + shas.get(i))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"status\":\"GOOD\"")) {
          body = r.body();
          i++;
          continue;
        }
        if (System.nanoTime() > deadline) {
          say("certificate %d not GOOD at %s in time: %d %s", i, url, r.statusCode(), r.body());
          return null;
        }
        Thread.sleep(100);
      }
    }
    return body;
  }

  private void verifyGood(
      StatusVerifier verifier, String body, List<byte[]> targets, List<String> shas)
      throws Exception {
    StatusAnswer a = StatusAnswer.fromJson(body);
    byte[] der = targets.get(shas.indexOf(a.certificateSha256()));
    StatusVerifier.Verified v = verifier.verify(a, der, Instant.now());
    say(
        "a GOOD answer verified offline: %s, checkpoint %d",
        v.status(), v.checkpoint().checkpoint().size());
  }

  private JvmService startNode(
      int n,
      int port,
      Path inquiryJar,
      EmbeddedKafka kafka,
      EmbeddedRegistry registry,
      Path policyFile,
      String prefix)
      throws IOException {
    return InquiryNodeProcess.start(
        "inquiry-" + n,
        inquiryJar,
        new LocalConsortium.Connection(kafka.bootstrapServers(), registry.url(), prefix, work),
        policyFile,
        work.resolve("inquiry-" + n),
        port,
        List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
        work.resolve("inquiry-" + n + "-jvm"),
        work.resolve("inquiry-" + n + ".log"));
  }
}
