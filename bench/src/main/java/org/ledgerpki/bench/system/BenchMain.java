package org.ledgerpki.bench.system;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ledgerpki bench ...}, as {@code bench/target/ledgerpki-bench.jar}: the {@code ./ledgerpki}
 * script runs this jar with all its arguments when the first is {@code bench}, so the usage and the
 * output are those of {@code ledgerpki bench}.
 */
@Command(
    name = "ledgerpki",
    mixinStandardHelpOptions = true,
    version = "ledgerpki 0.1.0-SNAPSHOT",
    description = "ledger-pki system benchmarks.",
    subcommands = {BenchCommand.class})
public final class BenchMain implements Callable<Integer> {

  /** Runs {@code args} (starting with {@code bench}); exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }
}
