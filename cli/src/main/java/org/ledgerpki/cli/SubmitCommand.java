package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.schemas.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki submit}: submit certificates to the consortium, signed by an organisation. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit certificates to the ledger, signed with the organisation's key.",
      "Takes PEM or DER files, or directories of them, and writes them to ledger.submissions;",
      "the validators then endorse or reject them."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "CERT|DIR",
      description = "Certificate files or directories.")
  List<Path> inputs;

  @Option(names = "--org", required = true, description = "The submitting member's id.")
  String org;

  @Option(
      names = "--key",
      description =
          "Its submission private key (PKCS#8 PEM). Default: CONSORTIUM/ORG/submission.key.pem.")
  Path key;

  @Option(
      names = "--consortium",
      description = "A directory written by 'ledgerpki keygen consortium' or the demo.")
  Path consortium;

  @Mixin KafkaOptions kafka;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  record Loaded(Path path, byte[] der) {}

  @Override
  public Integer call() throws Exception {
    KeyPair kp;
    try {
      kp = ConsortiumFiles.memberSubmissionKey(key, consortium, org);
    } catch (ConfigException e) {
      System.err.println("ledgerpki submit: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    List<Loaded> certs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path in : inputs) {
      load(in, certs, problems);
    }
    for (String p : problems) {
      System.err.println("skipped " + p);
    }
    if (certs.isEmpty()) {
      System.err.println(
          "ledgerpki submit: no certificate found in "
              + inputs
              + " (looked for .pem, .crt, .cer and .der files)");
      return ExitCodes.USAGE;
    }
    Progress bar = new Progress(quiet ? null : System.err, "submitting", certs.size());
    SubmissionClient.Result r;
    try {
      r =
          SubmissionClient.submit(
              org,
              kp,
              certs.stream().map(Loaded::der).toList(),
              kafka.bootstrap,
              kafka.registry,
              kafka.topicPrefix,
              (done, total) -> bar.update(done));
    } catch (IllegalStateException | java.util.concurrent.ExecutionException e) {
      System.err.println();
      System.err.println(
          "ledgerpki submit: could not submit: "
              + e.getMessage()
              + " (check --bootstrap, --registry and --topic-prefix)");
      return ExitCodes.UNAVAILABLE;
    }
    bar.finish();
    System.out.printf(
        Locale.ROOT,
        "Submitted %d certificate(s) as '%s' to %s in %.1f s.%n",
        r.submitted(),
        org,
        r.topic(),
        r.seconds());
    if (!problems.isEmpty()) {
      System.out.println(problems.size() + " file(s) skipped (see above).");
      return ExitCodes.USAGE;
    }
    System.out.println(
        "Ask an inquiry node for their status: ledgerpki status CERT --node http://localhost:8080 --trust trust.json");
    return ExitCodes.OK;
  }

  static void load(Path in, List<Loaded> out, List<String> problems) {
    if (Files.isDirectory(in)) {
      try (Stream<Path> files = Files.walk(in)) {
        for (Path f :
            files
                .filter(Files::isRegularFile)
                .filter(SubmitCommand::looksLikeCertificate)
                .sorted()
                .toList()) {
          loadFile(f, out, problems);
        }
      } catch (IOException e) {
        problems.add(in + ": cannot read the directory: " + e.getMessage());
      }
    } else {
      loadFile(in, out, problems);
    }
  }

  private static boolean looksLikeCertificate(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer") || n.endsWith(".der"))
        && !n.endsWith(".key.pem");
  }

  private static void loadFile(Path f, List<Loaded> out, List<String> problems) {
    try {
      for (X509Certificate c : Certificates.parseAll(Files.readAllBytes(f))) {
        out.add(new Loaded(f, Certificates.der(c)));
      }
    } catch (IOException e) {
      problems.add(f + ": cannot read: " + e.getMessage());
    } catch (MalformedInputException e) {
      problems.add(f + ": not a certificate: " + e.getMessage());
    }
  }
}
