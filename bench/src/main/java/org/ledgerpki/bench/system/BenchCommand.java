package org.ledgerpki.bench.system;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ledgerpki.cli.ExitCodes;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki bench}: load drivers for the benchmarks of BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      org.ledgerpki.bench.system.RevocationBench.class,
      org.ledgerpki.bench.system.AnswerSizeBench.class
    },
    description = "Load drivers (see BENCHMARKS.md).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "WHAT",
      description =
          "pipeline (P2), or inquiry (P3 and P4: status lookups vs OCSP, sizes); see also the"
              + " subcommands revocation (P5) and answer-size")
  String what;

  @Option(
      names = "--certs",
      description =
          "Certificates: to submit (pipeline, default 20000) or in the ledger (inquiry, default"
              + " 100000).")
  Integer certs;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "inquiry: seconds of each wrk run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--connections",
      defaultValue = "32",
      description = "inquiry: wrk connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "inquiry: wrk threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "inquiry: rounds of (inquiry node, OCSP responder), alternating (default:"
              + " ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--warmup",
      defaultValue = "30",
      description =
          "inquiry: seconds of wrk warm-up of the node, not reported (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--segw-requests",
      defaultValue = "10000",
      description =
          "inquiry: sequential status checks of the one-client (SeGW) measurement (default:"
              + " ${DEFAULT-VALUE}).")
  int segwRequests;

  @Option(
      names = "--inquiry-jar",
      description =
          "inquiry: the inquiry node's quarkus-run.jar (default: the one this checkout built).")
  Path inquiryJar;

  @Option(
      names = "--answer-form",
      defaultValue = "json",
      description =
          "inquiry: the status answers wrk asks for: json (the contract's answer with the full"
              + " note), compact (Accept: the compact form) or compact-held (compact, naming the"
              + " node's checkpoint in X-Checkpoint-Held, as a client that holds it asks); default:"
              + " ${DEFAULT-VALUE}.")
  String answerForm;

  @Option(
      names = "--jfr",
      description = "inquiry: record the node's first measured run with JFR (profile settings).")
  boolean jfr;

  @Option(
      names = "--alg",
      defaultValue = "ecdsa-p256",
      description = "Key algorithm of the certificates (default: ${DEFAULT-VALUE}).")
  String alg;

  @Option(
      names = "--commit-interval",
      description =
          "pipeline: commit interval of every service (ledgerpki.streams.commit-interval, 10ms to"
              + " 60s); unset, each service keeps its default (100ms).")
  String commitInterval;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "200ms",
      description =
          "pipeline: the generated policy's checkpoints.interval (default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(
      names = "--work-dir",
      description = "Scratch directory (default: target/bench-p2 or target/bench-p3).")
  Path work;

  @Override
  public Integer call() throws Exception {
    if ("inquiry".equals(what)) {
      InquiryBench.AnswerFormOption form;
      try {
        form = InquiryBench.AnswerFormOption.parse(answerForm);
      } catch (picocli.CommandLine.TypeConversionException e) {
        System.err.println("ledgerpki bench: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      Path dir = (work == null ? Path.of("target/bench-p3") : work).toAbsolutePath();
      Path home = Path.of(System.getProperty("ledgerpki.home", ".")).toAbsolutePath().normalize();
      System.setProperty(
          "ledgerpki.log.file", dir.resolveSibling("bench-p3-driver.log").toString());
      boolean ok =
          new InquiryBench(
                  new InquiryBench.Settings(
                      certs == null ? 100_000 : certs,
                      seconds,
                      connections,
                      threads,
                      rounds,
                      warmup,
                      segwRequests,
                      form,
                      jfr,
                      dir,
                      home,
                      inquiryJar == null ? null : inquiryJar.toAbsolutePath()))
              .run();
      return ok ? ExitCodes.OK : ExitCodes.DEMO_FAILED;
    }
    if (!"pipeline".equals(what)) {
      System.err.println(
          "ledgerpki bench: "
              + (what == null ? "name a benchmark" : "unknown benchmark '" + what + "'")
              + "; use pipeline, inquiry, revocation or answer-size (see BENCHMARKS.md)");
      return ExitCodes.USAGE;
    }
    Path dir = (work == null ? Path.of("target/bench-p2") : work).toAbsolutePath();
    try {
      // A second run in the same directory would find the first run's broker data and topics.
      ScratchFiles.resetWorkDir(dir, ".ledgerpki-bench-pipeline", "ledgerpki bench pipeline");
    } catch (IllegalStateException e) {
      System.err.println("ledgerpki bench pipeline: --work-dir: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    System.setProperty("ledgerpki.log.file", dir.resolve("services.log").toString());
    java.util.Map<String, String> serviceSettings;
    try {
      serviceSettings = BenchServiceSettings.of(commitInterval);
    } catch (org.ledgerpki.schemas.config.ConfigException e) {
      System.err.println("ledgerpki bench pipeline: --commit-interval: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    new PipelineBench(
            certs == null ? 20_000 : certs,
            SignatureAlgorithm.fromName(alg),
            dir,
            checkpointInterval,
            serviceSettings)
        .run();
    return ExitCodes.OK;
  }
}
