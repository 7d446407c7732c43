package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;

/**
 * Lifecycle on a real broker, with the consortium's validators, issuance stream and cosigners: the
 * owner's revocation is sequenced on {@code ledger.status}, committed to by a cosigned checkpoint
 * of the same tree size, and a relying party's {@link StatusVerifier} accepts the REVOKED answer
 * built from the topics (and a GOOD one, by proof of absence, for another certificate); a non-owner
 * alone below {@code lifecycle.nonOwnerQuorum} is rejected when the request window closes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium consortium;
  static TrustPolicy policy;
  static LocalConsortium services;
  static LedgerSerdes serdes;
  static Topics topics;
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    prefix = KafkaFixture.uniquePrefix("lifecycle");
    consortium = GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "300ms", "1h");
    PolicyDocument d = consortium.document();
    PolicyDocument withWindow =
        new PolicyDocument(
            d.format(),
            d.serial(),
            d.consortium(),
            d.profile(),
            d.log(),
            d.quorum(),
            d.checkpoints(),
            d.landmarks(),
            d.validity(),
            d.algorithms(),
            d.members(),
            new PolicyDocument.Lifecycle(2, "4s"));
    policy = TrustPolicyReader.of(withWindow, "it-policy");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, withWindow.toYaml(), StandardCharsets.UTF_8);
    services =
        LocalConsortium.start(
            new LocalConsortium.Connection(
                kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state")),
            policyFile,
            consortium.log(),
            consortium.members(),
            Duration.ofSeconds(120));
    serdes = LedgerSerdes.registry(kafka.registryUrl());
    topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
    if (serdes != null) {
      serdes.close();
    }
  }

  static MemberKeys member(String id) {
    return consortium.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  static byte[] cert(String cn) {
    KeyPair kp = Keys.generate(SignatureAlgorithm.ED25519);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject("CN=" + cn + ",O=" + policy.member("vendor-a").orElseThrow().organization())
            .keyPair(kp)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(90)))
            .build());
  }

  /** Signs and sends a lifecycle request of {@code submitter}. */
  static Submission request(String submitter, Operation op, byte[] target, Integer reason)
      throws Exception {
    KeyPair k = member(submitter).submission();
    Submission.Builder b = Submissions.lifecycle(submitter, op, target, reason, null);
    Submissions.Keyed s =
        Submissions.sign(new BatchSigner(submitter, k.getPrivate(), k.getPublic()), List.of(b))
            .get(0);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, Submission> producer =
        new KafkaProducer<>(
            p,
            topics.submissions().keySerde().serializer(),
            topics.submissions().valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topics.submissions().name(), s.key(), s.submission()))
          .get();
    }
    return s.submission();
  }

  static Decision decisionOf(List<Decision> all, Submission s) {
    return all.stream()
        .filter(d -> d.getSubmissionId().equals(s.getSubmissionId()))
        .findFirst()
        .orElse(null);
  }

  @Test
  @Order(1)
  void anOwnerRevocationIsProvenAndANonOwnerAloneIsRejected() throws Exception {
    byte[] revoked = cert("nf-revoked");
    byte[] good = cert("nf-good");
    SubmissionClient.submit(
        "vendor-a",
        member("vendor-a").submission(),
        List.of(revoked, good),
        kafka.bootstrapServers(),
        kafka.registryUrl(),
        prefix,
        null);
    byte[] revokedHash = Sha256.hash(revoked);
    byte[] goodHash = Sha256.hash(good);

    List<LedgerEntry> entries;
    try (LedgerReader<LedgerEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.entries())) {
      entries = reader.until(l -> l.size() >= 3, TIMEOUT);
    }
    assertThat(entries).hasSize(3);
    // Give the validators' views of the ledger (global stores) a moment to read the entries.
    Thread.sleep(1000);

    Submission byOwner = request("vendor-a", Operation.REVOKE, revokedHash, 1);
    Submission byOther = request("operator-b", Operation.REVOKE, goodHash, 1);

    try (LedgerReader<Decision> decisions =
        new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      List<Decision> all =
          decisions.until(
              l -> decisionOf(l, byOwner) != null && decisionOf(l, byOther) != null, TIMEOUT);
      Decision owner = decisionOf(all, byOwner);
      assertThat(owner).isNotNull();
      assertThat(owner.getOutcome())
          .as(String.valueOf(owner.getReasons()))
          .isEqualTo(Outcome.ACCEPTED);
      Decision other = decisionOf(all, byOther);
      assertThat(other).isNotNull();
      assertThat(other.getOutcome()).isEqualTo(Outcome.REJECTED);
      assertThat(other.getReasons())
          .extracting(r -> r.getCode())
          .containsExactly(ReasonCode.REQUESTER_QUORUM_NOT_REACHED);
    }

    List<StatusEntry> status;
    try (LedgerReader<StatusEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.status())) {
      status = reader.until(l -> !l.isEmpty(), TIMEOUT);
      reader.until(l -> false, Duration.ofSeconds(1));
    }
    assertThat(status).as("one event: the non-owner's request was never sequenced").hasSize(1);
    // The event carries the log's signature, valid under the policy's log key (ADR 0012).
    assertThat(LogRecords.problem(status.get(0), policy.log().ed25519())).isNull();
    StatusLog statusLog = new StatusLog();
    for (StatusEntry e : status) {
      statusLog.apply(StatusEvent.decode(Evidence.bytes(e.getEvent())));
    }
    StatusCommitment committed = statusLog.commitment();

    CosignedCheckpoint cosigned;
    try (LedgerReader<CosignedCheckpoint> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned())) {
      List<CosignedCheckpoint> all =
          reader.until(
              l -> l.stream().anyMatch(c -> c.getNote().contains(committed.extensionLine())),
              TIMEOUT);
      cosigned =
          all.stream()
              .filter(c -> c.getNote().contains(committed.extensionLine()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no cosigned checkpoint commits to the revocation"));
    }
    assertThat(cosigned.getSize()).as("the MTC log did not grow").isEqualTo(3);

    StatusVerifier verifier =
        new StatusVerifier(TrustBundle.fromPolicy(policy), Duration.ofMinutes(5));
    StatusVerifier.Verified r =
        verifier.verify(
            answer(entries, cosigned, statusLog, revoked, "REVOKED"), revoked, Instant.now());
    assertThat(r.status()).isEqualTo("REVOKED");
    assertThat(r.event().state()).isEqualTo(CertificateState.REVOKED);
    assertThat(r.event().operation()).isEqualTo(Lifecycle.Operation.REVOKE);
    assertThat(r.event().reasonCode()).isEqualTo(1);
    StatusVerifier.Verified g =
        verifier.verify(answer(entries, cosigned, statusLog, good, "GOOD"), good, Instant.now());
    assertThat(g.status()).isEqualTo("GOOD");
    assertThat(g.event()).isNull();
    // The real cosigners' ML-DSA-44 status cosignatures (ADR 0010) are in the cosigned note: a
    // relying party that requires them accepts the same answer, on a quorum of them.
    StatusVerifier pq =
        new StatusVerifier(
            TrustBundle.fromPolicy(policy)
                .withStatusCosignatures(TrustBundle.STATUS_ED25519_ML_DSA_44),
            Duration.ofMinutes(5));
    StatusVerifier.Verified p =
        pq.verify(answer(entries, cosigned, statusLog, revoked, "REVOKED"), revoked, Instant.now());
    assertThat(p.status()).isEqualTo("REVOKED");
    assertThat(p.checkpoint().statusCosignatureTimes())
        .hasSizeGreaterThanOrEqualTo(policy.cosignerQuorum());

    // Two members other than the owner suspend the second certificate; the owner alone cannot lift
    // their hold (who placed a hold must lift it); the same two members resume it.
    Submission suspendB = request("operator-b", Operation.SUSPEND, goodHash, null);
    Submission suspendC = request("operator-c", Operation.SUSPEND, goodHash, null);
    awaitAccepted(suspendB, suspendC);
    try (LedgerReader<StatusEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.status())) {
      reader.until(l -> l.size() >= 2, TIMEOUT);
    }
    // The validators judge a RESUME against their view of ledger.status: let it see the event.
    Thread.sleep(1000);
    Submission ownerResume = request("vendor-a", Operation.RESUME, goodHash, null);
    awaitRejected(ownerResume, ReasonCode.HOLD_PLACED_BY_OTHERS);
    Submission resumeB = request("operator-b", Operation.RESUME, goodHash, null);
    Submission resumeC = request("operator-c", Operation.RESUME, goodHash, null);
    awaitAccepted(resumeB, resumeC);
    try (LedgerReader<StatusEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.status())) {
      status = reader.until(l -> l.size() >= 3, TIMEOUT);
    }
    assertThat(status).extracting(StatusEntry::getSequence).containsExactly(0L, 1L, 2L);
    assertThat(status.get(1).getRequests())
        .extracting(Submission::getSubmitter)
        .containsExactly("operator-b", "operator-c");
    assertThat(status.get(2).getRequests())
        .as("the RESUME that lifted the hold")
        .extracting(Submission::getSubmitter)
        .containsExactlyInAnyOrder("operator-b", "operator-c");
    StatusLog after = new StatusLog();
    for (StatusEntry e : status) {
      after.apply(StatusEvent.decode(Evidence.bytes(e.getEvent())));
    }
    String line = after.commitment().extensionLine();
    try (LedgerReader<CosignedCheckpoint> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned())) {
      cosigned =
          reader.until(l -> l.stream().anyMatch(c -> c.getNote().contains(line)), TIMEOUT).stream()
              .filter(c -> c.getNote().contains(line))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no cosigned checkpoint commits to " + line));
    }
    StatusVerifier.Verified resumed =
        verifier.verify(answer(entries, cosigned, after, good, "GOOD"), good, Instant.now());
    assertThat(resumed.event().operation()).isEqualTo(Lifecycle.Operation.RESUME);
    assertThat(
            verifier
                .verify(
                    answer(entries, cosigned, after, revoked, "REVOKED"), revoked, Instant.now())
                .status())
        .isEqualTo("REVOKED");
  }

  @Test
  @Order(2)
  void renewSupersedesTheOldCertificateOnceTheNewOneIsAdmitted() throws Exception {
    byte[] old = cert("nf-old");
    byte[] fresh = cert("nf-new");
    SubmissionClient.submit(
        "vendor-a",
        member("vendor-a").submission(),
        List.of(old, fresh),
        kafka.bootstrapServers(),
        kafka.registryUrl(),
        prefix,
        null);
    byte[] oldHash = Sha256.hash(old);
    byte[] freshHash = Sha256.hash(fresh);
    try (LedgerReader<LedgerEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.entries())) {
      reader.until(
          l ->
              l.stream()
                  .filter(e -> e.getCertificateSha256() != null)
                  .map(e -> Hex.encode(Evidence.bytes(e.getCertificateSha256())))
                  .toList()
                  .containsAll(List.of(Hex.encode(oldHash), Hex.encode(freshHash))),
          TIMEOUT);
    }
    Thread.sleep(1000);
    KeyPair k = member("vendor-a").submission();
    Submission.Builder b = Submissions.lifecycle("vendor-a", Operation.RENEW, oldHash, null, fresh);
    Submissions.Keyed renew =
        Submissions.sign(new BatchSigner("vendor-a", k.getPrivate(), k.getPublic()), List.of(b))
            .get(0);
    assertThat(renew.key()).as("keyed by the old certificate").isEqualTo(Hex.encode(oldHash));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, Submission> producer =
        new KafkaProducer<>(
            p,
            topics.submissions().keySerde().serializer(),
            topics.submissions().valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topics.submissions().name(), renew.key(), renew.submission()))
          .get();
    }
    awaitAccepted(renew.submission());
    StatusEntry event;
    try (LedgerReader<StatusEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.status())) {
      event =
          reader
              .until(l -> l.stream().anyMatch(e -> e.getOperation() == Operation.RENEW), TIMEOUT)
              .stream()
              .filter(e -> e.getOperation() == Operation.RENEW)
              .findFirst()
              .orElseThrow();
    }
    StatusEvent e = StatusEvent.decode(Evidence.bytes(event.getEvent()));
    assertThat(e.state()).isEqualTo(CertificateState.REVOKED);
    assertThat(e.reasonCode()).isEqualTo(Lifecycle.REASON_SUPERSEDED);
    assertThat(e.supersededBy()).isEqualTo(freshHash);
    // The cosigners accepted the event's evidence: a cosigned checkpoint commits to it.
    try (LedgerReader<CosignedCheckpoint> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned())) {
      String count = "ledger-pki-status " + (e.sequence() + 1) + " ";
      assertThat(reader.until(l -> l.stream().anyMatch(c -> c.getNote().contains(count)), TIMEOUT))
          .anyMatch(c -> c.getNote().contains(count));
    }
  }

  static void awaitRejected(Submission request, ReasonCode code) {
    try (LedgerReader<Decision> decisions =
        new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      Decision d =
          decisionOf(decisions.until(l -> decisionOf(l, request) != null, TIMEOUT), request);
      assertThat(d.getOutcome()).as(String.valueOf(d.getReasons())).isEqualTo(Outcome.REJECTED);
      assertThat(d.getReasons()).extracting(r -> r.getCode()).contains(code);
    }
  }

  static void awaitAccepted(Submission... requests) {
    try (LedgerReader<Decision> decisions =
        new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      List<Decision> all =
          decisions.until(
              l -> java.util.Arrays.stream(requests).allMatch(r -> decisionOf(l, r) != null),
              TIMEOUT);
      for (Submission r : requests) {
        Decision d = decisionOf(all, r);
        assertThat(d).as("decision on " + r.getOperation() + " by " + r.getSubmitter()).isNotNull();
        assertThat(d.getOutcome()).as(String.valueOf(d.getReasons())).isEqualTo(Outcome.ACCEPTED);
      }
    }
  }

  /** The answer an inquiry node would give, built from the topics. */
  static StatusAnswer answer(
      List<LedgerEntry> entries,
      CosignedCheckpoint cp,
      StatusLog status,
      byte[] der,
      String claimed) {
    byte[] hash = Sha256.hash(der);
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    long index = -1;
    for (LedgerEntry e : entries) {
      tree.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
      if (e.getCertificateSha256() != null
          && java.util.Arrays.equals(Evidence.bytes(e.getCertificateSha256()), hash)) {
        index = e.getIndex();
      }
    }
    Base64.Encoder b64 = Base64.getEncoder();
    List<String> proof = new ArrayList<>();
    for (byte[] p : tree.inclusionProof(index, cp.getSize())) {
      proof.add(b64.encodeToString(p));
    }
    byte[] entry = Evidence.bytes(entries.get((int) index).getEntry());
    EntryId id;
    try {
      id = EntryId.of(entry);
    } catch (org.ledgerpki.core.MalformedInputException e) {
      throw new AssertionError("entry " + index + " is not a tbs_cert_entry", e);
    }
    Instant now = Instant.now();
    return new StatusAnswer(
        Hex.encode(hash),
        claimed,
        cp.getOrigin(),
        index,
        b64.encodeToString(entry),
        proof,
        cp.getNote(),
        null,
        List.of(),
        StatusAnswer.StatusProof.from(status, id),
        b64.encodeToString(der),
        now.toString(),
        now.plusSeconds(60).toString());
  }
}
