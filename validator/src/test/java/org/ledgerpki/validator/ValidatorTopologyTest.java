package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

class ValidatorTopologyTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final TrustPolicy POLICY = TC.policy();
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  private LedgerSerdes serdes;
  private Topics topics;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> submissions;
  private TestOutputTopic<String, Endorsement> endorsements;
  private TestOutputTopic<String, DeadLetter> dlq;

  @BeforeEach
  void start() {
    serdes = LedgerSerdes.inMemory();
    topics = Topics.create(serdes);
    MemberKeys b = TC.member("operator-b");
    BatchSigner signer =
        new BatchSigner("operator-b", b.endorsement().getPrivate(), b.endorsement().getPublic());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "validator-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            ValidatorTopology.build(
                POLICY,
                topics,
                signer,
                Clock.systemUTC(),
                new ValidatorOptions(100, Duration.ofMillis(20))),
            p);
    submissions =
        driver.createInputTopic(
            topics.submissions().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
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

  @AfterEach
  void stop() {
    driver.close();
    serdes.close();
  }

  private void submit(String submitter, List<byte[]> certs) {
    MemberKeys m = submitter.equals("mallory") ? TC.outsider() : TC.member(submitter);
    submitSignedBy(
        new BatchSigner(submitter, m.submission().getPrivate(), m.submission().getPublic()), certs);
  }

  private void submitSignedBy(BatchSigner signer, List<byte[]> certs) {
    for (Submissions.Keyed k : Submissions.issue(signer, certs, Instant.now())) {
      submissions.pipeInput(
          k.key(),
          topics
              .submissions()
              .valueSerde()
              .serializer()
              .serialize(topics.submissions().name(), k.submission()));
    }
  }

  private List<Endorsement> verdicts() {
    driver.advanceWallClockTime(Duration.ofMillis(50));
    return endorsements.readValuesToList();
  }

  private static List<ReasonCode> codes(Endorsement e) {
    return e.getReasons().stream().map(r -> r.getCode()).toList();
  }

  @Test
  void aValidCertificateIsEndorsedWithAVerifiableSignature() throws Exception {
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "smf-1");
    submit("vendor-a", List.of(v.der()));
    List<Endorsement> out = verdicts();
    assertThat(out).hasSize(1);
    Endorsement e = out.get(0);
    assertThat(e.getVerdict()).isEqualTo(Verdict.ENDORSE);
    assertThat(e.getValidator()).isEqualTo("operator-b");
    assertThat(Evidence.bytes(e.getCertificateSha256())).isEqualTo(v.sha256());
    new BatchVerifier()
        .verify(
            EndorsementStatement.KIND,
            Evidence.statement(e).encode(),
            Evidence.evidence(e.getSignature()),
            "operator-b",
            POLICY.member("operator-b").orElseThrow().endorsementKeys());
  }

  @Test
  void eachRuleGivesItsReason() {
    submit(
        "vendor-a",
        List.of(
            TestPki.wrongOrganisation(SignatureAlgorithm.ED25519, "Org operator-c", "x").der()));
    submit(
        "vendor-a",
        List.of(TestPki.noSubjectWithDigitalSignature(SignatureAlgorithm.ED25519).der()));
    submit(
        "vendor-a",
        List.of(TestPki.brokenSelfSignature(SignatureAlgorithm.ML_DSA_44, VENDOR_O, "x").der()));
    submit("mallory", List.of(TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "m").der()));
    MemberKeys c = TC.member("operator-c");
    // vendor-a's name, operator-c's key: the submitter signature does not verify.
    submitSignedBy(
        new BatchSigner("vendor-a", c.submission().getPrivate(), c.submission().getPublic()),
        List.of(TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "forged").der()));
    List<Endorsement> out = verdicts();
    assertThat(out).extracting(Endorsement::getVerdict).containsOnly(Verdict.REJECT);
    assertThat(out)
        .extracting(ValidatorTopologyTest::codes)
        .containsExactly(
            List.of(ReasonCode.ORGANIZATION_MISMATCH),
            List.of(ReasonCode.FORBIDDEN_KEY_USAGE),
            List.of(ReasonCode.BAD_SELF_SIGNATURE),
            List.of(ReasonCode.NOT_A_MEMBER),
            List.of(ReasonCode.BAD_SUBMITTER_SIGNATURE));
    assertThat(out.get(0).getReasons().get(0).getDetail())
        .contains("Org operator-c")
        .contains(VENDOR_O);
  }

  @Test
  void aKeyRegisteredToOneOrganisationCannotBeSubmittedByAnother() {
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ECDSA_P384, VENDOR_O, "upf-1", 7);
    submit("vendor-a", List.of(first.der()));
    TestPki.Vendor again =
        TestPki.reusingKeyOf(first, TestConsortium.organization("operator-c"), "upf-1");
    submit("operator-c", List.of(again.der()));
    TestPki.Vendor renewedByOwner = TestPki.reusingKeyOf(first, VENDOR_O, "upf-1b");
    submit("vendor-a", List.of(renewedByOwner.der()));
    List<Endorsement> out = verdicts();
    assertThat(out)
        .extracting(Endorsement::getVerdict)
        .containsExactly(Verdict.ENDORSE, Verdict.REJECT, Verdict.ENDORSE);
    assertThat(codes(out.get(1))).containsExactly(ReasonCode.KEY_ALREADY_REGISTERED);
    assertThat(out.get(1).getReasons().get(0).getDetail()).contains("registered to 'vendor-a'");
  }

  @Test
  void verdictsAreSignedInBatches() {
    List<byte[]> certs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      certs.add(TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "nf-" + i, 20 + i).der());
    }
    submit("vendor-a", certs);
    assertThat(endorsements.isEmpty())
        .as("nothing is published before the batch is signed")
        .isTrue();
    List<Endorsement> out = verdicts();
    assertThat(out).hasSize(10);
    assertThat(out).extracting(e -> e.getSignature().getBatchSize()).containsOnly(10L);
    assertThat(out)
        .extracting(e -> e.getSignature().getSignature())
        .containsOnly(out.get(0).getSignature().getSignature());
    BatchVerifier verifier = new BatchVerifier();
    for (Endorsement e : out) {
      assertThatCode(
              () ->
                  verifier.verify(
                      EndorsementStatement.KIND,
                      Evidence.statement(e).encode(),
                      Evidence.evidence(e.getSignature()),
                      "operator-b",
                      POLICY.member("operator-b").orElseThrow().endorsementKeys()))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void severalPartitionsAreRepartitionedBySubjectKeyAndOneIsNot() {
    MemberKeys b = TC.member("operator-b");
    BatchSigner signer =
        new BatchSigner("operator-b", b.endorsement().getPrivate(), b.endorsement().getPublic());
    String three =
        ValidatorTopology.build(
                POLICY,
                Topics.create(
                    org.ledgerpki.schemas.TopicSettings.defaults().withPartitions(3), serdes),
                signer,
                Clock.systemUTC(),
                ValidatorOptions.defaults())
            .describe()
            .toString();
    String one =
        ValidatorTopology.build(
                POLICY, topics, signer, Clock.systemUTC(), ValidatorOptions.defaults())
            .describe()
            .toString();
    assertThat(three).contains("by-key-repartition");
    assertThat(one).doesNotContain("repartition");
  }

  @Test
  void garbageGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
    submissions.pipeInput("abc", "not avro at all".getBytes(StandardCharsets.UTF_8));
    TestPki.Vendor v = TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "ok");
    // A well-formed submission under the wrong key.
    Submission s =
        Submissions.issue(
                new BatchSigner(
                    "vendor-a",
                    TC.member("vendor-a").submission().getPrivate(),
                    TC.member("vendor-a").submission().getPublic()),
                List.of(v.der()),
                Instant.now())
            .get(0)
            .submission();
    submissions.pipeInput(
        "00ff",
        topics.submissions().valueSerde().serializer().serialize(topics.submissions().name(), s));
    byte[] truncated =
        topics.submissions().valueSerde().serializer().serialize(topics.submissions().name(), s);
    submissions.pipeInput("x", java.util.Arrays.copyOf(truncated, truncated.length / 2));
    submit("vendor-a", List.of(v.der()));
    List<DeadLetter> dead = dlq.readValuesToList();
    assertThat(dead).hasSize(3);
    assertThat(dead.get(0).getReason()).contains("cannot decode a Submission");
    assertThat(dead.get(0).getService()).isEqualTo("validator/operator-b");
    assertThat(dead.get(1).getReason()).contains("is not the certificate's SHA-256");
    assertThat(dead.get(2).getReason()).contains("cannot decode");
    assertThat(ByteBuffer.wrap("not avro at all".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(dead.get(0).getValue());
    assertThat(verdicts()).extracting(Endorsement::getVerdict).containsExactly(Verdict.ENDORSE);
  }
}
