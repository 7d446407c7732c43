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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/** The validator's rules for REVOKE, SUSPEND, RESUME and RENEW, against its view of the ledger. */
class ValidatorLifecycleTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static int serial;

  private LedgerSerdes serdes;
  private Topics topics;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> submissions;
  private TestInputTopic<String, byte[]> entries;
  private TestInputTopic<String, byte[]> status;
  private TestOutputTopic<String, Endorsement> endorsements;
  private long statusSeq;

  @BeforeEach
  void start() {
    serdes = LedgerSerdes.inMemory();
    topics = Topics.create(serdes);
    MemberKeys b = TC.member("operator-b");
    BatchSigner signer =
        new BatchSigner("operator-b", b.endorsement().getPrivate(), b.endorsement().getPublic());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "validator-lifecycle-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            ValidatorTopology.build(
                TC.policy(),
                topics,
                signer,
                Clock.systemUTC(),
                new ValidatorOptions(100, Duration.ofMillis(20))),
            p);
    submissions = input(topics.submissions().name());
    entries = input(topics.entries().name());
    status = input(topics.status().name());
    endorsements =
        driver.createOutputTopic(
            topics.endorsements().name(),
            Serdes.String().deserializer(),
            topics.endorsements().valueSerde().deserializer());
  }

  private TestInputTopic<String, byte[]> input(String name) {
    return driver.createInputTopic(
        name, Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    serdes.close();
  }

  private static byte[] cert() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "vl-" + serial++).der();
  }

  /**
   * Publishes {@code der} on ledger.entries as admitted by {@code owner}, signed by the log;
   * returns its hash.
   */
  private byte[] inLedger(byte[] der, String owner) {
    LedgerEntry e =
        LedgerEntry.newBuilder()
            .setOrigin(TC.policy().log().origin())
            .setLogNumber(1)
            .setIndex(1)
            .setEntry(Evidence.buffer(new byte[] {1}))
            .setCertificate(Evidence.buffer(der))
            .setCertificateSha256(Evidence.buffer(Sha256.hash(der)))
            .setSubmissionId("s")
            .setSubmitter(owner)
            .setEvidence(List.of())
            .setSequencedAt(Instant.now())
            .build();
    LogRecords.sign(e, ValidatorHarness.LOG_KEY);
    entries.pipeInput(
        e.getOrigin(),
        topics.entries().valueSerde().serializer().serialize(topics.entries().name(), e));
    return Sha256.hash(der);
  }

  /** Publishes a status event on ledger.status, signed by the log. */
  private void event(byte[] target, CertificateState state, Lifecycle.Operation op) {
    StatusEvent ev =
        new StatusEvent(
            statusSeq++,
            Sha256.hash(new byte[] {'E'}, target),
            Sha256.hash(new byte[] {'K'}, target),
            target,
            state,
            op,
            null,
            System.currentTimeMillis(),
            null);
    StatusEntry e =
        StatusEntry.newBuilder()
            .setOrigin(TC.policy().log().origin())
            .setLogNumber(1)
            .setSequence(ev.sequence())
            .setEvent(Evidence.buffer(ev.encode()))
            .setCertificateSha256(Evidence.buffer(target))
            .setOperation(Operation.valueOf(op.name()))
            .setOwner("vendor-a")
            .setRequests(List.of())
            .setEvidence(List.of())
            .setSequencedAt(Instant.now())
            .build();
    LogRecords.sign(e, ValidatorHarness.LOG_KEY);
    status.pipeInput(
        e.getOrigin(),
        topics.status().valueSerde().serializer().serialize(topics.status().name(), e));
  }

  private Endorsement judge(
      String submitter, Operation op, byte[] target, Integer reason, byte[] newCert) {
    MemberKeys m = TC.member(submitter);
    Submission.Builder b =
        Submission.newBuilder()
            .setSubmissionId(UUID.randomUUID().toString())
            .setOperation(op)
            .setSubmitter(submitter)
            .setCertificate(Evidence.buffer(newCert))
            .setTargetCertificateSha256(Evidence.buffer(target))
            .setReasonCode(reason)
            .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()));
    Submissions.Keyed k =
        Submissions.sign(
                new BatchSigner(submitter, m.submission().getPrivate(), m.submission().getPublic()),
                List.of(b))
            .get(0);
    submissions.pipeInput(
        k.key(),
        topics
            .submissions()
            .valueSerde()
            .serializer()
            .serialize(topics.submissions().name(), k.submission()));
    driver.advanceWallClockTime(Duration.ofMillis(50));
    List<Endorsement> out = endorsements.readValuesToList();
    assertThat(out).hasSize(1);
    assertThat(Evidence.bytes(out.get(0).getCertificateSha256()))
        .as("the verdict is keyed and bound to the target")
        .isEqualTo(target);
    return out.get(0);
  }

  private static List<ReasonCode> codes(Endorsement e) {
    return e.getReasons().stream().map(r -> r.getCode()).toList();
  }

  @Test
  void anUnknownTargetIsRejected() {
    Endorsement e = judge("vendor-a", Operation.REVOKE, Sha256.hash(cert()), 1, null);
    assertThat(e.getVerdict()).isEqualTo(Verdict.REJECT);
    assertThat(codes(e)).containsExactly(ReasonCode.UNKNOWN_CERTIFICATE);
  }

  @Test
  void theOwnerAndOtherMembersMayAskToRevokeOrSuspend() {
    byte[] t = inLedger(cert(), "vendor-a");
    assertThat(judge("vendor-a", Operation.REVOKE, t, 1, null).getVerdict())
        .isEqualTo(Verdict.ENDORSE);
    assertThat(judge("operator-c", Operation.REVOKE, t, 1, null).getVerdict())
        .as("a non-owner's request is a valid request; the issuance stream counts requesters")
        .isEqualTo(Verdict.ENDORSE);
    assertThat(judge("operator-c", Operation.SUSPEND, t, null, null).getVerdict())
        .isEqualTo(Verdict.ENDORSE);
  }

  @Test
  void resumeNeedsASuspendedCertificate() {
    byte[] t = inLedger(cert(), "vendor-a");
    Endorsement good = judge("vendor-a", Operation.RESUME, t, null, null);
    assertThat(good.getVerdict()).isEqualTo(Verdict.REJECT);
    assertThat(codes(good)).containsExactly(ReasonCode.INVALID_TRANSITION);

    event(t, CertificateState.SUSPENDED, Lifecycle.Operation.SUSPEND);
    assertThat(judge("vendor-a", Operation.RESUME, t, null, null).getVerdict())
        .isEqualTo(Verdict.ENDORSE);

    event(t, CertificateState.REVOKED, Lifecycle.Operation.REVOKE);
    Endorsement revoked = judge("vendor-a", Operation.RESUME, t, null, null);
    assertThat(revoked.getVerdict()).isEqualTo(Verdict.REJECT);
    assertThat(codes(revoked)).containsExactly(ReasonCode.INVALID_TRANSITION);
    assertThat(revoked.getReasons().get(0).getDetail()).contains("revocation is final");
  }

  @Test
  void reasonCodesMustFitTheOperation() {
    byte[] t = inLedger(cert(), "vendor-a");
    assertThat(codes(judge("vendor-a", Operation.REVOKE, t, 6, null)))
        .containsExactly(ReasonCode.BAD_REASON_CODE);
    assertThat(codes(judge("vendor-a", Operation.REVOKE, t, 7, null)))
        .containsExactly(ReasonCode.BAD_REASON_CODE);
    assertThat(codes(judge("vendor-a", Operation.RESUME, t, 1, null)))
        .contains(ReasonCode.BAD_REASON_CODE);
  }

  @Test
  void renewIsTheOwnersWithANewAdmittedCertificate() {
    byte[] old = inLedger(cert(), "vendor-a");
    byte[] fresh = cert();
    Endorsement early = judge("vendor-a", Operation.RENEW, old, null, fresh);
    assertThat(codes(early)).containsExactly(ReasonCode.UNKNOWN_CERTIFICATE);

    inLedger(fresh, "vendor-a");
    assertThat(judge("vendor-a", Operation.RENEW, old, null, fresh).getVerdict())
        .isEqualTo(Verdict.ENDORSE);
    Endorsement other = judge("operator-c", Operation.RENEW, old, null, fresh);
    assertThat(codes(other)).contains(ReasonCode.NOT_OWNER);
  }
}
