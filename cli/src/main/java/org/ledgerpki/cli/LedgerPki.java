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
      RunCommand.class,
      LedgerPki.Demo.class
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

  /** The one-command demo (issue C). */
  @Command(name = "demo", description = "Run the whole consortium on this machine.")
  static final class Demo implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println(
          """
          ledgerpki demo is not built yet. What exists today:
            - core/: Merkle trees and proofs, MTC structures, C2SP notes, checkpoints and
              cosignatures (pure Java, tested against the shared vectors);
            - schemas/: the Avro schemas of every ledger topic and their serdes;
            - embedded/: a real Kafka broker (KRaft) and an Apicurio schema registry as child JVMs.
          Run the tests with ./mvnw verify.""");
      return 3;
    }
  }
}
