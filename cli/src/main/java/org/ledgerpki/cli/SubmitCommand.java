package org.ledgerpki.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.runtime.ConfigException;
import org.ledgerpki.schemas.runtime.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledgerpki submit}: submit certificates to the consortium, signed by an organisation. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit certificates (PEM or DER files, or directories of them) to ledger.submissions,",
      "signed with the organisation's submission key. The validators then endorse or reject them."
    })
final class SubmitCommand implements Callable<Integer> {
  static final int BATCH = 256;

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
    Path keyFile =
        key != null
            ? key
            : consortium != null ? new ConsortiumFiles(consortium).submissionKey(org) : null;
    if (keyFile == null) {
      System.err.println(
          "ledgerpki submit: give the submission key with --key FILE, or --consortium DIR");
      return ExitCodes.USAGE;
    }
    if (!Files.isRegularFile(keyFile)) {
      System.err.println(
          "ledgerpki submit: no key file "
              + keyFile
              + "; create one with 'ledgerpki keygen consortium' or pass --key");
      return ExitCodes.USAGE;
    }
    KeyPair kp;
    try {
      kp = KeyFiles.read(keyFile, "--key");
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
    Result r =
        submit(
            org,
            kp,
            certs,
            kafka.bootstrap,
            kafka.registry,
            kafka.topicPrefix,
            quiet ? null : System.err);
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

  /** What a submission run did. */
  record Result(int submitted, String topic, double seconds) {}

  /**
   * Signs and produces ISSUE submissions, {@value #BATCH} per batch signature; waits until the
   * broker acknowledged all of them (acks=all, idempotent).
   */
  static Result submit(
      String org,
      KeyPair key,
      List<Loaded> certs,
      String bootstrap,
      String registry,
      String prefix,
      PrintStream progress)
      throws Exception {
    long start = System.nanoTime();
    BatchSigner signer = new BatchSigner(org, key.getPrivate(), key.getPublic());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    Progress bar = new Progress(progress, "submitting", certs.size());
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry)) {
      Topics topics =
          Topics.create(TopicSettings.defaults().withPrefix(prefix == null ? "" : prefix), serdes);
      try (KafkaProducer<String, Submission> producer =
          new KafkaProducer<>(
              p,
              topics.submissions().keySerde().serializer(),
              topics.submissions().valueSerde().serializer())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < certs.size(); i += BATCH) {
          List<byte[]> ders =
              certs.subList(i, Math.min(certs.size(), i + BATCH)).stream()
                  .map(Loaded::der)
                  .toList();
          for (Submissions.Keyed k : Submissions.issue(signer, ders, Instant.now())) {
            sent.add(
                producer.send(
                    new ProducerRecord<>(topics.submissions().name(), k.key(), k.submission())));
          }
        }
        int done = 0;
        for (Future<RecordMetadata> f : sent) {
          f.get();
          bar.update(++done);
        }
        bar.finish();
        return new Result(
            certs.size(), topics.submissions().name(), (System.nanoTime() - start) / 1e9);
      }
    }
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
