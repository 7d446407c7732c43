package org.ledgerpki.bench.system;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.streams.StreamsRuntime;
import org.ledgerpki.validator.ValidatorOptions;
import org.ledgerpki.validator.ValidatorService;

/**
 * One validator on its own: the submissions are on the topic before it starts, so the figure is its
 * processing rate (decode, submitter signature, profile with the self-signature, key registry,
 * batch signing, produce), which is what scales with one machine per organisation.
 *
 * <p>It prints the whole run, start-up and the JIT's warm-up included, and the second half of the
 * verdicts alone: the validator's rate once it is warm, which is what P2's per-core goal is about.
 */
final class ValidatorAloneBench {
  private final Path state;

  ValidatorAloneBench(Path state) {
    this.state = state;
  }

  private static void say(String fmt, Object... args) {
    System.out.printf(Locale.ROOT, fmt + "%n", args);
  }

  void run(
      String bootstrap,
      String registry,
      Path policyFile,
      GeneratedConsortium gc,
      List<byte[]> certs)
      throws Exception {
    String prefix = "p2v.";
    MemberKeys a = gc.members().get(0);
    LocalConsortium.Connection conn =
        new LocalConsortium.Connection(bootstrap, registry, prefix, state);
    try (LedgerSerdes s0 = LedgerSerdes.registry(registry)) {
      StreamsRuntime.provision(
          LocalConsortium.config(conn, policyFile, "provision"),
          Topics.create(TopicSettings.defaults().withPrefix(prefix), s0));
    }
    SubmissionClient.submit("vendor-a", a.submission(), certs, bootstrap, registry, prefix, null);
    try (LedgerSerdes serdes = LedgerSerdes.registry(registry)) {
      Topics topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      long cpu0 = PipelineBench.processCpuNanos();
      long t0 = System.nanoTime();
      long firstOut = 0;
      long halfAt = 0;
      long cpuHalf = 0;
      int seenHalf = 0;
      int seen = 0;
      try (var v =
              ValidatorService.start(
                  LocalConsortium.config(conn, policyFile, "validator"),
                  "operator-b",
                  gc.members().get(1).endorsement(),
                  ValidatorOptions.defaults());
          KafkaConsumer<byte[], byte[]> consumer =
              new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition tp = new TopicPartition(topics.endorsements().name(), 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (seen < certs.size() && Instant.now().isBefore(deadline)) {
          int n = consumer.poll(Duration.ofMillis(100)).count();
          if (n > 0 && firstOut == 0) {
            firstOut = System.nanoTime();
          }
          seen += n;
          if (halfAt == 0 && seen >= certs.size() / 2) {
            halfAt = System.nanoTime();
            cpuHalf = PipelineBench.processCpuNanos();
            seenHalf = seen;
          }
        }
        long t1 = System.nanoTime();
        long cpu1 = PipelineBench.processCpuNanos();
        long cpu = cpu1 - cpu0;
        say("one validator alone (operator-b), %d queued submissions:", seen);
        say(
            "  %8.0f certificates/s from its first verdict to its last (%.1f s in all, start-up"
                + " included)",
            seen / ((t1 - firstOut) / 1e9), (t1 - t0) / 1e9);
        say(
            "  %8.0f µs of CPU per certificate, i.e. %.0f certificates/s per core (start-up and"
                + " JIT included)",
            cpu / 1e3 / seen, 1e9 * seen / cpu);
        int warm = seen - seenHalf;
        if (halfAt > 0 && warm > 0) {
          double warmCpu = cpu1 - cpuHalf;
          say(
              "  the second half (%d verdicts, warm): %.0f certificates/s, %.0f µs of CPU per"
                  + " certificate, i.e. %.0f certificates/s per core",
              warm, warm / ((t1 - halfAt) / 1e9), warmCpu / 1e3 / warm, 1e9 * warm / warmCpu);
        }
      }
    }
  }
}
