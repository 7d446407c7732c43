package org.ledgerpki.launcher;

import java.util.concurrent.Callable;
import org.ledgerpki.cli.AuditCommand;
import org.ledgerpki.cli.KeygenCommand;
import org.ledgerpki.cli.LifecycleCommands;
import org.ledgerpki.cli.PolicyCommand;
import org.ledgerpki.cli.StatusCommand;
import org.ledgerpki.cli.SubmitCommand;
import org.ledgerpki.cli.TrustCommand;
import org.ledgerpki.cli.VerifyCommand;
import org.ledgerpki.launcher.demo.DemoCommand;
import org.ledgerpki.launcher.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ledgerpki} command: the client commands of {@code cli} plus {@code run} (a ledger
 * service, the Keylime adapter, the mirror) and {@code demo}. {@code ledgerpki bench} is the {@code
 * bench} module's jar; the {@code ./ledgerpki} script dispatches to it.
 */
@Command(
    name = "ledgerpki",
    mixinStandardHelpOptions = true,
    version = "ledgerpki 0.1.0-SNAPSHOT",
    description = "ledger-pki: a multi-party PKI for 5G core networks, built on Apache Kafka.",
    footer = {"", "  bench    Load drivers (BENCHMARKS.md): ./ledgerpki bench --help"},
    subcommands = {
      KeygenCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      LifecycleCommands.Revoke.class,
      LifecycleCommands.Suspend.class,
      LifecycleCommands.Resume.class,
      LifecycleCommands.Renew.class,
      RunCommand.class,
      DemoCommand.class,
      AuditCommand.class,
      TrustCommand.class,
      PolicyCommand.class
    })
public final class LedgerPki implements Callable<Integer> {

  /** Runs {@code args}; exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new LedgerPki()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }
}
