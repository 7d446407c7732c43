package org.ledgerpki.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ledgerpki} command. */
@Command(
    name = "ledgerpki",
    mixinStandardHelpOptions = true,
    version = "ledgerpki 0.1.0-SNAPSHOT",
    description = "ledger-pki: a multi-party PKI for 5G core networks, built on Apache Kafka.",
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
      BenchCommand.class,
      TrustCommand.class,
      PolicyCommand.class
    })
public final class LedgerPki implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new LedgerPki()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }
}
