package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.cosign.CosignService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.issuance.IssuanceService;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.PolicyApproval;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.schemas.config.ConfigException;
import org.ledgerpki.validator.ValidatorOptions;
import org.ledgerpki.validator.ValidatorService;

/**
 * Governance on a real broker (docs/governance.md): the members change the trust policy by acts on
 * {@code ledger.governance}, the issuance stream sequences each change on {@code ledger.policy},
 * and every party switches at the change's position. In order: a fourth member is admitted by 2 of
 * 3 (its own approval and too few are refused; the approvals are split across a restart of the
 * issuance stream on a fresh state directory), then submits, and its validator's endorsements
 * count; operator-b's endorsement key is rotated, after which the old key's endorsements stop
 * counting at the switch and not before; k is raised to 3; the cosigners keep cosigning under each
 * policy, and the last cosigned checkpoint names the last one. Each step waits on its defence or on
 * a later record, never on a fixed sleep.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GovernanceIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final Duration TIMEOUT = Duration.ofSeconds(180);

  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium gc;
  static TrustPolicy genesis;
  static Path policyFile;
  static LocalConsortium.Connection conn;
  static final Map<String, CosignService> cosigners = new HashMap<>();
  static final Map<String, ValidatorService> validators = new HashMap<>();
  static IssuanceService issuance;
  static LedgerSerdes serdes;
  static Topics topics;
  static String prefix;
  static RawTopicWriter writer;
  static LedgerReader<Decision> decisions;
  static LedgerReader<LedgerEntry> entries;
  static LedgerReader<DeadLetter> dlq;
  static LedgerReader<PolicyChange> policy;
  static LedgerReader<CosignedCheckpoint> cosigned;

  static MemberKeys operatorD;
  static TrustPolicy p2;
  static TrustPolicy p3;
  static TrustPolicy p4;
  static KeyPair rotatedB;
  static long effective3;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    prefix = KafkaFixture.uniquePrefix("governance");
    gc = GeneratedConsortium.generate("gov", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    genesis = TrustPolicyReader.parse(Files.readAllBytes(policyFile), policyFile.toString());
    conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    issuance = startIssuance("issuance");
    for (MemberKeys m : gc.members()) {
      startValidator(m.id(), m.endorsement());
    }
    for (MemberKeys m : gc.members()) {
      startCosigner(m);
    }
    serdes = LedgerSerdes.registry(kafka.registryUrl());
    topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
    writer = new RawTopicWriter(kafka.bootstrapServers());
    decisions = new LedgerReader<>(kafka.bootstrapServers(), topics.decisions());
    entries = new LedgerReader<>(kafka.bootstrapServers(), topics.entries());
    dlq = new LedgerReader<>(kafka.bootstrapServers(), topics.dlq());
    policy = new LedgerReader<>(kafka.bootstrapServers(), topics.policy());
    cosigned = new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned());

    operatorD =
        MemberKeys.generate(
            "operator-d",
            "Operator D",
            "Operator D",
            List.of("001-09"),
            Set.of(Role.SUBMITTER, Role.VALIDATOR, Role.COSIGNER),
            "32473.9");
    p2 =
        TestGovernance.next(
            genesis,
            d -> {
              List<PolicyDocument.MemberDoc> m = new ArrayList<>(d.members());
              m.add(operatorD.toDocument().withDomains(List.of("operator-d.example")));
              return d.withMembers(m);
            });
    rotatedB = Keys.generate(SignatureAlgorithm.ED25519);
    p3 = TestGovernance.rotatingEndorsementKey(p2, "operator-b", rotatedB);
    p4 = TestGovernance.next(p3, d -> d.withQuorum(new PolicyDocument.Quorum(3, 2)));
  }

  @AfterAll
  static void stop() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(decisions);
    all.add(entries);
    all.add(dlq);
    all.add(policy);
    all.add(cosigned);
    all.add(writer);
    all.add(issuance);
    all.addAll(validators.values());
    all.addAll(cosigners.values());
    all.add(serdes);
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Closing the rest matters more.
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static IssuanceService startIssuance(String stateName) throws InterruptedException {
    IssuanceService s =
        IssuanceService.start(LocalConsortium.config(conn, policyFile, stateName), gc.log());
    assertThat(s.runtime().awaitRunning(TIMEOUT)).as("issuance stream running").isTrue();
    return s;
  }

  static void startValidator(String id, KeyPair key) throws InterruptedException {
    ValidatorService v =
        ValidatorService.start(
            LocalConsortium.config(conn, policyFile, "validator-" + id),
            id,
            key,
            ValidatorOptions.defaults());
    assertThat(v.runtime().awaitRunning(TIMEOUT)).as("validator of %s running", id).isTrue();
    validators.put(id, v);
  }

  static void stopValidator(String id) {
    validators.remove(id).close();
  }

  /** Starts {@code m}'s cosign-stream with the genesis file; it finds the rest on ledger.policy. */
  static void startCosigner(MemberKeys m) throws InterruptedException {
    CosignService c =
        CosignService.start(LocalConsortium.config(conn, policyFile, "cosigner-" + m.id()), m);
    assertThat(c.awaitRunning(TIMEOUT)).as("cosign-stream of %s running", m.id()).isTrue();
    cosigners.put(m.id(), c);
  }

  static void stopCosigner(String id) {
    cosigners.remove(id).close();
  }

  static MemberKeys member(String id) {
    return id.equals("operator-d")
        ? operatorD
        : gc.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  /** A governance act of {@code id}, as {@code ledgerpki policy propose/approve} writes it. */
  static void act(String id, TrustPolicy current, TrustPolicy proposed, boolean proposal)
      throws Exception {
    GovernanceAct a =
        Governance.act(
            current, proposed, id, member(id).submission().getPrivate(), proposal, Instant.now());
    writer.send(topics.governance(), Governance.key(a.getSerial()), a);
  }

  static PolicyChange awaitChange(long serial) {
    List<PolicyChange> all =
        policy.until(l -> l.stream().anyMatch(c -> c.getSerial() == serial), TIMEOUT);
    return all.stream()
        .filter(c -> c.getSerial() == serial)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no policy change serial " + serial + " in " + TIMEOUT));
  }

  static byte[] cert(String id, String cn) {
    KeyPair kp = Keys.generate(SignatureAlgorithm.ECDSA_P256);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject("CN=" + cn + ",O=" + member(id).organization())
            .keyPair(kp)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(90)))
            .build());
  }

  static void submit(String id, byte[] der) throws Exception {
    SubmissionClient.submit(
        id,
        member(id).submission(),
        List.of(der),
        kafka.bootstrapServers(),
        kafka.registryUrl(),
        prefix,
        null);
  }

  static Optional<Decision> decision(byte[] der) {
    String h = Hex.encode(Sha256.hash(der));
    return decisions.untilEnd(Duration.ofSeconds(30)).stream()
        .filter(d -> Hex.encode(Evidence.bytes(d.getCertificateSha256())).equals(h))
        .findFirst();
  }

  static Decision awaitDecision(byte[] der) {
    String h = Hex.encode(Sha256.hash(der));
    return decisions
        .until(
            l ->
                l.stream()
                    .anyMatch(d -> Hex.encode(Evidence.bytes(d.getCertificateSha256())).equals(h)),
            TIMEOUT)
        .stream()
        .filter(d -> Hex.encode(Evidence.bytes(d.getCertificateSha256())).equals(h))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no decision on " + h + " within " + TIMEOUT));
  }

  static Set<String> validatorsOf(Decision d) {
    return d.getEvidence().stream().map(Endorsement::getValidator).collect(Collectors.toSet());
  }

  static long indexOf(byte[] der) {
    String h = Hex.encode(Sha256.hash(der));
    return entries
        .until(
            l ->
                l.stream()
                    .anyMatch(
                        e ->
                            e.getCertificateSha256() != null
                                && Hex.encode(Evidence.bytes(e.getCertificateSha256())).equals(h)),
            TIMEOUT)
        .stream()
        .filter(
            e ->
                e.getCertificateSha256() != null
                    && Hex.encode(Evidence.bytes(e.getCertificateSha256())).equals(h))
        .findFirst()
        .orElseThrow()
        .getIndex();
  }

  /** Waits until {@code counter} of the issuance stream reaches {@code value}. */
  static void awaitCounter(String counter, double value) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (issuance.counter(counter) < value && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(issuance.counter(counter))
        .as("issuance counter %s", counter)
        .isGreaterThanOrEqualTo(value);
  }

  // ---- the steps -------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aFourthMemberIsAdmittedByTwoOfThreeAcrossARestartOfTheIssuanceStream() throws Exception {
    byte[] first = cert("vendor-a", "before-governance");
    submit("vendor-a", first);
    assertThat(awaitDecision(first).getOutcome()).isEqualTo(Outcome.ACCEPTED);

    // The proposal, and the approval of the member being added: refused, with the reason.
    act("vendor-a", genesis, p2, true);
    act("operator-d", genesis, p2, false);
    List<DeadLetter> dead =
        dlq.until(
            l -> l.stream().anyMatch(d -> d.getReason().contains("'operator-d' does not count")),
            TIMEOUT);
    assertThat(dead)
        .filteredOn(d -> d.getReason().contains("'operator-d' does not count"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getService()).isEqualTo("issuance-stream");
              assertThat(d.getReason()).contains("not a member of the current policy (serial 1)");
            });
    assertThat(issuance.counter("governance-acts-refused")).isEqualTo(1);
    // Both acts were processed (the dead letter is the later one): 1 of 2 is too few.
    assertThat(policy.untilEnd(Duration.ofSeconds(30))).as("no change with too few").isEmpty();

    // The issuance stream stops; the second approval arrives while it is down; a new instance on a
    // fresh state directory restores its stores and completes the change.
    issuance.close();
    act("operator-b", genesis, p2, false);
    issuance = startIssuance("issuance-after-restart");
    PolicyChange c2 = awaitChange(2);
    assertThat(c2.getApprovals())
        .extracting(PolicyApproval::getMember)
        .containsExactlyInAnyOrder("vendor-a", "operator-b");
    assertThat(c2.getEffectiveIndex()).as("the null entry and one certificate").isEqualTo(2);
    assertThat(Evidence.bytes(c2.getDocument())).isEqualTo(p2.documentBytes());
    PolicyHistory h =
        PolicyChain.verify(genesis, List.of(Governance.toCore(c2)), Signatures.defaults());
    assertThat(h.latest().member("operator-d")).isPresent();
  }

  @Test
  @Order(2)
  void theNewMemberSubmitsAndItsValidatorsEndorsementsCount() throws Exception {
    // Its validator starts from the genesis file and finds itself on ledger.policy.
    startValidator("operator-d", operatorD.endorsement());
    // Only vendor-a's and operator-d's validators run: operator-d's endorsement is needed.
    stopValidator("operator-b");
    stopValidator("operator-c");
    byte[] byD = cert("operator-d", "amf-d");
    submit("operator-d", byD);
    Decision d = awaitDecision(byD);
    assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(validatorsOf(d)).containsExactlyInAnyOrder("vendor-a", "operator-d");
    assertThat(d.getSubmitter()).isEqualTo("operator-d");
  }

  @Test
  @Order(3)
  void aRotatedEndorsementKeyStopsCountingAtTheSwitchAndNotBefore() throws Exception {
    // Before the switch: operator-b's old key counts (vendor-a and operator-b run).
    stopValidator("operator-d");
    startValidator("operator-b", member("operator-b").endorsement());
    byte[] before = cert("vendor-a", "old-key-before");
    submit("vendor-a", before);
    Decision db = awaitDecision(before);
    assertThat(db.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(validatorsOf(db)).containsExactlyInAnyOrder("vendor-a", "operator-b");
    long beforeIndex = indexOf(before);

    // Serial 3 rotates it: 3 of the 4 members of serial 2 approve.
    act("vendor-a", p2, p3, true);
    act("operator-c", p2, p3, false);
    act("operator-d", p2, p3, false);
    PolicyChange c3 = awaitChange(3);
    effective3 = c3.getEffectiveIndex();
    assertThat(effective3).isGreaterThan(beforeIndex);

    // After it: operator-b's validator still signs with the old key; the stream ignores it.
    double bad = issuance.counter("endorsements-bad-signature");
    byte[] after = cert("vendor-a", "old-key-after");
    submit("vendor-a", after);
    awaitCounter("endorsements-bad-signature", bad + 1);
    assertThat(decision(after)).as("the old key's endorsement does not count").isEmpty();
    startValidator("operator-d", operatorD.endorsement());
    Decision da = awaitDecision(after);
    assertThat(da.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(validatorsOf(da)).containsExactlyInAnyOrder("vendor-a", "operator-d");
    assertThat(indexOf(after)).isGreaterThanOrEqualTo(effective3);
  }

  @Test
  @Order(4)
  void aHigherKNeedsThreeEndorsementsFromTheSwitchOn() throws Exception {
    act("operator-d", p3, p4, true);
    act("vendor-a", p3, p4, false);
    act("operator-c", p3, p4, false);
    awaitChange(4);
    // vendor-a and operator-d endorse (operator-b's old key does not count): 2 of 3.
    double counted = issuance.counter("endorsements-counted");
    byte[] z = cert("vendor-a", "k3");
    submit("vendor-a", z);
    awaitCounter("endorsements-counted", counted + 2);
    assertThat(decision(z)).as("two endorsements no longer admit").isEmpty();
    startValidator("operator-c", member("operator-c").endorsement());
    Decision dz = awaitDecision(z);
    assertThat(dz.getOutcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(validatorsOf(dz)).containsExactlyInAnyOrder("vendor-a", "operator-c", "operator-d");
  }

  @Test
  @Order(5)
  void theCosignersFollowAndTheLastCosignedCheckpointNamesTheLastPolicy() throws Exception {
    String line = PolicyCommitment.of(p4).extensionLine();
    List<CosignedCheckpoint> all =
        cosigned.until(l -> l.stream().anyMatch(c -> c.getNote().contains(line)), TIMEOUT);
    assertThat(all).anyMatch(c -> c.getNote().contains(line));
    // Every policy the chain holds verifies from genesis, step by step.
    List<org.ledgerpki.core.policy.PolicyChange> chain =
        policy.untilEnd(Duration.ofSeconds(30)).stream().map(Governance::toCore).toList();
    assertThat(chain)
        .extracting(org.ledgerpki.core.policy.PolicyChange::serial)
        .containsExactly(2L, 3L, 4L);
    PolicyHistory h = PolicyChain.verify(genesis, chain, Signatures.defaults());
    assertThat(h.latest().endorsementQuorum()).isEqualTo(3);
    assertThat(h.at(effective3).serial()).isGreaterThanOrEqualTo(3);
  }

  @Test
  @Order(6)
  void aRotatedCosignerKeyAndAnAdmittedCosignerCosignFromTheSwitchOnAndTheOldKeyIsRefused()
      throws Exception {
    // Serial 5 rotates operator-c's Ed25519 cosigner key; 3 of the 4 members approve.
    MemberKeys oldC = member("operator-c");
    MemberKeys newC = oldC.withCosignerEd25519(Keys.generate(SignatureAlgorithm.ED25519));
    TrustPolicy p5 = TestGovernance.rotatingCosignerKeys(p4, newC);
    act("vendor-a", p4, p5, true);
    act("operator-b", p4, p5, false);
    act("operator-d", p4, p5, false);
    awaitChange(5);

    // The old key no longer starts, even though the genesis file on disk still names it.
    stopCosigner("operator-c");
    assertThatThrownBy(
            () ->
                CosignService.start(
                    LocalConsortium.config(conn, policyFile, "cosigner-operator-c-old"), oldC))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(CosignService.ED25519_KEY)
        .hasMessageContaining("serial 5");
    // The rotated key, and operator-d (admitted at serial 2, absent from the genesis file), start;
    // the genesis cosigners vendor-a and operator-b stop: only the two of them can make m = 2.
    startCosigner(newC);
    startCosigner(operatorD);
    stopCosigner("vendor-a");
    stopCosigner("operator-b");

    byte[] late = cert("vendor-a", "after-cosigner-rotation");
    submit("vendor-a", late);
    assertThat(awaitDecision(late).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    long index = indexOf(late);
    String line = PolicyCommitment.of(p5).extensionLine();
    CosignedCheckpoint cp =
        cosigned
            .until(
                l -> l.stream().anyMatch(c -> c.getSize() > index && c.getNote().contains(line)),
                TIMEOUT)
            .stream()
            .filter(c -> c.getSize() > index && c.getNote().contains(line))
            .findFirst()
            .orElseThrow();
    // A relying party on serial 5 verifies it: the rotated key and the new cosigner count.
    VerifiedCheckpoint v = new CheckpointVerifier(TrustBundle.fromPolicy(p5)).verify(cp.getNote());
    assertThat(v.cosigners())
        .containsExactlyInAnyOrder(newC.cosignerName(), operatorD.cosignerName());
    // One still on the genesis bundle cannot: it knows neither operator-d nor operator-c's new
    // Ed25519 key, only operator-c's ML-DSA-44 key, which was not rotated: 1 of m = 2.
    assertThatThrownBy(
            () -> new CheckpointVerifier(TrustBundle.fromPolicy(genesis)).verify(cp.getNote()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(
            "valid cosignatures from 1 cosigner(s) [" + newC.cosignerName() + "]");
  }
}
