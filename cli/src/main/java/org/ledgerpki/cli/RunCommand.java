package org.ledgerpki.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki run}: run one ledger service on its own, configured by file and environment. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one ledger service: validator, issuance, cosigner or keylime-adapter.",
      "Configuration comes from an optional properties file and LEDGERPKI_* environment",
      "variables (see docs/operations.md)."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SERVICE",
      description = "validator, issuance, cosigner or keylime-adapter")
  String service;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "A properties file (optional).")
  String config;

  @Override
  public Integer call() throws Exception {
    String[] args = config == null ? new String[0] : new String[] {config};
    // A service run on its own logs to the console.
    System.setProperty("ledgerpki.console.level", "INFO");
    switch (service) {
      case "validator" -> org.ledgerpki.validator.ValidatorService.main(args);
      case "issuance" -> org.ledgerpki.issuance.IssuanceService.main(args);
      case "cosigner" -> org.ledgerpki.cosign.CosignService.main(args);
      case "keylime-adapter" -> org.ledgerpki.cli.keylime.KeylimeAdapter.main(args);
      default -> {
        System.err.println(
            "ledgerpki run: unknown service '"
                + service
                + "'; use validator, issuance, cosigner or keylime-adapter");
        return ExitCodes.USAGE;
      }
    }
    return ExitCodes.OK;
  }
}
