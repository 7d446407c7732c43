package org.ledgerpki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.PolicyException;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ledgerpki audit}: reads the ledger topics from the beginning, as any member or auditor
 * may, and checks what the ledger promises: every entry, status event and decision carries the
 * signature of the log of the trust policy given ({@code --policy};
 * docs/adr/0012-log-signed-ledger-records.md), the indices of every log are contiguous from 0 with
 * no gap and no duplicate, no certificate is in a log twice, and every root that a cosigner signed
 * is the root recomputed here from the entries, so all cosigners agree with each other and with the
 * entries. A record without a valid log signature is a failure, and is left out of the other
 * checks, as every reader refuses it. With {@code --expect-admitted FILE}, it also checks that each
 * certificate listed was decided and admitted.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Audit the ledger topics: every entry, status event and decision signed by the",
      "policy's log, indices contiguous from 0, no duplicate certificate, every",
      "cosigned root equal to the root recomputed from the entries (so the cosigners",
      "agree), and optionally that listed certificates were all admitted. Exit 0 if",
      "every check holds, 1 if one fails (each failure is printed), 2 for bad usage."
    })
public final class AuditCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      defaultValue = "${env:LEDGERPKI_POLICY}",
      description =
          "The trust policy (policy.yaml; env LEDGERPKI_POLICY). Every entry, status event and"
              + " decision must carry the signature of its log, with the log's Ed25519 key. Required.")
  Path policyFile;

  @Option(
      names = "--expect-admitted",
      paramLabel = "FILE",
      description =
          "Hex SHA-256 of the DER of certificates that must be admitted, one per line (the first field: sha256sum output works).")
  Path expectAdmitted;

  @Option(
      names = "--timeout",
      defaultValue = "PT2M",
      description = "How long to read each topic to its end (ISO-8601; default: ${DEFAULT-VALUE}).")
  Duration timeout;

  private final List<String> failures = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    Set<String> expected = new LinkedHashSet<>();
    if (expectAdmitted != null) {
      if (!Files.isRegularFile(expectAdmitted)) {
        System.err.println("ledgerpki audit: --expect-admitted: no file " + expectAdmitted);
        return ExitCodes.USAGE;
      }
      int lineNo = 0;
      for (String line : Files.readAllLines(expectAdmitted, StandardCharsets.US_ASCII)) {
        lineNo++;
        String stripped = line.strip();
        if (stripped.isEmpty()) {
          continue;
        }
        // The hash is the first field, so that sha256sum's output can be given as it is.
        String h = stripped.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{64}")) {
          System.err.println(
              "ledgerpki audit: --expect-admitted "
                  + expectAdmitted
                  + " line "
                  + lineNo
                  + ": expected 64 hex digits, found '"
                  + line
                  + "'");
          return ExitCodes.USAGE;
        }
        expected.add(h);
      }
    }
    if (policyFile == null) {
      System.err.println(
          "ledgerpki audit: give the trust policy with --policy FILE (or env LEDGERPKI_POLICY):"
              + " its log key checks the log's signature on every entry and status event");
      return ExitCodes.USAGE;
    }
    if (!Files.isRegularFile(policyFile)) {
      System.err.println("ledgerpki audit: --policy: no file " + policyFile);
      return ExitCodes.USAGE;
    }
    TrustPolicy policy;
    try {
      policy = TrustPolicyReader.parse(Files.readAllBytes(policyFile), policyFile.toString());
    } catch (PolicyException e) {
      System.err.println("ledgerpki audit: --policy: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    LogSignatureAudit signatures = new LogSignatureAudit(policy.log());
    try (LedgerSerdes serdes = LedgerSerdes.registry(kafka.registry)) {
      Topics topics =
          Topics.create(
              TopicSettings.defaults()
                  .withPrefix(kafka.topicPrefix == null ? "" : kafka.topicPrefix),
              serdes);
      // Roots claimed by cosigners, per log and size: root (hex) -> cosigners.
      Map<String, TreeMap<Long, Map<String, Set<String>>>> claimed = new HashMap<>();
      long[] cosignatures = {0};
      Set<String> cosigners = new HashSet<>();
      readToEnd(
          topics.cosignatures(),
          c -> {
            if (c.getKind() != CosignatureKind.CHECKPOINT) {
              return;
            }
            cosignatures[0]++;
            cosigners.add(c.getCosigner());
            claimed
                .computeIfAbsent(c.getOrigin(), o -> new TreeMap<>())
                .computeIfAbsent(c.getEnd(), s -> new HashMap<>())
                .computeIfAbsent(Hex.encode(Evidence.bytes(c.getHash())), r -> new HashSet<>())
                .add(c.getCosigner());
          });
      Map<String, Log> logs = new TreeMap<>();
      Set<String> admitted = new HashSet<>();
      readToEnd(
          topics.entries(),
          e -> {
            String refused = signatures.entry(e);
            if (refused != null) {
              // Every reader refuses it: it is no part of the log the other checks look at.
              fail(e.getOrigin() + ": entry at index " + e.getIndex() + " refused: " + refused);
              return;
            }
            Log log = logs.computeIfAbsent(e.getOrigin(), o -> new Log());
            log.add(e, claimed.getOrDefault(e.getOrigin(), new TreeMap<>()));
            if (e.getCertificateSha256() != null) {
              String h = Hex.encode(Evidence.bytes(e.getCertificateSha256()));
              if (!admitted.add(h)) {
                fail(
                    "certificate "
                        + h
                        + " is in the ledger twice (again at index "
                        + e.getIndex()
                        + ")");
              }
            }
          });
      for (Map.Entry<String, Log> l : logs.entrySet()) {
        Log log = l.getValue();
        TreeMap<Long, Map<String, Set<String>>> sizes =
            claimed.getOrDefault(l.getKey(), new TreeMap<>());
        // Sizes cosigned beyond the entries read: the entries are missing.
        for (Long size : sizes.tailMap(log.range.size(), false).keySet()) {
          fail(
              l.getKey()
                  + ": a cosigner signed size "
                  + size
                  + " but the log has only "
                  + log.range.size()
                  + " entries");
        }
        // The empty tree (size 0) may be cosigned too.
        checkRoot(l.getKey(), 0, Rfc9162.emptyRoot(), sizes.get(0L), log);
        System.out.printf(
            "log %s: %d entries, indices 0..%d contiguous: %s; %d gaps, %d duplicate indices;"
                + " %d cosigned sizes checked against recomputed roots, %d disagreeing%n",
            l.getKey(),
            log.range.size(),
            log.range.size() - 1,
            log.gaps == 0 && log.duplicates == 0 ? "yes" : "NO",
            log.gaps,
            log.duplicates,
            log.sizesChecked,
            log.sizesDisagreeing);
      }
      if (logs.isEmpty()) {
        fail(
            (signatures.entriesRefused() == 0 ? "no entries in " : "no validly signed entry in ")
                + topics.entries().name());
      }
      readToEnd(
          topics.status(),
          s -> {
            String refused = signatures.statusEvent(s);
            if (refused != null) {
              fail(s.getOrigin() + ": status event " + s.getSequence() + " refused: " + refused);
            }
          });
      System.out.println(signatures.summary());
      System.out.printf(
          "cosignatures: %d checkpoint cosignatures from %d cosigners %s%n",
          cosignatures[0], cosigners.size(), new TreeSet<>(cosigners));
      Map<String, Outcome> decided = new HashMap<>();
      readToEnd(
          topics.decisions(),
          d -> {
            String refused = signatures.decision(d);
            if (refused != null) {
              fail("decision on submission " + d.getSubmissionId() + " refused: " + refused);
            } else if (d.getOperation() == Operation.ISSUE) {
              decided.merge(
                  Hex.encode(Evidence.bytes(d.getCertificateSha256())),
                  d.getOutcome(),
                  (a, b) -> a == Outcome.ACCEPTED ? a : b);
            }
          });
      System.out.println(signatures.decisionSummary());
      if (!expected.isEmpty()) {
        int undecided = 0;
        int rejected = 0;
        int notInLog = 0;
        for (String h : expected) {
          Outcome o = decided.get(h);
          if (o == null) {
            undecided++;
          } else if (o != Outcome.ACCEPTED) {
            rejected++;
          }
          if (!admitted.contains(h)) {
            notInLog++;
          }
        }
        System.out.printf(
            "expected %d: %d decided, %d admitted in a log, %d undecided, %d rejected%n",
            expected.size(),
            expected.size() - undecided,
            expected.size() - notInLog,
            undecided,
            rejected);
        if (undecided + rejected + notInLog > 0) {
          fail(
              undecided
                  + " of the expected certificates undecided, "
                  + rejected
                  + " rejected, "
                  + notInLog
                  + " not in a log");
        }
      }
    }
    for (String f : failures.subList(0, Math.min(failures.size(), 20))) {
      System.out.println("FAIL " + f);
    }
    if (failures.size() > 20) {
      System.out.println("... and " + (failures.size() - 20) + " more failures");
    }
    System.out.println(
        failures.isEmpty()
            ? "audit: every check holds"
            : "audit: " + failures.size() + " failures");
    return failures.isEmpty() ? ExitCodes.OK : 1;
  }

  /** One log as read: its compact range, and what was found wrong. */
  private final class Log {
    final CompactRange range = new CompactRange();
    long gaps;
    long duplicates;
    long sizesChecked;
    long sizesDisagreeing;

    void add(LedgerEntry e, TreeMap<Long, Map<String, Set<String>>> sizes) {
      long expect = range.size();
      if (e.getIndex() < expect) {
        duplicates++;
        fail(e.getOrigin() + ": index " + e.getIndex() + " again, after index " + (expect - 1));
        return;
      }
      if (gaps > 0) {
        return; // after a gap no root can be recomputed: the first gap is the finding
      }
      if (e.getIndex() > expect) {
        gaps++;
        fail(e.getOrigin() + ": expected index " + expect + ", found " + e.getIndex());
        return;
      }
      range.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
      checkRoot(e.getOrigin(), range.size(), null, sizes.get(range.size()), this);
    }
  }

  private void checkRoot(
      String origin, long size, byte[] root, Map<String, Set<String>> claims, Log log) {
    if (claims == null) {
      return;
    }
    String want = Hex.encode(root != null ? root : log.range.root());
    log.sizesChecked++;
    if (claims.size() != 1 || !claims.containsKey(want)) {
      log.sizesDisagreeing++;
      fail(origin + " size " + size + ": recomputed root " + want + ", cosigners signed " + claims);
    }
  }

  private void fail(String what) {
    failures.add(what);
  }

  /** Reads a topic from the beginning to its end as of now (read_committed). */
  private <V> void readToEnd(Topic<String, V> topic, Consumer<V> each) {
    Properties p = new Properties();
    p.putAll(Settings.kafkaClientProperties(System.getenv()));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        fail("topic " + topic.name() + " does not exist");
        return;
      }
      for (PartitionInfo pi : infos) {
        parts.add(new TopicPartition(pi.topic(), pi.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      Instant deadline = Instant.now().plus(timeout);
      while (!ends.entrySet().stream()
          .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        if (Instant.now().isAfter(deadline)) {
          fail("could not read " + topic.name() + " to its end " + ends + " within " + timeout);
          return;
        }
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
          each.accept(r.value());
        }
      }
    }
  }
}
