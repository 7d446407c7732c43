package org.ledgerpki.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The client commands of {@code ledgerpki}, for members and relying parties: keygen, submit,
 * status, verify, the lifecycle commands, audit, trust and policy. They reach the consortium
 * through its topics and its inquiry nodes only. The full entry point, which adds {@code run} and
 * {@code demo}, is {@code org.ledgerpki.launcher.LedgerPki}.
 */
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
      AuditCommand.class,
      TrustCommand.class,
      PolicyCommand.class
    })
public final class LedgerPki implements Callable<Integer> {

  /** Runs the client command {@code args}; exits with its exit code ({@link ExitCodes}). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new LedgerPki()).execute(args));
  }

  @Spec CommandSpec spec;

  /** Without a subcommand: the usage of the command line this object runs in, exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 2;
  }
}
