package org.ledgerpki.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ledgerpki.cli.bench.PipelineBench;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki bench}: load drivers for the benchmarks of BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      org.ledgerpki.cli.bench.RevocationBench.class,
      org.ledgerpki.cli.bench.AnswerSizeBench.class
    },
    description = "Load drivers (see BENCHMARKS.md).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "WHAT", description = "pipeline (P2)")
  String what;

  @Option(
      names = "--certs",
      defaultValue = "20000",
      description = "Certificates to submit (default: ${DEFAULT-VALUE}).")
  int certs;

  @Option(
      names = "--alg",
      defaultValue = "ecdsa-p256",
      description = "Key algorithm of the certificates (default: ${DEFAULT-VALUE}).")
  String alg;

  @Option(
      names = "--work-dir",
      defaultValue = "target/bench-p2",
      description = "Scratch directory (default: ${DEFAULT-VALUE}).")
  Path work;

  @Override
  public Integer call() throws Exception {
    if (!"pipeline".equals(what)) {
      System.err.println("ledgerpki bench: unknown benchmark '" + what + "'; use pipeline");
      return ExitCodes.USAGE;
    }
    System.setProperty(
        "ledgerpki.log.file", work.toAbsolutePath().resolve("services.log").toString());
    new PipelineBench(certs, SignatureAlgorithm.fromName(alg), work.toAbsolutePath()).run();
    return ExitCodes.OK;
  }
}
