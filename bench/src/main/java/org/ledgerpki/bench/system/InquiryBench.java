package org.ledgerpki.bench.system;

import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.EmbeddedKafka;
import org.ledgerpki.embedded.EmbeddedRegistry;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;

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
      AnswerFormOption answerForm,
      boolean jfr,
      Path work,
      Path home,
      Path inquiryJar) {}

  /** The answer form the load asks for (ADR 0009). */
  public enum AnswerFormOption {
    JSON,
    COMPACT,
    COMPACT_HELD;

    /**
     * @throws picocli.CommandLine.TypeConversionException if {@code s} names no form
     */
    static AnswerFormOption parse(String s) {
      return switch (s) {
        case "json" -> JSON;
        case "compact" -> COMPACT;
        case "compact-held" -> COMPACT_HELD;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "--answer-form must be json, compact or compact-held, not '" + s + "'");
      };
    }

    /** The wrk arguments (request headers) that ask for this form. */
    List<String> headers(String heldName) {
      return switch (this) {
        case JSON -> List.of();
        case COMPACT -> List.of("-H", "Accept: " + CompactAnswer.MEDIA_TYPE);
        case COMPACT_HELD ->
            List.of(
                "-H",
                "Accept: " + CompactAnswer.MEDIA_TYPE,
                "-H",
                "X-Checkpoint-Held: " + heldName);
      };
    }
  }

  private static final String PREFIX = LedgerWriter.PREFIX;
  private static final List<String> MEMBERS = List.of("vendor-a", "operator-b", "operator-c");

  private final Settings s;
  private final long started = System.nanoTime();
  private final ExternalTools tools;
  private final NodeProbes probes;

  public InquiryBench(Settings settings) {
    this.s = settings;
    this.tools = new ExternalTools(settings.work(), settings.threads(), settings.connections());
    this.probes = new NodeProbes(settings.segwRequests(), line -> say("%s", line));
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
    ScratchFiles.resetWorkDir(s.work(), ".ledgerpki-bench-inquiry", "ledgerpki bench inquiry");
    for (String tool : List.of("wrk", "openssl")) {
      if (tools.exec(List.of("sh", "-c", "command -v " + tool), Duration.ofSeconds(10)).code()
          != 0) {
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
      LedgerWriter.Plan plan =
          LedgerWriter.publish(
              ledger, kafka.bootstrapServers(), registry.url(), line -> say("%s", line));

      int port = ScratchFiles.freePort(18080);
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
  private boolean measure(
      SyntheticLedger ledger,
      LedgerWriter.Plan plan,
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
    StatusAnswer sample = NodeProbes.status(http, node, ledger.certificate(sampleIndex));
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
    Files.writeString(lua, ExternalTools.luaScript(hashes), StandardCharsets.UTF_8);
    List<String> form = s.answerForm().headers(sample.checkpointSha256());
    say(
        "answers asked for: %s%s",
        s.answerForm().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        form.isEmpty() ? "" : " (wrk " + String.join(" ", form) + ")");

    if (s.warmupSeconds() > 0) {
      say("warm-up: wrk for %d s against the inquiry node (JIT; not reported)", s.warmupSeconds());
      WrkResult w = tools.wrk(node, lua, s.warmupSeconds(), form);
      say("  warm-up: %s", w.summary());
    }
    List<WrkResult> ours = new ArrayList<>();
    List<WrkResult> ocsp = new ArrayList<>();
    List<LoadRunCpu> ourCpu = new ArrayList<>();
    List<LoadRunCpu> ocspCpu = new ArrayList<>();
    int ocspBytes = -1;
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    for (int r = 1; r <= s.rounds(); r++) {
      if (s.jfr() && r == 1) {
        tools.exec(
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
      long[] m0 = LoadRunCpu.machineTicks();
      WrkResult w;
      LoadRunCpu cpu;
      try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
        w = tools.wrk(node, lua, s.seconds(), form);
        cpu = LoadRunCpu.of(sampler, p -> p.pid() == inquiry.pid(), LoadRunCpu.machineTicks(), m0);
      }
      say("  inquiry node:   %s", w.summary());
      say("                  %s", cpu.summary(w));
      ours.add(w);
      ourCpu.add(cpu);
      if (s.jfr() && r == 1) {
        tools.exec(
            List.of(jcmd, Long.toString(inquiry.pid()), "JFR.stop", "name=p3"), ofSeconds(60));
        say("  JFR recording of this run: %s", s.work().resolve("inquiry-p3.jfr"));
      }
      say(
          "round %d: wrk against openssl ocsp -multi 2 (ECDSA P-256), %d certificates",
          r, s.certs());
      long[] o0 = LoadRunCpu.machineTicks();
      ExternalTools.Exec o;
      LoadRunCpu ocspCpuRun;
      try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
        o =
            tools.exec(
                List.of(
                    "sh",
                    ocspScript.toString(),
                    Integer.toString(s.certs()),
                    Integer.toString(s.seconds()),
                    Integer.toString(s.connections())),
                Duration.ofSeconds(s.seconds() + 600L),
                Map.of(
                    "P3_WORK", s.work().resolve("ocsp").toString(),
                    "OCSP_PORT", Integer.toString(ScratchFiles.freePort(18888)),
                    "WRK_THREADS", Integer.toString(s.threads())));
        ocspCpuRun =
            LoadRunCpu.of(
                sampler,
                p -> p.comm().equals("openssl") && p.cmdline().contains(" -index "),
                LoadRunCpu.machineTicks(),
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
    long[] c0 = LoadRunCpu.machineTicks();
    WrkResult closing;
    LoadRunCpu closingCpu;
    try (CpuSampler sampler = new CpuSampler(p -> p.comm().equals("wrk"))) {
      List<String> closeHeaders = new ArrayList<>(form);
      closeHeaders.addAll(List.of("-H", "Connection: close"));
      closing = tools.wrk(node, lua, s.seconds(), closeHeaders);
      closingCpu =
          LoadRunCpu.of(sampler, p -> p.pid() == inquiry.pid(), LoadRunCpu.machineTicks(), c0);
    }
    say("  inquiry node, Connection: close: %s", closing.summary());
    say("                  %s", closingCpu.summary(closing));

    NodeProbes.Segw segw = probes.segw(http, node, ledger, verifier, bundle, s.answerForm());
    NodeProbes.Sizes sizes = probes.sizes(http, node, ledger, plan, policy, bundle);

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
            + " certificates, "
            + s.answerForm().name().toLowerCase(Locale.ROOT).replace('_', '-')
            + " answers ===");
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

  private static Duration ofSeconds(long n) {
    return Duration.ofSeconds(n);
  }

  // --- helpers ---------------------------------------------------------------------------------

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

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
