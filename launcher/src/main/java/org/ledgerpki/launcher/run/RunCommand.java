package org.ledgerpki.launcher.run;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.ledgerpki.cli.ExitCodes;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.MirrorMaker2;
import org.ledgerpki.launcher.mirror.MirrorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledgerpki run}: run one ledger service on its own, configured by file and environment; or
 * an operator's mirror of the consortium's ledger (MirrorMaker 2, docs/federation.md).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one ledger service: validator, issuance, cosigner, keylime-adapter or mirror.",
      "Configuration comes from an optional properties file and LEDGERPKI_* environment",
      "variables (see docs/operations.md). 'mirror' runs Kafka's MirrorMaker 2 from the",
      "consortium cluster (--from) to the operator's cluster (--to); CONFIG is then an",
      "mm2.properties laid over the defaults (see docs/federation.md)."
    })
public final class RunCommand implements Callable<Integer> {
  private static final String SERVICES = "validator, issuance, cosigner, keylime-adapter or mirror";

  @Parameters(index = "0", paramLabel = "SERVICE", description = SERVICES)
  String service;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "CONFIG",
      description = "A properties file (optional).")
  String config;

  @Option(
      names = "--from",
      paramLabel = "BOOTSTRAP",
      description = "mirror: the consortium cluster's bootstrap servers.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "BOOTSTRAP",
      description = "mirror: the operator cluster's bootstrap servers.")
  String to;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "mirror: an mm2.properties laid over the defaults (same as CONFIG).")
  String mirrorConfig;

  @Option(
      names = "--topics-prefix",
      paramLabel = "PREFIX",
      description =
          "mirror: the ledger topics' name prefix (default: $LEDGERPKI_TOPICS_PREFIX, or none).")
  String topicsPrefix;

  @Option(
      names = "--replication-factor",
      defaultValue = "3",
      description =
          "mirror: replication factor of the topics created on the operator cluster (default: ${DEFAULT-VALUE}).")
  int replicationFactor;

  @Option(
      names = "--work-dir",
      defaultValue = "mirror",
      description =
          "mirror: where the effective mm2.properties is written (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--print-config",
      description =
          "mirror: print the effective mm2.properties and exit (for Kafka's connect-mirror-maker.sh).")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    if (!service.equals("mirror")
        && (from != null || to != null || mirrorConfig != null || printConfig)) {
      System.err.println(
          "ledgerpki run: --from, --to, --config and --print-config are for 'run mirror' only");
      return ExitCodes.USAGE;
    }
    String[] args = config == null ? new String[0] : new String[] {config};
    // A service run on its own logs to the console.
    System.setProperty("ledgerpki.console.level", "INFO");
    switch (service) {
      case "validator" -> org.ledgerpki.validator.ValidatorService.main(args);
      case "issuance" -> org.ledgerpki.issuance.IssuanceService.main(args);
      case "cosigner" -> org.ledgerpki.cosign.CosignService.main(args);
      case "keylime-adapter" -> org.ledgerpki.launcher.keylime.KeylimeAdapter.main(args);
      case "mirror" -> {
        return mirror();
      }
      default -> {
        System.err.println("ledgerpki run: unknown service '" + service + "'; use " + SERVICES);
        return ExitCodes.USAGE;
      }
    }
    return ExitCodes.OK;
  }

  private int mirror() throws IOException {
    if (config != null && mirrorConfig != null) {
      System.err.println("ledgerpki run mirror: give the mm2.properties once (CONFIG or --config)");
      return ExitCodes.USAGE;
    }
    String overlayFile = mirrorConfig != null ? mirrorConfig : config;
    Map<String, String> overrides = overlayFile == null ? Map.of() : load(Path.of(overlayFile));
    // --from/--to may be left out when the file names the clusters itself.
    String source = from != null ? from : overrides.get(MirrorConfig.SOURCE + ".bootstrap.servers");
    String target = to != null ? to : overrides.get(MirrorConfig.TARGET + ".bootstrap.servers");
    if (source == null || target == null) {
      System.err.println(
          "ledgerpki run mirror: --from and --to (or "
              + MirrorConfig.SOURCE
              + ".bootstrap.servers and "
              + MirrorConfig.TARGET
              + ".bootstrap.servers in the mm2.properties) are required");
      return ExitCodes.USAGE;
    }
    String prefix = topicsPrefix;
    if (prefix == null) {
      String env = System.getenv("LEDGERPKI_TOPICS_PREFIX");
      prefix = env == null ? "" : env.strip();
    }
    Map<String, String> effective;
    try {
      effective =
          MirrorConfig.overlay(
              MirrorConfig.properties(source, target, prefix, replicationFactor), overrides);
    } catch (IllegalArgumentException e) {
      System.err.println("ledgerpki run mirror: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    // The command line wins over the file for the clusters it names.
    if (from != null) {
      effective.put(MirrorConfig.SOURCE + ".bootstrap.servers", from);
    }
    if (to != null) {
      effective.put(MirrorConfig.TARGET + ".bootstrap.servers", to);
    }
    String text =
        MirrorConfig.render(
            effective,
            "MirrorMaker 2 for an operator's mirror of the consortium ledger (docs/federation.md).\n"
                + "Written by ledgerpki run mirror"
                + (overlayFile == null ? "" : " from " + overlayFile)
                + ".\nRun it with: ledgerpki run mirror --config FILE, or Kafka's\n"
                + "bin/connect-mirror-maker.sh FILE --clusters "
                + MirrorConfig.TARGET);
    if (printConfig) {
      System.out.print(text);
      return ExitCodes.OK;
    }
    Files.createDirectories(workDir);
    Path file = workDir.resolve("mm2.properties");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    System.err.println(
        "ledgerpki run mirror: MirrorMaker 2 "
            + MirrorConfig.FLOW
            + " ("
            + effective.get(MirrorConfig.SOURCE + ".bootstrap.servers")
            + " -> "
            + effective.get(MirrorConfig.TARGET + ".bootstrap.servers")
            + "), topics "
            + effective.get(MirrorConfig.FLOW + ".topics")
            + "; configuration "
            + file.toAbsolutePath());
    String heap = System.getenv().getOrDefault("LEDGERPKI_MIRROR_HEAP", "512m");
    JvmService mm2 =
        MirrorMaker2.start(
            "mirror",
            file,
            MirrorConfig.TARGET,
            workDir,
            List.of("-Xmx" + heap),
            /* logFile= */ null);
    // Ctrl-C or SIGTERM stops MirrorMaker 2 (its own shutdown hook commits its offsets).
    JvmService.atExit(mm2::close);
    Integer code;
    do {
      code = mm2.awaitExit(Duration.ofMinutes(1));
    } while (code == null);
    System.err.println("ledgerpki run mirror: MirrorMaker 2 exited with code " + code);
    return code == 0 ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      out.put(k, p.getProperty(k));
    }
    return out;
  }
}
