package org.ledgerpki.bench.system;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.mtc.MtcVerifier;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.EmbeddedRegistry;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;

/**
 * P3 and P4: status lookups of the real inquiry node (a child JVM running the Quarkus build) under
 * {@code wrk} on loopback, against an {@code openssl ocsp} responder ({@code
 * bench/p3/ocsp-responder.sh}) answering for as many certificates, in the same run and in
 * alternating rounds; then the latency one status check adds for a network function (one client,
 * sequential requests on a kept-alive connection, plus the offline verification); then the sizes of
 * the answers.
 *
 * <p>The ledger is written straight to the ledger topics of an embedded broker ({@link
 * SyntheticLedger}): the pipeline runs at a few hundred certificates per second on a small machine,
 * and its speed is P2's subject, not this one's. Every certificate, entry, checkpoint, cosignature
 * and landmark is real and signed; the node checks them as it would the pipeline's.
 */
public final class InquiryBench {
  /** Settings. */
  public record Settings(
      int certs,
      int seconds,
      int connections,
      int threads,
      int rounds,
      int warmupSeconds,
      int segwRequests,
      boolean jfr,
      Path work,
      Path home,
      Path inquiryJar) {}

  private static final String PREFIX = "p3.";
  private static final List<String> MEMBERS = List.of("vendor-a", "operator-b", "operator-c");

  private final Settings s;
  private final long started = System.nanoTime();

  public InquiryBench(Settings settings) {
    this.s = settings;
  }

  private void say(String fmt, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%6.1fs] %s%n",
        (System.nanoTime() - started) / 1e9,
        String.format(Locale.ROOT, fmt, args));
  }

  /** Runs the benchmark; returns false if a check failed. */
  public boolean run() throws Exception {
    Path inquiryJar =
        s.inquiryJar() != null
            ? s.inquiryJar()
            : s.home().resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    Path ocspScript = s.home().resolve("bench/p3/ocsp-responder.sh");
    if (!Files.isRegularFile(inquiryJar) || !Files.isRegularFile(ocspScript)) {
      throw new IllegalStateException(
          "missing " + inquiryJar + " or " + ocspScript + "; run ./ledgerpki from the repository");
    }
    say(
        "P3/P4 inquiry benchmark: %d certificates, wrk -t%d -c%d, %d s per run, %d round(s); %d"
            + " cores, JDK %s",
        s.certs(),
        s.threads(),
        s.connections(),
        s.seconds(),
        s.rounds(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    resetWorkDir(s.work());
    for (String tool : List.of("wrk", "openssl")) {
      if (exec(List.of("sh", "-c", "command -v " + tool), Duration.ofSeconds(10)).code() != 0) {
        throw new IllegalStateException(
            tool + " is not installed (apt-get install -y " + tool + ")");
      }
    }

    GeneratedConsortium gc =
        GeneratedConsortium.generate("bench-p3", MEMBERS, "32473.1", 2, 2, "seed", "200ms", "1h");
    ConsortiumFiles files = new ConsortiumFiles(s.work().resolve("consortium"));
    TrustPolicy policy = files.write(gc.log(), gc.members(), gc.document());
    TrustBundle fromPolicy = TrustBundle.fromPolicy(policy);
    // The synthetic ledger publishes its checkpoints once, with no heartbeat to re-cosign them, so
    // the bench's relying party takes their cosignatures as fresh for the length of a run.
    TrustBundle bundle =
        new TrustBundle(
            fromPolicy.logs(),
            fromPolicy.cosigners(),
            fromPolicy.cosignerQuorum(),
            Duration.ofHours(6).toSeconds());

    List<byte[]> certs = generate();
    SyntheticLedger ledger = new SyntheticLedger(gc.log(), gc.members().subList(0, 2));
    long t = System.nanoTime();
    for (byte[] der : certs) {
      ledger.add(der);
    }
    say(
        "built the log: %d entries (null entry + %d certificates) in %.1f s",
        ledger.size(), certs.size(), (System.nanoTime() - t) / 1e9);

    try (EmbeddedKafka kafka =
            EmbeddedKafka.builder().dataDir(s.work().resolve("kafka")).heap("1g").start();
        EmbeddedRegistry registry = EmbeddedRegistry.start()) {
      say("broker %s, registry %s", kafka.bootstrapServers(), registry.url());
      Plan plan = publish(ledger, kafka.bootstrapServers(), registry.url());

      int port = freePort(18080);
      List<String> jvm = List.of("-Xms1g", "-Xmx1g");
      say("starting the inquiry node (%s, %s) on port %d", inquiryJar, jvm, port);
      long t0 = System.nanoTime();
      try (JvmService inquiry =
          InquiryNodeProcess.start(
              "inquiry",
              inquiryJar,
              new LocalConsortium.Connection(
                  kafka.bootstrapServers(), registry.url(), PREFIX, s.work()),
              files.policy(),
              s.work().resolve("inquiry-store"),
              port,
              jvm,
              s.work().resolve("inquiry-jvm"),
              s.work().resolve("inquiry.log"))) {
        String node = "http://127.0.0.1:" + port;
        if (!inquiry.awaitHttpOk(URI.create(node + "/q/health/ready"), Duration.ofMinutes(5))) {
          throw new IllegalStateException(
              "the inquiry node did not become ready; see " + inquiry.logFile());
        }
        say(
            "inquiry node ready (caught up with %d entries) %.1f s after its start",
            ledger.size(), (System.nanoTime() - t0) / 1e9);
        return measure(ledger, plan, bundle, policy, node, inquiry, ocspScript);
      }
    }
  }

  /** Where the landmarks end: indices below are landmark-covered, above only standalone. */
  private record Plan(
      long lastLandmarkSize, long checkpointEvery, int checkpoints, int landmarks) {}

  private boolean measure(
      SyntheticLedger ledger,
      Plan plan,
      TrustBundle bundle,
      TrustPolicy policy,
      String node,
      JvmService inquiry,
      Path ocspScript)
      throws Exception {
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofSeconds(60));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    boolean ok = true;

    // A sample answer, checked offline before any load.
    long sampleIndex = ledger.size() / 2;
    StatusAnswer sample = status(http, node, ledger.certificate(sampleIndex));
    StatusVerifier.Verified v =
        verifier.verify(sample, ledger.certificate(sampleIndex), Instant.now());
    say(
        "sample answer for index %d: %s, verified offline: checkpoint %d cosigned by %s, %d-hash"
            + " inclusion proof, entry = certificate, signed fresh at %s",
        sampleIndex,
        v.status(),
        v.checkpoint().checkpoint().size(),
        v.checkpoint().cosigners(),
        sample.inclusionProof().size(),
        v.signedAt());
    if (!"GOOD".equals(v.status())) {
      say("FAILED: the sample answer is not GOOD");
      return false;
    }

    Path hashes = s.work().resolve("hashes.txt");
    StringBuilder sb = new StringBuilder();
    for (long i = 1; i < ledger.size(); i++) {
      sb.append(Hex.encode(Sha256.hash(ledger.certificate(i)))).append('\n');
    }
    Files.writeString(hashes, sb, StandardCharsets.US_ASCII);
    Path lua = s.work().resolve("status.lua");
    Files.writeString(lua, luaScript(hashes), StandardCharsets.UTF_8);

    if (s.warmupSeconds() > 0) {
      say("warm-up: wrk for %d s against the inquiry node (JIT; not reported)", s.warmupSeconds());
      WrkResult w = wrk(node, lua, s.warmupSeconds());
      say("  warm-up: %s", w.summary());
    }
    List<WrkResult> ours = new ArrayList<>();
    List<WrkResult> ocsp = new ArrayList<>();
    List<Cpu> ourCpu = new ArrayList<>();
    List<Cpu> ocspCpu = new ArrayList<>();
    int ocspBytes = -1;
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    for (int r = 1; r <= s.rounds(); r++) {
      if (s.jfr() && r == 1) {
        exec(
            List.of(
                jcmd,
                Long.toString(inquiry.pid()),
                "JFR.start",
                "name=p3",
                "settings=profile",
                "filename=" + s.work().resolve("inquiry-p3.jfr")),
            Duration.ofSeconds(30));
      }
      say("round %d: wrk against the inquiry node, GET /v1/status/{sha256} at random", r);
      long[] m0 = machineTicks();
      WrkResult w;
      Cpu cpu;
      try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
        w = wrk(node, lua, s.seconds());
        cpu = Cpu.of(sampler, p -> p.pid() == inquiry.pid(), machineTicks(), m0);
      }
      say("  inquiry node:   %s", w.summary());
      say("                  %s", cpu.summary(w));
      ours.add(w);
      ourCpu.add(cpu);
      if (s.jfr() && r == 1) {
        exec(List.of(jcmd, Long.toString(inquiry.pid()), "JFR.stop", "name=p3"), ofSeconds(60));
        say("  JFR recording of this run: %s", s.work().resolve("inquiry-p3.jfr"));
      }
      say(
          "round %d: wrk against openssl ocsp -multi 2 (ECDSA P-256), %d certificates",
          r, s.certs());
      long[] o0 = machineTicks();
      Exec o;
      Cpu ocspCpuRun;
      try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
        o =
            exec(
                List.of(
                    "sh",
                    ocspScript.toString(),
                    Integer.toString(s.certs()),
                    Integer.toString(s.seconds()),
                    Integer.toString(s.connections())),
                Duration.ofSeconds(s.seconds() + 600L),
                Map.of(
                    "P3_WORK", s.work().resolve("ocsp").toString(),
                    "OCSP_PORT", Integer.toString(freePort(18888)),
                    "WRK_THREADS", Integer.toString(s.threads())));
        ocspCpuRun =
            Cpu.of(
                sampler,
                p -> p.comm().equals("openssl") && p.cmdline().contains(" -index "),
                machineTicks(),
                o0);
      }
      Files.writeString(s.work().resolve("ocsp-round-" + r + ".txt"), o.output());
      if (o.code() != 0) {
        say("FAILED: the OCSP side exited with %d:%n%s", o.code(), o.output());
        return false;
      }
      if (!o.output().contains(": good")) {
        say("FAILED: the OCSP responder did not answer good for a sample:%n%s", o.output());
        ok = false;
      }
      Matcher m = Pattern.compile("OCSP response bytes: (\\d+)").matcher(o.output());
      if (m.find()) {
        ocspBytes = Integer.parseInt(m.group(1));
      }
      WrkResult x = WrkResult.parse(o.output());
      say("  OCSP responder: %s", x.summary());
      say("                  %s", ocspCpuRun.summary(x));
      ocsp.add(x);
      ocspCpu.add(ocspCpuRun);
    }

    // Companion: the inquiry node with a new TCP connection per request, as the OpenSSL
    // responder serves them (HTTP/1.0, closed after each answer).
    say(
        "companion: wrk against the inquiry node with Connection: close (a connection per request)");
    long[] c0 = machineTicks();
    WrkResult closing;
    Cpu closingCpu;
    try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
      closing = wrk(node, lua, s.seconds(), List.of("-H", "Connection: close"));
      closingCpu = Cpu.of(sampler, p -> p.pid() == inquiry.pid(), machineTicks(), c0);
    }
    say("  inquiry node, Connection: close: %s", closing.summary());
    say("                  %s", closingCpu.summary(closing));

    Segw segw = segw(http, node, ledger, verifier, bundle);
    Sizes sizes = sizes(http, node, ledger, plan, policy, bundle);

    System.out.println();
    System.out.println(
        "=== P3: status lookups, wrk -t"
            + s.threads()
            + " -c"
            + s.connections()
            + ", "
            + s.seconds()
            + " s per run, "
            + s.certs()
            + " certificates ===");
    for (int r = 0; r < ours.size(); r++) {
      WrkResult a = ours.get(r);
      WrkResult b = ocsp.get(r);
      System.out.printf(
          Locale.ROOT,
          "round %d  inquiry node  %s%n         OCSP (openssl) %s%n         ratio %.2fx%n",
          r + 1,
          a.summary(),
          b.summary(),
          a.requestsPerSecond() / b.requestsPerSecond());
      System.out.printf(
          Locale.ROOT,
          "         CPU: inquiry %s%n              OCSP    %s%n",
          ourCpu.get(r).summary(a),
          ocspCpu.get(r).summary(b));
      if (a.non2xx() > 0 || a.socketErrors() > 0) {
        ok = false;
        System.out.println("         the inquiry node gave non-2xx answers or socket errors");
      }
    }
    double ourMedian = median(ours.stream().mapToDouble(WrkResult::requestsPerSecond).toArray());
    double ocspMedian = median(ocsp.stream().mapToDouble(WrkResult::requestsPerSecond).toArray());
    double ourP99 = ours.stream().mapToDouble(WrkResult::p99Micros).max().orElse(0) / 1e3;
    System.out.printf(
        Locale.ROOT,
        "median of rounds: inquiry %.0f req/s, OCSP %.0f req/s, ratio %.2fx; inquiry p99 (worst"
            + " round) %.2f ms; goal >= 5x with p99 <= 5 ms: %s%n",
        ourMedian,
        ocspMedian,
        ourMedian / ocspMedian,
        ourP99,
        ourMedian >= 5 * ocspMedian && ourP99 <= 5 ? "MET" : "NOT MET");
    System.out.printf(
        Locale.ROOT,
        "companion, a new connection per request (Connection: close): inquiry %s%n"
            + "         CPU: inquiry %s%n",
        closing.summary(),
        closingCpu.summary(closing));
    System.out.println();
    System.out.println("=== P3: one status check as a network function (SeGW) sees it ===");
    System.out.println(segw.report());
    System.out.println();
    System.out.println("=== P4: answer sizes at " + s.certs() + " certificates ===");
    System.out.println(sizes.report());
    if (ocspBytes > 0) {
      System.out.printf(
          Locale.ROOT,
          "  OCSP response of the openssl responder above (ECDSA P-256, with its certificate):"
              + " %d bytes%n",
          ocspBytes);
    }
    return ok && segw.allGood() && sizes.ok();
  }

  /**
   * CPU of one load run: the server's, wrk's (both from {@link CpuSampler}, within wrk's lifetime),
   * and how busy the whole machine was (from /proc/stat; other jobs included).
   */
  record Cpu(long serverNanos, long wrkNanos, long windowNanos, double machineBusy) {
    static Cpu of(CpuSampler sampler, Predicate<CpuSampler.Proc> server, long[] end, long[] start) {
      long busy = end[0] - start[0];
      long total = busy + end[1] - start[1];
      return new Cpu(
          sampler.cpuNanos(server),
          sampler.cpuNanos(p -> p.comm().equals("wrk")),
          sampler.windowNanos(),
          total == 0 ? 0 : (double) busy / total);
    }

    String summary(WrkResult w) {
      double secs = windowNanos / 1e9;
      return String.format(
          Locale.ROOT,
          "server %.0f µs CPU per answer (%.2f cores), wrk %.2f cores, machine %.0f%% busy",
          secs == 0 ? 0 : serverNanos / 1e3 / (w.requestsPerSecond() * secs),
          secs == 0 ? 0 : serverNanos / 1e9 / secs,
          secs == 0 ? 0 : wrkNanos / 1e9 / secs,
          100 * machineBusy);
    }
  }

  /** Busy and idle jiffies of the whole machine (the first line of /proc/stat). */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      long all = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        all += Long.parseLong(f[i]);
      }
      return new long[] {all - idle, idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  private static Duration ofSeconds(long n) {
    return Duration.ofSeconds(n);
  }

  // --- the network function's view -------------------------------------------------------------

  private record Segw(
      int count,
      Percentiles request,
      Percentiles verify,
      Percentiles total,
      Percentiles checkpointOnly,
      boolean allGood) {
    String report() {
      return String.format(
          Locale.ROOT,
          "  %d sequential GET /v1/status/{sha256} on one kept-alive HTTP/1.1 connection"
              + " (java.net.http), then StatusVerifier.verify with the certificate:%n"
              + "    request alone            p50 %7.0f µs   p99 %7.0f µs%n"
              + "    offline verification     p50 %7.0f µs   p99 %7.0f µs%n"
              + "    request + verification   p50 %7.0f µs   p99 %7.0f µs%n"
              + "    of which the checkpoint's signatures alone (CheckpointVerifier.verify):"
              + " p50 %.0f µs, p99 %.0f µs",
          count,
          request.at(50) / 1e3,
          request.at(99) / 1e3,
          verify.at(50) / 1e3,
          verify.at(99) / 1e3,
          total.at(50) / 1e3,
          total.at(99) / 1e3,
          checkpointOnly.at(50) / 1e3,
          checkpointOnly.at(99) / 1e3);
    }
  }

  private Segw segw(
      HttpClient http,
      String node,
      SyntheticLedger ledger,
      StatusVerifier verifier,
      TrustBundle bundle)
      throws Exception {
    int warm = Math.min(3000, s.segwRequests());
    int n = s.segwRequests();
    say(
        "network function: %d sequential status checks (after %d for warm-up), at most 120 s",
        n, warm);
    SplittableRandom rnd = new SplittableRandom(4242);
    long[] req = new long[n];
    long[] ver = new long[n];
    long[] tot = new long[n];
    boolean allGood = true;
    int done = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < warm + n && System.nanoTime() < deadline; i++) {
      long index = 1 + rnd.nextLong(ledger.size() - 1);
      byte[] der = ledger.certificate(index);
      String hex = Hex.encode(Sha256.hash(der));
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/status/" + hex)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      long t1 = System.nanoTime();
      StatusVerifier.Verified v =
          verifier.verify(StatusAnswer.fromJson(r.body()), der, Instant.now());
      long t2 = System.nanoTime();
      if (r.statusCode() != 200 || !"GOOD".equals(v.status())) {
        allGood = false;
      }
      if (i >= warm) {
        req[done] = t1 - t0;
        ver[done] = t2 - t1;
        tot[done] = t2 - t0;
        done++;
      }
    }
    // The share of the verification that is the checkpoint's signatures (the log's Ed25519 and
    // ML-DSA-44, and each cosigner's Ed25519 and ML-DSA-44): what a relying party could cache
    // per checkpoint.
    CheckpointVerifier cv = new CheckpointVerifier(bundle);
    String note = status(http, node, ledger.certificate(1)).checkpoint();
    int reps = 2000;
    long[] cpOnly = new long[reps];
    for (int i = 0; i < 500; i++) {
      cv.verify(note);
    }
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      cv.verify(note);
      cpOnly[i] = System.nanoTime() - t0;
    }
    return new Segw(
        done,
        new Percentiles(Arrays.copyOf(req, done)),
        new Percentiles(Arrays.copyOf(ver, done)),
        new Percentiles(Arrays.copyOf(tot, done)),
        new Percentiles(cpOnly),
        allGood && done > 0);
  }

  // --- sizes -----------------------------------------------------------------------------------

  private record Sizes(String report, boolean ok) {}

  private Sizes sizes(
      HttpClient http,
      String node,
      SyntheticLedger ledger,
      Plan plan,
      TrustPolicy policy,
      TrustBundle bundle)
      throws Exception {
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 200;
    long[] bodies = new long[n];
    long[] notes = new long[n];
    long[] proofs = new long[n];
    for (int i = 0; i < n; i++) {
      long index = 1 + rnd.nextLong(ledger.size() - 1);
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          node
                              + "/v1/status/"
                              + Hex.encode(Sha256.hash(ledger.certificate(index)))))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      StatusAnswer a = StatusAnswer.fromJson(new String(r.body(), StandardCharsets.UTF_8));
      ok &= r.statusCode() == 200 && "GOOD".equals(a.status());
      bodies[i] = r.body().length;
      notes[i] = a.checkpoint().getBytes(StandardCharsets.UTF_8).length;
      proofs[i] = a.inclusionProof().size();
    }
    Percentiles b = new Percentiles(bodies);
    Percentiles nb = new Percentiles(notes);
    Percentiles pr = new Percentiles(proofs);
    out.append(
        String.format(
            Locale.ROOT,
            "  (a) GOOD status answer, JSON body as served (%d random certificates): median %d"
                + " bytes (min %d, max %d); of which the cosigned checkpoint note %d bytes;"
                + " inclusion proof %d hashes (median)%n",
            n,
            b.at(50),
            b.at(0.0001),
            b.at(100),
            nb.at(50),
            pr.at(50)));
    long landmarkIndex = Math.max(1, plan.lastLandmarkSize() / 2);
    // In the middle of the last checkpoint's range: its standalone proof is a typical one.
    long standaloneIndex =
        Math.max(plan.lastLandmarkSize(), ledger.size() - 1 - plan.checkpointEvery() / 2);
    byte[] certDer = ledger.certificate(landmarkIndex);
    for (long index : new long[] {landmarkIndex, standaloneIndex}) {
      String hex = Hex.encode(Sha256.hash(ledger.certificate(index)));
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(node + "/v1/certificates/" + hex + "/mtc"))
                  .header("Accept", "application/pkix-cert")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      String form = r.headers().firstValue("X-MTC-Form").orElse("?");
      if (r.statusCode() != 200) {
        out.append(
            String.format(
                Locale.ROOT,
                "  (b) MTC certificate of index %d: HTTP %d%n",
                index,
                r.statusCode()));
        ok = false;
        continue;
      }
      MtcCertificate parsed = MtcCertificate.parse(r.body());
      String check = "parsed";
      if ("standalone".equals(form)) {
        try {
          MtcVerifier.builder(policy.log().caId())
              .cosignerPolicy(new QuorumCosignerPolicy(bundle))
              .build()
              .verify(r.body());
          check = "verified with MtcVerifier against the cosigners";
        } catch (Exception e) {
          check = "DID NOT VERIFY: " + e.getMessage();
          ok = false;
        }
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  (b) MTC certificate, %s form (X-MTC-Form: %s), index %d: %d bytes DER; proof %d"
                  + " hashes, %d subtree signatures (%s)%n",
              index == landmarkIndex ? "landmark" : "standalone",
              form,
              index,
              r.body().length,
              parsed.proof().inclusionProof().size(),
              parsed.proof().signatures().size(),
              check));
      ok &= (index == landmarkIndex ? "landmark" : "standalone").equals(form);
    }
    out.append(
        String.format(
            Locale.ROOT,
            "      for comparison, the submitted X.509 certificate (ECDSA P-256, self-signed): %d"
                + " bytes DER%n",
            certDer.length));
    return new Sizes(out.toString().stripTrailing(), ok);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private StatusAnswer status(HttpClient http, String node, byte[] der) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node + "/v1/status/" + Hex.encode(Sha256.hash(der))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status lookup answered " + r.statusCode() + ": " + r.body());
    }
    return StatusAnswer.fromJson(r.body());
  }

  private List<byte[]> generate() {
    long t = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<byte[]> out =
        IntStream.range(0, s.certs())
            .parallel()
            .mapToObj(
                i -> {
                  KeyPair kp = Keys.generate(SignatureAlgorithm.ECDSA_P256);
                  return Certificates.der(
                      new CertificateBuilder()
                          .subject("CN=nf-" + i + ".bench,O=Vendor A")
                          .keyPair(kp)
                          .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                          .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                          .build());
                })
            .toList();
    say(
        "generated %d ECDSA P-256 certificates (fresh key each) in %.1f s",
        out.size(), (System.nanoTime() - t) / 1e9);
    return out;
  }

  /**
   * Writes the entries, then a cosigned checkpoint every 1,000 entries (and at the end), then a
   * cosigned landmark every tenth of the log except the last tenth, whose certificates therefore
   * only have the standalone form.
   */
  private Plan publish(SyntheticLedger ledger, String bootstrap, String registry) throws Exception {
    long t = System.nanoTime();
    long size = ledger.size();
    long every = Math.max(1, Math.min(1000, size / 20));
    long landmarkEvery = Math.max(every, (size / 10) / every * every);
    int checkpoints = 0;
    int landmarks = 0;
    long lastLandmark = 0;
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry);
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Topics topics = Topics.create(TopicSettings.defaults().withPrefix(PREFIX), serdes);
      new TopicProvisioner(admin, Duration.ofSeconds(60)).ensure(topics);
      AtomicReference<Exception> failed = new AtomicReference<>();
      Callback cb =
          (md, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          };
      try (var entries = producer(bootstrap, topics.entries());
          var cosigned = producer(bootstrap, topics.cosigned());
          var lms = producer(bootstrap, topics.landmarks())) {
        for (long i = 0; i < size; i++) {
          entries.send(
              new ProducerRecord<>(topics.entries().name(), ledger.origin(), ledger.entry(i)), cb);
        }
        entries.flush();
        long now = Instant.now().getEpochSecond();
        long previous = 0;
        for (long cp = every; previous < size; cp = Math.min(size, cp + every)) {
          cosigned.send(
              new ProducerRecord<>(
                  topics.cosigned().name(), ledger.origin(), ledger.cosigned(previous, cp, now)),
              cb);
          checkpoints++;
          previous = cp;
        }
        cosigned.flush();
        for (long lm = landmarkEvery; lm <= size - landmarkEvery; lm += landmarkEvery) {
          landmarks++;
          lms.send(
              new ProducerRecord<>(
                  topics.landmarks().name(),
                  ledger.origin(),
                  ledger.landmark(landmarks, lastLandmark, lm)),
              cb);
          lastLandmark = lm;
        }
        lms.flush();
      }
      if (failed.get() != null) {
        throw new IllegalStateException("writing the ledger failed", failed.get());
      }
    }
    say(
        "wrote %d entries, %d cosigned checkpoints (every %d entries) and %d cosigned landmarks"
            + " (every %d, the last at %d) to the %s* topics in %.1f s",
        size,
        checkpoints,
        every,
        landmarks,
        landmarkEvery,
        lastLandmark,
        PREFIX,
        (System.nanoTime() - t) / 1e9);
    return new Plan(lastLandmark, every, checkpoints, landmarks);
  }

  private static <V> KafkaProducer<String, V> producer(String bootstrap, Topic<String, V> topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** The wrk script: a GET of the status of a certificate drawn at random from the file. */
  static String luaScript(Path hashes) {
    return """
        -- ledgerpki bench inquiry: GET /v1/status/{sha256} of a random certificate of the ledger.
        local hashes = {}
        for line in io.lines("%s") do hashes[#hashes + 1] = line end
        local n = #hashes
        local counter = 0
        function setup(thread)
          counter = counter + 1
          thread:set("id", counter)
        end
        function init(args)
          math.randomseed(os.time() + 7919 * (id or 0))
        end
        function request()
          return wrk.format("GET", "/v1/status/" .. hashes[math.random(n)])
        end
        """
        .formatted(hashes.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""));
  }

  private WrkResult wrk(String node, Path lua, int seconds) throws Exception {
    return wrk(node, lua, seconds, List.of());
  }

  private WrkResult wrk(String node, Path lua, int seconds, List<String> extra) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "wrk",
            "-t" + s.threads(),
            "-c" + s.connections(),
            "-d" + seconds + "s",
            "--timeout",
            "5s",
            "--latency"));
    cmd.addAll(extra);
    cmd.addAll(List.of("-s", lua.toString(), node + "/"));
    Exec e = exec(cmd, Duration.ofSeconds(seconds + 60L));
    if (e.code() != 0) {
      throw new IllegalStateException("wrk exited with " + e.code() + ":\n" + e.output());
    }
    return WrkResult.parse(e.output());
  }

  private record Exec(int code, String output) {}

  private Exec exec(List<String> command, Duration timeout) throws Exception {
    return exec(command, timeout, Map.of());
  }

  /** Runs a command (bounded in time), its output merged, and kills it and its children late. */
  private Exec exec(List<String> command, Duration timeout, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path out = Files.createTempFile(s.work(), "exec", ".txt");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      throw new IllegalStateException(
          "timed out after " + timeout + ": " + String.join(" ", command) + "\n" + text);
    }
    String text = Files.readString(out);
    Files.deleteIfExists(out);
    return new Exec(p.exitValue(), text);
  }

  private static int freePort(int preferred) throws IOException {
    for (int port = preferred; port < preferred + 100; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException e) {
        // In use: try the next.
      }
    }
    throw new IOException("no free port in " + preferred + ".." + (preferred + 99));
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static final String MARKER = ".ledgerpki-bench-inquiry";

  /** Empties the scratch directory, if it is one this benchmark made (or new). */
  private static void resetWorkDir(Path dir) throws IOException {
    if (Files.exists(dir)) {
      boolean empty;
      try (var list = Files.list(dir)) {
        empty = list.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalStateException(
            dir + " exists and is not a scratch directory of this benchmark; choose another");
      }
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "scratch directory of ledgerpki bench inquiry\n");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
