package org.ledgerpki.launcher;

import org.ledgerpki.launcher.demo.DemoCommand;
import org.ledgerpki.launcher.run.RunCommand;
import picocli.CommandLine;

/**
 * The {@code ledgerpki} command: the client commands of {@code cli} ({@link
 * org.ledgerpki.cli.LedgerPki}) plus {@code run} (a ledger service, the Keylime adapter, the
 * mirror) and {@code demo}. {@code ledgerpki bench} is the {@code bench} module's jar; the {@code
 * ./ledgerpki} script dispatches to it.
 */
public final class LedgerPki {

  private LedgerPki() {}

  /** Runs {@code args}; exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The client commands with {@code run} and {@code demo} added, and the bench hint. */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new org.ledgerpki.cli.LedgerPki());
    line.addSubcommand(new RunCommand());
    line.addSubcommand(new DemoCommand());
    line.getCommandSpec()
        .usageMessage()
        .footer("", "  bench    Load drivers (BENCHMARKS.md): ./ledgerpki bench --help");
    return line;
  }
}
