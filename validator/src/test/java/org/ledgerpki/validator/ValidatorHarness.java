package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;

/**
 * operator-b's validator on a {@link TopologyTestDriver}, with helpers to submit signed (or
 * tampered) submissions, to publish ledger entries and status records (signed by the log, as the
 * issuance stream publishes them; or as given), and to read the verdicts, dead letters and
 * counters. One harness per test: each case starts from empty stores.
 */
final class ValidatorHarness implements AutoCloseable {
  static final TestConsortium TC = TestConsortium.get();

  /** The log's Ed25519 key, with which it signs the records it publishes. */
  static final java.security.PrivateKey LOG_KEY = TC.log().ed25519().getPrivate();

  final TrustPolicy policy;
  final LedgerSerdes serdes = LedgerSerdes.inMemory();
  final Topics topics = Topics.create(serdes);
  final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> submissions;
  private final TestInputTopic<String, byte[]> entries;
  private final TestInputTopic<String, byte[]> status;
  final TestInputTopic<String, byte[]> policyChanges;
  final org.ledgerpki.streams.policy.PolicyHolder holder;
  private final TestOutputTopic<String, Endorsement> endorsements;
  private final TestOutputTopic<String, DeadLetter> dlq;
  private long index = 1;
  private long statusSeq;

  ValidatorHarness() {
    this(TC.policy());
  }

  ValidatorHarness(TrustPolicy policy) {
    this(policy, new ValidatorOptions(100, Duration.ofMillis(20)));
  }

  ValidatorHarness(TrustPolicy policy, ValidatorOptions options) {
    this.policy = policy;
    this.holder = org.ledgerpki.streams.policy.PolicyHolder.genesis(policy);
    MemberKeys b = TC.member("operator-b");
    BatchSigner signer =
        new BatchSigner("operator-b", b.endorsement().getPrivate(), b.endorsement().getPublic());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "validator-harness");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            ValidatorTopology.build(holder, topics, signer, Clock.systemUTC(), options), p);
    submissions = input(topics.submissions().name());
    entries = input(topics.entries().name());
    status = input(topics.status().name());
    policyChanges = input(topics.policy().name());
    endorsements =
        driver.createOutputTopic(
            topics.endorsements().name(),
            Serdes.String().deserializer(),
            topics.endorsements().valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            topics.dlq().name(),
            Serdes.String().deserializer(),
            topics.dlq().valueSerde().deserializer());
  }

  /** Publishes a policy change on {@code ledger.policy}, as the issuance stream does. */
  void policyChange(org.ledgerpki.core.policy.PolicyChange c) {
    policyChanges.pipeInput(
        Long.toString(c.serial()),
        topics
            .policy()
            .valueSerde()
            .serializer()
            .serialize(topics.policy().name(), org.ledgerpki.schemas.Governance.toAvro(c)));
  }

  private TestInputTopic<String, byte[]> input(String name) {
    return driver.createInputTopic(
        name, Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  static BatchSigner submitter(String id) {
    MemberKeys m = TC.member(id);
    return new BatchSigner(id, m.submission().getPrivate(), m.submission().getPublic());
  }

  /** An ISSUE of {@code der} by {@code id}, signed. */
  static Submission issue(String id, byte[] der) {
    return Submissions.issue(submitter(id), List.of(der), Instant.now()).get(0).submission();
  }

  /** A lifecycle request of {@code id}, signed. */
  static Submission request(
      String id, Operation op, byte[] target, Integer reason, byte[] newCertificate) {
    Submission.Builder b =
        Submission.newBuilder()
            .setSubmissionId(UUID.randomUUID().toString())
            .setOperation(op)
            .setSubmitter(id)
            .setCertificate(Evidence.buffer(newCertificate))
            .setTargetCertificateSha256(Evidence.buffer(target))
            .setReasonCode(reason)
            .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()));
    return Submissions.sign(submitter(id), List.of(b)).get(0).submission();
  }

  /** Serializes {@code s} with the topic's serde. */
  byte[] bytes(Submission s) {
    return topics.submissions().valueSerde().serializer().serialize(topics.submissions().name(), s);
  }

  /** Pipes {@code s} under its proper key. */
  void pipe(Submission s) {
    pipe(Submissions.keyOf(s), bytes(s));
  }

  void pipe(String key, byte[] value) {
    submissions.pipeInput(key, value);
  }

  /** Lets the batch linger pass and returns every verdict published since the last call. */
  List<Endorsement> verdicts() {
    driver.advanceWallClockTime(Duration.ofMillis(50));
    return endorsements.readValuesToList();
  }

  /** Submits {@code s} and returns the one verdict on it. */
  Endorsement judge(Submission s) {
    pipe(s);
    List<Endorsement> out = verdicts();
    assertThat(out).as("one verdict on submission %s", s.getSubmissionId()).hasSize(1);
    assertThat(out.get(0).getSubmissionId()).isEqualTo(s.getSubmissionId());
    return out.get(0);
  }

  List<DeadLetter> deadLetters() {
    return dlq.readValuesToList();
  }

  static List<ReasonCode> codes(Endorsement e) {
    return e.getReasons().stream().map(r -> r.getCode()).toList();
  }

  /** The value of the validator's metric {@code name} with the given tags; 0 if none. */
  double metric(String name, String... tags) {
    double sum = 0;
    for (var e : driver.metrics().entrySet()) {
      if (!e.getKey().name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < tags.length; i += 2) {
        all &= tags[i + 1].equals(e.getKey().tags().get(tags[i]));
      }
      if (all) {
        sum += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return sum;
  }

  /**
   * Publishes {@code der} on ledger.entries as admitted by {@code owner}, with the MTC log entry
   * the issuance stream builds for it, signed by the log; returns its hash.
   */
  byte[] inLedger(byte[] der, String owner) {
    publish(LogRecords.sign(entry(der, owner), LOG_KEY));
    return Sha256.hash(der);
  }

  /**
   * The entry record of {@code der} as admitted by {@code owner}, at the next index, not signed
   * (sign it with {@link LogRecords#sign(LedgerEntry, java.security.PrivateKey)}).
   */
  LedgerEntry entry(byte[] der, String owner) {
    byte[] entry;
    try {
      entry =
          TbsCertificateLogEntry.fromSubmittedCertificate(der, policy.log().caId())
              .toMtcLogEntry(List.of())
              .encode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return LedgerEntry.newBuilder()
        .setOrigin(policy.log().origin())
        .setLogNumber(policy.log().number())
        .setIndex(index++)
        .setEntry(Evidence.buffer(entry))
        .setCertificate(Evidence.buffer(der))
        .setCertificateSha256(Evidence.buffer(Sha256.hash(der)))
        .setSubmissionId(UUID.randomUUID().toString())
        .setSubmitter(owner)
        .setEvidence(List.of())
        .setSequencedAt(Instant.now())
        .build();
  }

  /** Publishes {@code e} on ledger.entries as it is. */
  void publish(LedgerEntry e) {
    entries.pipeInput(
        e.getOrigin(),
        topics.entries().valueSerde().serializer().serialize(topics.entries().name(), e));
  }

  /**
   * Publishes a sequenced status record on ledger.status, signed by the log. Its {@code event}
   * bytes are not a decodable event: the validator reads the clear fields only.
   */
  void status(byte[] target, Operation op, Integer reason, String owner) {
    publish(LogRecords.sign(statusEntry(target, op, reason, owner), LOG_KEY));
  }

  /** The status record {@link #status} publishes, at the next sequence number, not signed. */
  StatusEntry statusEntry(byte[] target, Operation op, Integer reason, String owner) {
    return StatusEntry.newBuilder()
        .setOrigin(policy.log().origin())
        .setLogNumber(policy.log().number())
        .setSequence(statusSeq++)
        .setEvent(Evidence.buffer(new byte[] {(byte) 0xee}))
        .setCertificateSha256(Evidence.buffer(target))
        .setOperation(op)
        .setReasonCode(reason)
        .setOwner(owner)
        .setRequests(List.of())
        .setEvidence(List.of())
        .setSequencedAt(Instant.now())
        .build();
  }

  /** Publishes {@code e} on ledger.status as it is. */
  void publish(StatusEntry e) {
    status.pipeInput(
        e.getOrigin(),
        topics.status().valueSerde().serializer().serialize(topics.status().name(), e));
  }

  @Override
  public void close() {
    driver.close();
    serdes.close();
  }
}
