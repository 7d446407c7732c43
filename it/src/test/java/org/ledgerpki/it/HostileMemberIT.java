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
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.issuance.IssuanceService;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.WireFormat;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * The adversary suite, second adversary: a hostile member. It holds vendor-a's (or operator-b's)
 * real submission key, so its requests are signed as a member's, and it writes poison to {@code
 * ledger.submissions} on a real broker, in front of the real validators and issuance stream: an
 * out-of-range reason code, oversize identifying fields, an oversize proof list, an unknown enum
 * symbol, a reused submission id, a replayed request, a subjectAltName in another member's domain,
 * a re-encoded revoked certificate and a key revoked for keyCompromise. After each, an honest
 * submission sent after the bad one must be ACCEPTED (every validator still runs and decides), and
 * the bad record is rejected with its reason code or dead-lettered by every validator with its
 * reason.
 */
class HostileMemberIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final List<String> VALIDATORS =
      List.of("validator/vendor-a", "validator/operator-b", "validator/operator-c");
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium gc;
  static TrustPolicy policy;
  static LocalConsortium validators;
  static IssuanceService issuance;
  static LedgerSerdes serdes;
  static Topics topics;
  static RawTopicWriter writer;
  static LedgerReader<Decision> decisions;
  static LedgerReader<Endorsement> endorsements;
  static LedgerReader<DeadLetter> dlq;
  static LedgerReader<StatusEntry> status;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("hostile");
    gc = GeneratedConsortium.generate("hostile", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    policy = TrustPolicyReader.of(gc.document(), "p");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    LocalConsortium.Connection conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    validators =
        LocalConsortium.start(
            conn,
            policyFile,
            null,
            gc.members(),
            EnumSet.of(LocalConsortium.Service.VALIDATORS),
            Duration.ofSeconds(120));
    // Started here rather than by LocalConsortium, to read its counters.
    issuance =
        IssuanceService.start(LocalConsortium.config(conn, policyFile, "issuance"), gc.log());
    assertThat(issuance.runtime().awaitRunning(Duration.ofSeconds(120)))
        .as("issuance stream running")
        .isTrue();
    serdes = LedgerSerdes.registry(kafka.registryUrl());
    topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
    writer = new RawTopicWriter(kafka.bootstrapServers());
    decisions = new LedgerReader<>(kafka.bootstrapServers(), topics.decisions());
    endorsements = new LedgerReader<>(kafka.bootstrapServers(), topics.endorsements());
    dlq = new LedgerReader<>(kafka.bootstrapServers(), topics.dlq());
    status = new LedgerReader<>(kafka.bootstrapServers(), topics.status());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {
          decisions, endorsements, dlq, status, writer, issuance, validators, serdes
        }) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Closing the rest matters more.
      }
    }
  }

  // ---- the attacks ----

  @Test
  void anOutOfRangeReasonCodeIsRejectedAsMalformed() throws Exception {
    byte[] target = cert("vendor-a", "nf-reason", ecdsa());
    admit("vendor-a", target);
    // 11 is past the RFC 5280 CRLReasons but still encodable, so the member signs it.
    Submissions.Keyed signed =
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.REVOKE, hash(target), 11, null));
    // 70000 does not fit the statement's uint16: it cannot be signed; the member swaps it in.
    Submissions.Keyed huge =
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.REVOKE, hash(target), 10, null));
    huge.submission().setReasonCode(70000);
    send(signed);
    send(huge);
    barrier();
    assertRejected(
        signed, ReasonCode.MALFORMED_SUBMISSION, "reasonCode must be an RFC 5280 CRLReason");
    assertRejected(huge, ReasonCode.MALFORMED_SUBMISSION, "found 70000");
  }

  @Test
  void oversizeIdentifyingFieldsAreDeadLetteredByEveryValidator() throws Exception {
    // A statement with a 70,000-byte field cannot be encoded, so it cannot be signed either: the
    // member signs an honest request and then swaps the field.
    String huge = "x".repeat(70_000);
    Submissions.Keyed longId = issue("vendor-a", cert("vendor-a", "nf-long-id", ecdsa()));
    longId.submission().setSubmissionId(huge);
    Submissions.Keyed longSubmitter =
        issue("vendor-a", cert("vendor-a", "nf-long-submitter", ecdsa()));
    longSubmitter.submission().setSubmitter("vendor-a" + huge);
    send(longId);
    send(longSubmitter);
    barrier();
    assertDeadLettered(longId.key(), "submissionId must be 1 to 128 bytes, found 70000");
    assertDeadLettered(
        longSubmitter.key(), "submitter must be a member id of 1 to 63 bytes, found 70008");
  }

  @Test
  void anOversizeProofListIsRejectedAsMalformed() throws Exception {
    Submissions.Keyed bad = issue("vendor-a", cert("vendor-a", "nf-proof", ecdsa()));
    List<java.nio.ByteBuffer> proof = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      proof.add(Evidence.buffer(Sha256.hash(new byte[] {(byte) i, (byte) (i >> 8)})));
    }
    bad.submission().getSignature().setProof(proof);
    send(bad);
    barrier();
    assertRejected(
        bad, ReasonCode.MALFORMED_SUBMISSION, "signature.proof must have at most 64 hashes");
  }

  @Test
  void anUnknownEnumSymbolIsDeadLetteredByEveryValidator() throws Exception {
    Submissions.Keyed s = issue("vendor-a", cert("vendor-a", "nf-enum", ecdsa()));
    byte[] value = bytes(s.submission());
    // Avro binary after the 5-byte frame: submissionId (zig-zag length, then UTF-8), then the
    // operation as a zig-zag int index; 7 is past the five symbols of Operation.
    int at = WireFormat.HEADER_LENGTH;
    int idLength = value[at] >> 1; // a 36-character UUID: the length fits in one byte
    assertThat(value[at] & 0x80).as("one-byte length of a UUID").isZero();
    int op = at + 1 + idLength;
    assertThat(value[op]).as("ISSUE is symbol 0").isEqualTo((byte) 0);
    value[op] = 14;
    writer.sendBytes(topics.submissions().name(), s.key(), value);
    barrier();
    assertDeadLettered(s.key(), "cannot decode a Submission");
  }

  @Test
  void aReusedSubmissionIdDoesNotSuppressAnotherMembersRevocation() throws Exception {
    byte[] victim = cert("vendor-a", "nf-victim", ecdsa());
    byte[] own = cert("operator-b", "nf-hostile", ecdsa());
    admit("vendor-a", victim);
    admit("operator-b", own);
    String id = UUID.randomUUID().toString();
    // The hostile member takes the id first: on its own certificate (granted: it is the owner)
    // and on the victim's (a non-owner request, waiting for the non-owner quorum).
    Submissions.Keyed onOwn =
        sign(
            "operator-b",
            Submissions.lifecycle("operator-b", Operation.REVOKE, hash(own), 4, null)
                .setSubmissionId(id));
    Submissions.Keyed onVictim =
        sign(
            "operator-b",
            Submissions.lifecycle("operator-b", Operation.REVOKE, hash(victim), 1, null)
                .setSubmissionId(id));
    send(onOwn);
    send(onVictim);
    assertThat(decisionOf(onOwn).getOutcome()).isEqualTo(Outcome.ACCEPTED);
    Submissions.Keyed revoke =
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.REVOKE, hash(victim), 1, null)
                .setSubmissionId(id));
    send(revoke);
    Decision d = decisionOf(revoke);
    assertThat(d.getOutcome())
        .as("the victim's revocation: %s", d.getReasons())
        .isEqualTo(Outcome.ACCEPTED);
    List<StatusEntry> events = events(victim, l -> !l.isEmpty());
    assertThat(events).extracting(StatusEntry::getOperation).containsExactly(Operation.REVOKE);
    assertThat(events.get(0).getRequests())
        .extracting(Submission::getSubmitter)
        .containsExactly("vendor-a");
    barrier();
  }

  @Test
  void aReplayedRequestIsUsedOnce() throws Exception {
    byte[] target = cert("vendor-a", "nf-replay", ecdsa());
    admit("vendor-a", target);
    Submissions.Keyed suspend =
        sign(
            "vendor-a",
            Submissions.lifecycle(
                "vendor-a",
                Operation.SUSPEND,
                hash(target),
                Lifecycle.REASON_CERTIFICATE_HOLD,
                null));
    suspend = grant(suspend);
    grant(
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.RESUME, hash(target), null, null)));
    double replayed = replayedCount();
    send(suspend); // the same signed record again
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (replayedCount() <= replayed && Instant.now().isBefore(deadline)) {
      Thread.sleep(100); // waits on the sequencer's counter of replays, not on the clock
    }
    assertThat(replayedCount())
        .as("issuance counter submissions-replayed-total")
        .isGreaterThan(replayed);
    // The barrier: a later request on the same certificate is decided after the replay.
    grant(
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.REVOKE, hash(target), 5, null)));
    assertThat(events(target, l -> l.size() >= 3))
        .extracting(StatusEntry::getOperation)
        .containsExactly(Operation.SUSPEND, Operation.RESUME, Operation.REVOKE);
    assertThat(decisionsOf(suspend)).as("one decision for the replayed request").hasSize(1);
    barrier();
  }

  @Test
  void aSubjectAltNameInAnotherMembersDomainIsRejected() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] der =
        Certificates.der(
            new CertificateBuilder()
                .subject("")
                .issuer("O=" + policy.member("vendor-a").orElseThrow().organization())
                .dnsNames("amf-1." + GeneratedConsortium.domain("operator-b"))
                .keyPair(ecdsa())
                .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                .build());
    Submissions.Keyed bad = issue("vendor-a", der);
    send(bad);
    barrier();
    assertRejected(bad, ReasonCode.IDENTITY_MISMATCH, "operator-b.example");
  }

  @Test
  void aReencodedRevokedCertificateIsRefused() throws Exception {
    byte[] revoked = cert("vendor-a", "nf-reencoded", ecdsa());
    admit("vendor-a", revoked);
    grant(
        sign(
            "vendor-a",
            Submissions.lifecycle("vendor-a", Operation.REVOKE, hash(revoked), 5, null)));
    events(revoked, l -> !l.isEmpty());
    byte[] copy = AdversaryKit.reencodeEcdsa(revoked);
    assertThat(Hex.encode(Sha256.hash(copy))).isNotEqualTo(Hex.encode(Sha256.hash(revoked)));
    Submissions.Keyed bad = issue("vendor-a", copy);
    send(bad);
    barrier();
    assertRejected(bad, ReasonCode.ENTRY_ALREADY_IN_LOG, "");
  }

  @Test
  void aKeyRevokedForKeyCompromiseIsRefusedToEveryone() throws Exception {
    KeyPair key = ecdsa();
    byte[] compromised = cert("vendor-a", "nf-compromised", key);
    admit("vendor-a", compromised);
    grant(
        sign(
            "vendor-a",
            Submissions.lifecycle(
                "vendor-a",
                Operation.REVOKE,
                hash(compromised),
                Lifecycle.REASON_KEY_COMPROMISE,
                null)));
    events(compromised, l -> !l.isEmpty());
    Submissions.Keyed same = issue("vendor-a", cert("vendor-a", "nf-same-key", key));
    Submissions.Keyed other = issue("operator-b", cert("operator-b", "nf-other-key", key));
    send(same);
    send(other);
    barrier();
    assertRejected(same, ReasonCode.KEY_COMPROMISED, "");
    assertRejected(other, ReasonCode.KEY_COMPROMISED, "");
  }

  // ---- the barrier and the assertions ----

  /** An honest ISSUE sent now must be ACCEPTED: the validators and the sequencer still decide. */
  static void barrier() throws Exception {
    Submissions.Keyed honest = issue("vendor-a", cert("vendor-a", "nf-barrier", ecdsa()));
    send(honest);
    Decision d = decisionOf(honest);
    assertThat(d.getOutcome())
        .as("the barrier ISSUE after the bad record: %s", d.getReasons())
        .isEqualTo(Outcome.ACCEPTED);
  }

  /**
   * {@code bad} is REJECTED with {@code code} (its detail containing {@code detail}), and every
   * validator's verdict on it is a REJECT naming {@code code}.
   */
  static void assertRejected(Submissions.Keyed bad, ReasonCode code, String detail) {
    Decision d = decisionOf(bad);
    assertThat(d.getOutcome()).as("decision %s", d.getReasons()).isEqualTo(Outcome.REJECTED);
    assertThat(d.getReasons())
        .as("the decision's reasons")
        .anySatisfy(
            r -> {
              assertThat(r.getCode()).isEqualTo(code);
              assertThat(r.getDetail()).contains(detail);
            });
    Predicate<Endorsement> onBad =
        e ->
            Hex.encode(Evidence.bytes(e.getCertificateSha256())).equals(bad.key())
                && e.getSubmissionId().equals(bad.submission().getSubmissionId());
    List<Endorsement> verdicts =
        endorsements.until(l -> l.stream().filter(onBad).count() >= IDS.size(), TIMEOUT).stream()
            .filter(onBad)
            .toList();
    assertThat(verdicts)
        .extracting(Endorsement::getValidator)
        .containsExactlyInAnyOrderElementsOf(IDS);
    for (Endorsement e : verdicts) {
      assertThat(e.getVerdict()).as("verdict of " + e.getValidator()).isEqualTo(Verdict.REJECT);
      assertThat(e.getReasons()).extracting(Reason::getCode).contains(code);
    }
  }

  /**
   * Every validator dead-lettered the record keyed {@code key}, with a reason containing {@code
   * reason}.
   */
  static void assertDeadLettered(String key, String reason) {
    Predicate<DeadLetter> mine =
        x ->
            x.getSourceTopic().equals(topics.submissions().name())
                && x.getKey() != null
                && key.equals(new String(Evidence.bytes(x.getKey()), StandardCharsets.UTF_8));
    List<DeadLetter> dead =
        dlq
            .until(
                l ->
                    l.stream()
                        .filter(mine)
                        .map(DeadLetter::getService)
                        .toList()
                        .containsAll(VALIDATORS),
                TIMEOUT)
            .stream()
            .filter(mine)
            .filter(x -> VALIDATORS.contains(x.getService()))
            .toList();
    assertThat(dead).extracting(DeadLetter::getService).containsAll(VALIDATORS);
    assertThat(dead).allSatisfy(x -> assertThat(x.getReason()).as(x.getService()).contains(reason));
  }

  // ---- plumbing ----

  static MemberKeys member(String id) {
    return gc.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  static KeyPair ecdsa() {
    return Keys.generate(SignatureAlgorithm.ECDSA_P256);
  }

  static byte[] hash(byte[] der) {
    return Sha256.hash(der);
  }

  /** A self-signed certificate of {@code member}'s organisation for {@code key}. */
  static byte[] cert(String member, String cn, KeyPair key) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject("CN=" + cn + ",O=" + policy.member(member).orElseThrow().organization())
            .keyPair(key)
            .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
            .build());
  }

  static BatchSigner signer(String member) {
    KeyPair k = member(member).submission();
    return new BatchSigner(member, k.getPrivate(), k.getPublic());
  }

  static Submissions.Keyed sign(String member, Submission.Builder b) {
    return Submissions.sign(signer(member), List.of(b)).get(0);
  }

  static Submissions.Keyed issue(String member, byte[] der) {
    return Submissions.issue(signer(member), List.of(der), Instant.now()).get(0);
  }

  static byte[] bytes(Submission s) {
    return topics.submissions().valueSerde().serializer().serialize(topics.submissions().name(), s);
  }

  static void send(Submissions.Keyed s) throws Exception {
    writer.send(topics.submissions(), s.key(), s.submission());
  }

  static List<Decision> decisionsOf(Submissions.Keyed s) {
    return decisions.poll().stream().filter(d -> isFor(d, s)).toList();
  }

  static boolean isFor(Decision d, Submissions.Keyed s) {
    return d.getSubmissionId().equals(s.submission().getSubmissionId())
        && d.getSubmitter().equals(s.submission().getSubmitter())
        && Hex.encode(Evidence.bytes(d.getCertificateSha256())).equals(s.key());
  }

  /** The decision on {@code s}, waiting for it. */
  static Decision decisionOf(Submissions.Keyed s) {
    List<Decision> all = decisions.until(l -> l.stream().anyMatch(d -> isFor(d, s)), TIMEOUT);
    return all.stream()
        .filter(d -> isFor(d, s))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no decision on "
                        + s.submission().getOperation()
                        + " "
                        + s.key()
                        + " by "
                        + s.submission().getSubmitter()
                        + " within "
                        + TIMEOUT));
  }

  /** Sends an honest ISSUE of {@code der} by {@code member} and waits for it to be ACCEPTED. */
  static void admit(String member, byte[] der) throws Exception {
    Submissions.Keyed s = issue(member, der);
    send(s);
    Decision d = decisionOf(s);
    assertThat(d.getOutcome()).as("admission %s", d.getReasons()).isEqualTo(Outcome.ACCEPTED);
  }

  /**
   * Sends an honest lifecycle request and waits for it to be ACCEPTED. The validators follow {@code
   * ledger.entries} and {@code ledger.status} on their own, a little behind the decisions: a
   * request that one of them judged before it saw its target (UNKNOWN_CERTIFICATE) or the previous
   * event (INVALID_TRANSITION) is sent again, signed afresh.
   *
   * @return the request that was granted
   */
  static Submissions.Keyed grant(Submissions.Keyed s) throws Exception {
    Submissions.Keyed request = s;
    for (int attempt = 0; ; attempt++) {
      send(request);
      Decision d = decisionOf(request);
      boolean lag =
          d.getOutcome() == Outcome.REJECTED
              && d.getReasons().stream()
                  .allMatch(
                      r ->
                          r.getCode() == ReasonCode.UNKNOWN_CERTIFICATE
                              || r.getCode() == ReasonCode.INVALID_TRANSITION);
      if (!lag || attempt == 5) {
        assertThat(d.getOutcome())
            .as("%s: %s", request.submission().getOperation(), d.getReasons())
            .isEqualTo(Outcome.ACCEPTED);
        return request;
      }
      Thread.sleep(200);
      Submission.Builder again =
          Submission.newBuilder(request.submission()).setSubmissionId(UUID.randomUUID().toString());
      request = sign(request.submission().getSubmitter(), again);
    }
  }

  /** The status events of {@code der}, once {@code done} holds for them. */
  static List<StatusEntry> events(byte[] der, Predicate<List<StatusEntry>> done) {
    String h = Hex.encode(Sha256.hash(der));
    Predicate<StatusEntry> mine =
        e -> Hex.encode(Evidence.bytes(e.getCertificateSha256())).equals(h);
    List<StatusEntry> out =
        status.until(l -> done.test(l.stream().filter(mine).toList()), TIMEOUT).stream()
            .filter(mine)
            .toList();
    return Collections.unmodifiableList(out);
  }

  static double replayedCount() {
    return AdversaryKit.counters(issuance.runtime().streams(), "submissions-replayed-total")
        .getOrDefault("", 0.0);
  }
}
