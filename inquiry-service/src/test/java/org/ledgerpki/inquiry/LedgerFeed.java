package org.ledgerpki.inquiry;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.SubtreePair;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.TopicProvisioner;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.SubtreeSignature;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Writes what the issuance and cosign streams would publish, onto real topics under one prefix: a
 * {@link TestLog}'s entries (real MTC encodings, each signed by the log, {@link LogSigning}),
 * cosigned checkpoints signed by the test consortium's log key and cosigners (with ML-DSA-44
 * subtree signatures), landmarks and decisions.
 */
public final class LedgerFeed implements AutoCloseable {
  public static final List<String> QUORUM = List.of("vendor-a", "operator-b");

  private final KafkaFixture fixture = KafkaFixture.shared();
  private final String prefix;
  private final LedgerSerdes serdes;
  private final Topics topics;
  private final TestLog log = new TestLog();
  private final List<byte[]> certificates = new ArrayList<>();
  private final KafkaProducer<String, LedgerEntry> entries;
  private final KafkaProducer<String, CosignedCheckpoint> cosigned;
  private final KafkaProducer<String, Landmark> landmarks;
  private final KafkaProducer<String, Decision> decisions;
  private final KafkaProducer<String, org.ledgerpki.schemas.avro.PolicyChange> policy;
  private final KafkaProducer<String, StatusEntry> status;
  private long published;

  /** Creates the topics under {@code prefix} and the producers. */
  public LedgerFeed(String prefix) {
    this.prefix = prefix;
    this.serdes = LedgerSerdes.registry(fixture.registryUrl());
    this.topics = Topics.create(prefix, serdes);
    new TopicProvisioner(fixture.admin(), Duration.ofSeconds(30)).ensure(topics);
    certificates.add(null);
    entries = producer(topics.entries());
    cosigned = producer(topics.cosigned());
    landmarks = producer(topics.landmarks());
    decisions = producer(topics.decisions());
    policy = producer(topics.policy());
    status = producer(topics.status());
  }

  private <V> KafkaProducer<String, V> producer(Topic<String, V> t) {
    return new KafkaProducer<>(
        fixture.producerProperties(), t.keySerde().serializer(), t.valueSerde().serializer());
  }

  public String prefix() {
    return prefix;
  }

  public KafkaFixture fixture() {
    return fixture;
  }

  public Topics topics() {
    return topics;
  }

  public TestLog log() {
    return log;
  }

  /** The DER of the certificate at {@code index}. */
  public byte[] certificate(long index) {
    return certificates.get((int) index);
  }

  /** The number of entries added (index 0 is the null entry). */
  public long size() {
    return log.tree().size();
  }

  /** Adds a certificate to the log (not yet published); returns its index. */
  public long add(byte[] der) {
    long index = log.add(der);
    certificates.add(der);
    return index;
  }

  /** Publishes every entry added since the last call, in order. */
  public void publishEntries() {
    for (long i = published; i < size(); i++) {
      byte[] cert = certificates.get((int) i);
      byte[] entry = i == 0 ? MtcLogEntry.nullEntry().encode() : entryBytes(i);
      LedgerEntry e =
          LedgerEntry.newBuilder()
              .setOrigin(log.origin())
              .setLogNumber(1)
              .setIndex(i)
              .setEntry(ByteBuffer.wrap(entry))
              .setCertificate(cert == null ? null : ByteBuffer.wrap(cert))
              .setCertificateSha256(cert == null ? null : ByteBuffer.wrap(Sha256.hash(cert)))
              .setSubmissionId(cert == null ? null : "sub-" + i)
              .setSubmitter(cert == null ? null : "vendor-a")
              .setEvidence(List.of())
              .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build();
      send(entries, topics.entries(), log.origin(), LogSigning.signed(e));
    }
    published = size();
  }

  /** The MTCLogEntry bytes at {@code index}, as the test log encoded them. */
  public byte[] entryBytes(long index) {
    // TestLog keeps its entries private; a GOOD answer carries them.
    String b64 = log.goodAnswer(index, size(), "", Instant.EPOCH, Instant.EPOCH).entry();
    return java.util.Base64.getDecoder().decode(b64);
  }

  /**
   * Publishes a checkpoint of {@code size} cosigned by {@code cosigners}, with the covering
   * subtrees of {@code [previousSize, size)} signed by each cosigner's ML-DSA-44 key.
   */
  public String publishCheckpoint(long previousSize, long size, List<String> cosigners) {
    String note = log.cosignedCheckpoint(size, cosigners, Instant.now().getEpochSecond());
    List<SignedSubtree> subtrees = new ArrayList<>();
    if (previousSize < size) {
      SubtreePair pair = Subtrees.findSubtrees(previousSize, size);
      for (Subtree s : List.of(pair.left(), pair.right())) {
        if (s.size() > 0) {
          subtrees.add(signed(s.start(), s.end(), cosigners));
        }
      }
    }
    CosignedCheckpoint c =
        CosignedCheckpoint.newBuilder()
            .setOrigin(log.origin())
            .setSize(size)
            .setRootHash(ByteBuffer.wrap(log.tree().rootAt(size)))
            .setPreviousSize(previousSize)
            .setNote(note)
            .setCosigners(cosigners)
            .setSubtrees(subtrees)
            .setPublishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .build();
    send(cosigned, topics.cosigned(), log.origin(), c);
    return note;
  }

  /** A subtree of the log with timestamp-0 ML-DSA-44 signatures of {@code cosigners}. */
  public SignedSubtree signed(long start, long end, List<String> cosigners) {
    byte[] hash = log.tree().subtreeHash(start, end);
    List<SubtreeSignature> sigs = new ArrayList<>();
    for (String id : cosigners) {
      MemberKeys m = TestConsortium.get().member(id);
      sigs.add(
          SubtreeSignature.newBuilder()
              .setCosigner(id)
              .setCosignerId(m.trustAnchorId())
              .setSignature(
                  ByteBuffer.wrap(m.mlDsaCosigner().signSubtree(log.origin(), start, end, hash)))
              .build());
    }
    return SignedSubtree.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setHash(ByteBuffer.wrap(hash))
        .setSignatures(sigs)
        .build();
  }

  /**
   * Publishes landmark {@code number} at {@code treeSize} in {@code state}: if COSIGNED, each
   * subtree signed by {@link #QUORUM}.
   */
  public void publishLandmark(
      long number, long previousTreeSize, long treeSize, LandmarkState state) {
    publishLandmark(
        number,
        previousTreeSize,
        treeSize,
        state,
        state == LandmarkState.COSIGNED ? QUORUM : List.of());
  }

  /**
   * Publishes landmark {@code number} at {@code treeSize} in {@code state}, each subtree (with the
   * hash the entries give) signed by {@code cosigners}: forgeries too.
   */
  public void publishLandmark(
      long number,
      long previousTreeSize,
      long treeSize,
      LandmarkState state,
      List<String> cosigners) {
    List<SignedSubtree> subtrees = new ArrayList<>();
    SubtreePair pair = Subtrees.findSubtrees(previousTreeSize, treeSize);
    for (Subtree s : List.of(pair.left(), pair.right())) {
      if (s.size() > 0) {
        subtrees.add(signed(s.start(), s.end(), cosigners));
      }
    }
    Landmark l =
        Landmark.newBuilder()
            .setOrigin(log.origin())
            .setNumber(number)
            .setTreeSize(treeSize)
            .setPreviousTreeSize(previousTreeSize)
            .setState(state)
            .setSubtrees(subtrees)
            .setAllocatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .build();
    send(landmarks, topics.landmarks(), log.origin(), l);
  }

  /**
   * Publishes an issuance decision on {@code der}, signed by the log; a rejection gets one reason
   * per validator.
   */
  public void publishDecision(byte[] der, boolean accepted, ReasonCode code, String detail) {
    publishDecision(decision(der, accepted, code, detail));
  }

  /** Publishes {@code d} as it is, under its certificate hash: forgeries too. */
  public void publishDecision(Decision d) {
    send(decisions, topics.decisions(), Hex.encode(Evidence.bytes(d.getCertificateSha256())), d);
  }

  /**
   * The issuance decision on {@code der} that the log publishes, signed by it; a rejection gets one
   * reason per validator.
   */
  public Decision decision(byte[] der, boolean accepted, ReasonCode code, String detail) {
    byte[] sha = Sha256.hash(der);
    List<Endorsement> evidence = new ArrayList<>();
    for (String validator : QUORUM) {
      evidence.add(
          Endorsement.newBuilder()
              .setSubmissionId("sub-" + Hex.encode(sha).substring(0, 8))
              .setOperation(Operation.ISSUE)
              .setSubmitter("vendor-a")
              .setCertificateSha256(ByteBuffer.wrap(sha))
              .setValidator(validator)
              .setVerdict(accepted ? Verdict.ENDORSE : Verdict.REJECT)
              .setReasons(
                  accepted
                      ? List.of()
                      : List.of(Reason.newBuilder().setCode(code).setDetail(detail).build()))
              .setValidatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .setSignature(Evidence.unsigned(validator))
              .build());
    }
    Decision d =
        Decision.newBuilder()
            .setSubmissionId("sub-" + Hex.encode(sha).substring(0, 8))
            .setOperation(Operation.ISSUE)
            .setSubmitter("vendor-a")
            .setCertificateSha256(ByteBuffer.wrap(sha))
            .setOutcome(accepted ? Outcome.ACCEPTED : Outcome.REJECTED)
            .setReasons(
                accepted
                    ? List.of()
                    : List.of(Reason.newBuilder().setCode(code).setDetail(detail).build()))
            .setEvidence(evidence)
            .setDecidedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .setOrigin(log.origin())
            .build();
    return LogSigning.signed(d);
  }

  /** Publishes a policy change to {@code ledger.policy}, as the issuance stream would. */
  public void publishPolicyChange(org.ledgerpki.core.policy.PolicyChange change) {
    send(
        policy,
        topics.policy(),
        org.ledgerpki.schemas.Governance.key(change.serial()),
        org.ledgerpki.schemas.Governance.toAvro(change));
  }

  /**
   * Writes {@code count} null entries of log {@code origin} at indices {@code from}, {@code from} +
   * 1, …; the test log does not hold them. Unsigned, they are what whoever can write {@code
   * ledger.entries} can forge without any key; signed with the log's key ({@code logSigned}), what
   * a dishonest sequencer (or a thief of the log's key) can.
   */
  public void forgeEntries(String origin, long from, int count, boolean logSigned) {
    for (long i = from; i < from + count; i++) {
      LedgerEntry e =
          LedgerEntry.newBuilder()
              .setOrigin(origin)
              .setLogNumber(1)
              .setIndex(i)
              .setEntry(ByteBuffer.wrap(MtcLogEntry.nullEntry().encode()))
              .setEvidence(List.of())
              .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build();
      entries.send(
          new ProducerRecord<>(
              topics.entries().name(), origin, logSigned ? LogSigning.signed(e) : e));
    }
    entries.flush();
  }

  /**
   * Writes an unsigned entry of the log at {@code index} for the certificate {@code der}, which the
   * consortium never admitted: what whoever can write {@code ledger.entries} can forge without any
   * key. The test log does not hold it.
   */
  public void forgeEntry(long index, byte[] der) {
    byte[] entry;
    try {
      entry =
          org.ledgerpki.core.mtc.TbsCertificateLogEntry.fromSubmittedCertificate(
                  der, TestConsortium.CA_ID)
              .toMtcLogEntry(List.of())
              .encode();
    } catch (org.ledgerpki.core.MalformedInputException e) {
      throw new IllegalArgumentException(e);
    }
    LedgerEntry e =
        LedgerEntry.newBuilder()
            .setOrigin(log.origin())
            .setLogNumber(1)
            .setIndex(index)
            .setEntry(ByteBuffer.wrap(entry))
            .setCertificate(ByteBuffer.wrap(der))
            .setCertificateSha256(ByteBuffer.wrap(Sha256.hash(der)))
            .setSubmissionId("sub-forged-" + index)
            .setSubmitter("vendor-a")
            .setEvidence(List.of())
            .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .build();
    send(entries, topics.entries(), log.origin(), e);
  }

  /**
   * Writes {@code count} status events with sequence numbers {@code from}, {@code from} + 1, …,
   * each revoking the certificate at {@code victim} for keyCompromise, which nobody asked for. The
   * test log does not hold them. Unsigned, they are what whoever can write {@code ledger.status}
   * can forge without any key; signed with the log's key ({@code logSigned}), what a dishonest
   * sequencer can.
   */
  public void forgeRevocations(long victim, long from, int count, boolean logSigned) {
    EntryId id = log.entryId(victim);
    byte[] sha = Sha256.hash(certificate(victim));
    for (long n = from; n < from + count; n++) {
      StatusEvent e =
          new StatusEvent(
              n,
              id.leafHash(),
              id.spkiHash(),
              sha,
              CertificateState.REVOKED,
              Lifecycle.Operation.REVOKE,
              1,
              1_767_225_600_000L,
              null);
      StatusEntry s =
          StatusEntry.newBuilder()
              .setOrigin(log.origin())
              .setLogNumber(1)
              .setSequence(n)
              .setEvent(ByteBuffer.wrap(e.encode()))
              .setCertificateSha256(ByteBuffer.wrap(sha))
              .setOperation(Operation.REVOKE)
              .setReasonCode(1)
              .setOwner("vendor-a")
              .setRequests(List.of())
              .setEvidence(List.of())
              .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .build();
      status.send(
          new ProducerRecord<>(
              topics.status().name(), log.origin(), logSigned ? LogSigning.signed(s) : s));
    }
    status.flush();
  }

  /** Publishes raw bytes that are not a framed Avro record, to test skipping. */
  public void publishGarbage(Topic<String, ?> topic) {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            fixture.producerProperties(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic.name(), "garbage", new byte[] {0, 0, 0, 0, 99, 1, 2}))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <V> void send(
      KafkaProducer<String, V> producer, Topic<String, V> topic, String key, V value) {
    try {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + topic.name(), e);
    }
  }

  @Override
  public void close() {
    entries.close();
    cosigned.close();
    landmarks.close();
    decisions.close();
    policy.close();
    status.close();
    serdes.close();
  }
}
