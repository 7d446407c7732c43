package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.cli.LedgerPki;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.embedded.KafkaFixtureExtension;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.StatusEntry;
import picocli.CommandLine;

/**
 * {@code ledgerpki audit} on a real broker: it passes a consistent ledger and names each thing
 * wrong in a tampered one (a duplicate index, a gap, a cosigner that signed another root, a
 * certificate listed as expected that is not in the log, an entry or status event without the log's
 * valid signature). The compose test runs it on a real consortium's ledger under faults.
 */
@ExtendWith(KafkaFixtureExtension.class)
class AuditIT {
  /** The log of the policy the audit is given; the honest records are signed with its key. */
  private static final LogKeys LOG = TestConsortium.get().log();

  private static final String ORIGIN = LOG.origin();
  private static final Instant AT = Instant.ofEpochMilli(1_767_225_600_000L);

  private static KafkaFixture kafka;
  private static LedgerSerdes serdes;

  @TempDir Path dir;

  @BeforeAll
  static void setUp(KafkaFixture fixture) {
    kafka = fixture;
    serdes = LedgerSerdes.registry(kafka.registryUrl());
  }

  @AfterAll
  static void tearDown() {
    serdes.close();
  }

  @Test
  void aConsistentLedgerPasses() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("auditGood");
    Topics topics = provisioned(prefix);
    List<byte[]> certs = certificates(5);
    write(topics.entries(), entries(certs, 0, 1, 2, 3, 4, 5));
    CompactRange r = range(certs, 6);
    write(
        topics.cosignatures(),
        List.of(
            cosignature("vendor-a", 3, range(certs, 3).root()),
            cosignature("operator-b", 3, range(certs, 3).root()),
            cosignature("vendor-a", 6, r.root()),
            cosignature("operator-b", 6, r.root())));
    write(topics.decisions(), decisions(certs));
    write(
        topics.status(),
        List.of(signed(statusEvent(0, certs.get(0))), signed(statusEvent(1, certs.get(1)))));
    Path expect = manifest(certs);

    Run run = audit(prefix, "--expect-admitted", expect.toString());

    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("6 entries, indices 0..5 contiguous: yes; 0 gaps, 0 duplicate indices")
        .contains("2 cosigned sizes checked against recomputed roots, 0 disagreeing")
        .contains(
            "log signatures: 6 entries and 2 status events checked with the key of log "
                + ORIGIN
                + "; 0 entries and 0 status events without a valid one")
        .contains(
            "log signatures: 5 decisions checked with the key of log "
                + ORIGIN
                + "; 0 without a valid one")
        .contains("expected 5: 5 decided, 5 admitted in a log, 0 undecided, 0 rejected")
        .contains("audit: every check holds");

    // The signatures are checked with the key of the policy given: under a policy that gives the
    // same log another key, not one record of this ledger passes.
    Path otherKey = dir.resolve("other-log-key.yaml");
    Files.writeString(
        otherKey,
        GeneratedConsortium.generate(
                "other", List.of("vendor-a", "operator-b"), LOG.caId(), 2, 2, "seed", "1s", "1h")
            .document()
            .toYaml());
    Run other = auditUnder(otherKey, prefix);
    assertThat(other.code()).as(other.output()).isEqualTo(1);
    assertThat(other.output())
        .contains(ORIGIN + ": entry at index 0 refused: its log signature does not verify")
        .contains("6 entries and 2 status events without a valid one")
        .contains("5 decisions checked with the key of log " + ORIGIN + "; 5 without a valid one")
        .contains("no validly signed entry in " + topics.entries().name());
  }

  /**
   * What a writer without the log's key can put on the topics (a mirror, a broker ACL mistake; ADR
   * 0012): an unsigned entry at the next index before the real one, an entry signed with another
   * key, an unsigned revocation at the next status sequence number before the real event, and an
   * acceptance of a certificate nobody submitted, its log signature left from another. Each is a
   * failure, named, and is left out of the log the audit checks: the honest entries around them are
   * still contiguous and agree with the cosigned roots.
   */
  @Test
  void recordsWithoutTheLogsSignatureFailTheAuditAndAreLeftOutOfTheLog() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("auditUnsigned");
    Topics topics = provisioned(prefix);
    List<byte[]> certs = certificates(5);
    List<LedgerEntry> honest = entries(certs, 0, 1, 2, 3, 4, 5);
    byte[] otherCert = "a forged certificate".getBytes(StandardCharsets.UTF_8);
    LedgerEntry forged = entries(List.of(otherCert, otherCert, otherCert), 3).get(0);
    forged.setLogSignature(null);
    LedgerEntry impostor = entries(certificates(6), 6).get(0);
    LogRecords.sign(impostor, LogKeys.generate(LOG.caId(), LOG.number()).ed25519().getPrivate());
    List<LedgerEntry> onTopic = new ArrayList<>(honest.subList(0, 3));
    onTopic.add(forged);
    onTopic.addAll(honest.subList(3, 6));
    onTopic.add(impostor);
    write(topics.entries(), onTopic);
    write(
        topics.cosignatures(),
        List.of(
            cosignature("vendor-a", 3, range(certs, 3).root()),
            cosignature("vendor-a", 6, range(certs, 6).root()),
            cosignature("operator-b", 6, range(certs, 6).root())));
    StatusEntry forgedRevocation = statusEvent(1, certs.get(2));
    write(
        topics.status(),
        List.of(
            signed(statusEvent(0, certs.get(0))),
            forgedRevocation,
            signed(statusEvent(1, certs.get(1)))));
    // An acceptance of the forged certificate, unsigned, before the log's real decisions.
    Decision forgedAcceptance = decisions(List.of(otherCert)).get(0);
    forgedAcceptance.setSubmissionId("forged");
    List<Decision> decisions = new ArrayList<>(List.of(forgedAcceptance));
    decisions.addAll(decisions(certs));
    write(topics.decisions(), decisions);

    Run run = audit(prefix);

    assertThat(run.code()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(ORIGIN + ": entry at index 3 refused: it carries no log signature")
        .contains(
            ORIGIN
                + ": entry at index 6 refused: its log signature does not verify with the key of"
                + " log "
                + ORIGIN)
        .contains(ORIGIN + ": status event 1 refused: it carries no log signature")
        .contains("decision on submission forged refused: its log signature does not verify")
        .contains(
            "log signatures: 8 entries and 3 status events checked with the key of log "
                + ORIGIN
                + "; 2 entries and 1 status events without a valid one")
        // Left out, the forgeries disturb none of the other checks.
        .contains("6 entries, indices 0..5 contiguous: yes; 0 gaps, 0 duplicate indices")
        .contains("2 cosigned sizes checked against recomputed roots, 0 disagreeing")
        .contains("6 decisions checked with the key of log " + ORIGIN + "; 1 without a valid one")
        .contains("audit: 4 failures");
  }

  @Test
  void aTamperedLedgerFailsAndEachFaultIsNamed() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("auditBad");
    Topics topics = provisioned(prefix);
    List<byte[]> certs = certificates(5);
    // Index 2 twice; the log is otherwise whole up to 5.
    write(topics.entries(), entries(certs, 0, 1, 2, 2, 3, 4, 5));
    byte[] otherRoot = Sha256.hash("a root of another tree".getBytes(StandardCharsets.UTF_8));
    write(
        topics.cosignatures(),
        List.of(
            cosignature("vendor-a", 3, range(certs, 3).root()),
            cosignature("operator-b", 3, otherRoot)));
    write(topics.decisions(), decisions(certs.subList(0, 4)));
    List<byte[]> expected = new ArrayList<>(certs);
    expected.add("never submitted".getBytes(StandardCharsets.UTF_8));

    Run run = audit(prefix, "--expect-admitted", manifest(expected).toString());

    assertThat(run.code()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("index 2 again, after index 2")
        .contains("1 duplicate indices")
        .contains("size 3: recomputed root " + Hex.encode(range(certs, 3).root()))
        .contains(Hex.encode(otherRoot))
        .contains("expected 6: 4 decided, 5 admitted in a log, 2 undecided, 0 rejected");
  }

  @Test
  void aGapIsNamed() throws Exception {
    String prefix = KafkaFixture.uniquePrefix("auditGap");
    Topics topics = provisioned(prefix);
    List<byte[]> certs = certificates(5);
    write(topics.entries(), entries(certs, 0, 1, 3, 4));

    Run run = audit(prefix);

    assertThat(run.code()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("expected index 2, found 3").contains("1 gaps");
  }

  @Test
  void aMalformedManifestIsAUsageError() throws Exception {
    Path bad = dir.resolve("bad.sha256");
    Files.writeString(bad, "not-a-hash  x.pem\n");
    Run run = audit(KafkaFixture.uniquePrefix("auditUsage"), "--expect-admitted", bad.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.output()).contains("line 1: expected 64 hex digits, found 'not-a-hash  x.pem'");
  }

  // ---- fixtures

  private Topics provisioned(String prefix) {
    Topics topics = Topics.create(prefix, serdes);
    new TopicProvisioner(kafka.admin(), Duration.ofSeconds(30)).ensure(topics);
    return topics;
  }

  private static List<byte[]> certificates(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(("certificate " + i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The leaf of index i: a null entry at 0, then certificate i. */
  private static byte[] leaf(List<byte[]> certs, long index) {
    return index == 0
        ? new byte[] {0, 0, 0, 0}
        : ("entry for " + new String(certs.get((int) index - 1), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
  }

  private static CompactRange range(List<byte[]> certs, long size) {
    CompactRange r = new CompactRange();
    for (long i = 0; i < size; i++) {
      r.append(Rfc9162.leafHash(leaf(certs, i)));
    }
    return r;
  }

  private static List<LedgerEntry> entries(List<byte[]> certs, long... indices) {
    List<LedgerEntry> out = new ArrayList<>();
    for (long i : indices) {
      LedgerEntry.Builder b =
          LedgerEntry.newBuilder()
              .setOrigin(ORIGIN)
              .setLogNumber(1)
              .setIndex(i)
              .setEntry(ByteBuffer.wrap(leaf(certs, i)))
              .setEvidence(List.of())
              .setSequencedAt(AT);
      if (i > 0) {
        byte[] cert = certs.get((int) i - 1);
        b.setCertificate(ByteBuffer.wrap(cert))
            .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(cert)))
            .setSubmissionId("s" + i)
            .setSubmitter("vendor-a");
      }
      out.add(LogRecords.sign(b.build(), LOG.ed25519().getPrivate()));
    }
    return out;
  }

  /**
   * Status event {@code sequence} of the log: a revocation of {@code cert}, unsigned (sign it with
   * {@link #signed}).
   */
  private static StatusEntry statusEvent(long sequence, byte[] cert) {
    return StatusEntry.newBuilder()
        .setOrigin(ORIGIN)
        .setLogNumber(LOG.number())
        .setSequence(sequence)
        .setEvent(ByteBuffer.wrap(("status event " + sequence).getBytes(StandardCharsets.UTF_8)))
        .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(cert)))
        .setOperation(Operation.REVOKE)
        .setReasonCode(1)
        .setOwner("vendor-a")
        .setRequests(List.of())
        .setEvidence(List.of())
        .setSequencedAt(AT)
        .build();
  }

  /** {@code s} signed with the log's key, as the issuance stream signs what it publishes. */
  private static StatusEntry signed(StatusEntry s) {
    return LogRecords.sign(s, LOG.ed25519().getPrivate());
  }

  private static Cosignature cosignature(String cosigner, long size, byte[] root) {
    return Cosignature.newBuilder()
        .setCosigner(cosigner)
        .setOrigin(ORIGIN)
        .setKind(CosignatureKind.CHECKPOINT)
        .setStart(0)
        .setEnd(size)
        .setHash(ByteBuffer.wrap(root))
        .setTimestamp(AT.getEpochSecond())
        .setLines(List.of())
        .build();
  }

  private static List<Decision> decisions(List<byte[]> certs) {
    List<Decision> out = new ArrayList<>();
    for (byte[] c : certs) {
      out.add(
          Decision.newBuilder()
              .setSubmissionId("s")
              .setOperation(Operation.ISSUE)
              .setSubmitter("vendor-a")
              .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(c)))
              .setOutcome(Outcome.ACCEPTED)
              .setReasons(List.of())
              .setEvidence(List.of())
              .setDecidedAt(AT)
              .setOrigin(ORIGIN)
              .build());
    }
    out.forEach(d -> LogRecords.sign(d, LOG.ed25519().getPrivate()));
    return out;
  }

  private Path manifest(List<byte[]> certs) throws Exception {
    StringBuilder s = new StringBuilder();
    for (byte[] c : certs) {
      s.append(Hex.encode(Sha256.hash(c))).append("  cert.pem\n");
    }
    Path p = Files.createTempFile(dir, "expected", ".sha256");
    Files.writeString(p, s);
    return p;
  }

  private static <V> void write(Topic<String, V> topic, List<V> values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (V v : values) {
        producer.send(new ProducerRecord<>(topic.name(), ORIGIN, v)).get();
      }
    }
  }

  record Run(int code, String output) {}

  /** Runs the audit under the policy of {@link TestConsortium}, whose log is {@link #LOG}. */
  private Run audit(String prefix, String... more) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    if (!Files.exists(policy)) {
      Files.writeString(policy, TestConsortium.get().document(2, 2, "seed").toYaml());
    }
    return auditUnder(policy, prefix, more);
  }

  private static Run auditUnder(Path policy, String prefix, String... more) {
    List<String> args = new ArrayList<>();
    args.add("audit");
    args.add("--policy");
    args.add(policy.toString());
    args.add("--bootstrap");
    args.add(kafka.bootstrapServers());
    args.add("--registry");
    args.add(kafka.registryUrl());
    args.add("--topic-prefix");
    args.add(prefix);
    args.add("--timeout");
    args.add("PT30S");
    args.addAll(List.of(more));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(p);
    System.setErr(p);
    try {
      int code = new CommandLine(new LedgerPki()).execute(args.toArray(String[]::new));
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
