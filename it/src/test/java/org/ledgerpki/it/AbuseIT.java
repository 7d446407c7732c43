package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.Certificates;
import org.ledgerpki.core.crypto.KeyUsage;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.issuance.IssuanceService;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.ServiceConfig;

/**
 * A dishonest validator on a real broker: the test plays the validators (none run), in front of the
 * real issuance stream. A duplicate endorsement, a re-signed duplicate, an endorsement forged under
 * another member's name and one from a non-member do not move the quorum (k = 2); a second honest
 * organisation does. A hostile validator's verdict on a submission's id, about another operation,
 * raced ahead of the submission, does not make the honest verdicts that also came ahead of it be
 * dropped: the submission alone decides it when it arrives. The test waits on the issuance stream's
 * counters of what it ignored, not on the clock, and checks that the decision's evidence holds the
 * honest signatures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium gc;
  static IssuanceService issuance;
  static LedgerSerdes serdes;
  static Topics topics;
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    prefix = KafkaFixture.uniquePrefix("abuse");
    gc = GeneratedConsortium.generate("abuse", IDS, "32473.1", 2, 2, "seed", "200ms", "1h");
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, gc.document().toYaml(), StandardCharsets.UTF_8);
    // Started directly (as LocalConsortium would), so that the test can read its counters.
    issuance =
        IssuanceService.start(
            LocalConsortium.config(
                new LocalConsortium.Connection(
                    kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state")),
                policyFile,
                "issuance",
                Map.of(ServiceConfig.HTTP_PORT, Integer.toString(JvmService.freeLoopbackPort()))),
            gc.log());
    assertThat(issuance.runtime().awaitRunning(Duration.ofSeconds(120)))
        .as("the issuance stream runs")
        .isTrue();
    serdes = LedgerSerdes.registry(kafka.registryUrl());
    topics = Topics.create(TopicSettings.defaults().withPrefix(prefix), serdes);
  }

  @AfterAll
  static void stop() {
    issuance.close();
    serdes.close();
  }

  /** GET {@code path} of the issuance stream's health and metrics endpoint. */
  static HttpResponse<String> ops(String path) throws Exception {
    int port = issuance.ops().orElseThrow().port();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The sum of the samples {@code name} of a Prometheus scrape whose labels include {@code label}.
   */
  static double sample(String scrape, String name, String label) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (m.group(1).contains(label)) {
        sum += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertThat(found).as("a sample %s with %s in:%n%s", name, label, scrape).isTrue();
    return sum;
  }

  static MemberKeys member(String id) {
    return gc.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  /** An ENDORSE verdict on {@code s}, claimed by {@code validator}, signed with {@code key}. */
  static Endorsement endorse(Submissions.Keyed s, String validator, KeyPair key) {
    return endorse(s, validator, key, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** As above, validated at {@code at}: Ed25519 is deterministic, so equal content signs equal. */
  static Endorsement endorse(Submissions.Keyed s, String validator, KeyPair key, Instant at) {
    return endorse(s, Operation.ISSUE, validator, key, at);
  }

  /** An ENDORSE verdict on {@code s}'s id that says it is about {@code op}. */
  static Endorsement endorse(
      Submissions.Keyed s, Operation op, String validator, KeyPair key, Instant at) {
    Endorsement e =
        Endorsement.newBuilder()
            .setSubmissionId(s.submission().getSubmissionId())
            .setOperation(op)
            .setSubmitter(s.submission().getSubmitter())
            .setCertificateSha256(Evidence.buffer(Hex.decode(s.key())))
            .setValidator(validator)
            .setVerdict(Verdict.ENDORSE)
            .setReasons(List.of())
            .setValidatedAt(at)
            .setSignature(Evidence.unsigned(validator))
            .build();
    BatchEvidence ev =
        new BatchSigner(validator, key.getPrivate(), key.getPublic())
            .sign(EndorsementStatement.KIND, List.of(Evidence.statement(e).encode()))
            .get(0);
    e.setSignature(Evidence.signature(ev));
    return e;
  }

  /** vendor-a's signed ISSUE submission of a fresh certificate named {@code cn}. */
  static Submissions.Keyed submission(String cn) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String org =
        TrustPolicyReader.of(gc.document(), "p").member("vendor-a").orElseThrow().organization();
    byte[] der =
        Certificates.der(
            new CertificateBuilder()
                .subject("CN=" + cn + ",O=" + org)
                .keyPair(Keys.generate(SignatureAlgorithm.ECDSA_P256))
                .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                .validity(now.minusSeconds(60), now.plus(Duration.ofDays(30)))
                .build());
    MemberKeys a = member("vendor-a");
    return Submissions.issue(
            new BatchSigner("vendor-a", a.submission().getPrivate(), a.submission().getPublic()),
            List.of(der),
            Instant.now())
        .get(0);
  }

  static RawTopicWriter writer() {
    return new RawTopicWriter(kafka.bootstrapServers());
  }

  static void send(RawTopicWriter writer, Submissions.Keyed s) {
    writer.send(topics.submissions(), s.key(), s.submission());
  }

  static void send(RawTopicWriter writer, Submissions.Keyed s, Endorsement e) {
    writer.send(topics.endorsements(), s.key(), e);
  }

  /** The issuance stream's counters named {@code events} (e.g. {@code endorsements-duplicate}). */
  static Map<String, Double> counters(Set<String> events) {
    Map<String, Double> out = new TreeMap<>();
    for (String e : events) {
      out.put(e, issuance.counter(e));
    }
    return out;
  }

  @Test
  @Order(1) // its counts start from zero
  void duplicatesForgeriesAndOutsidersDoNotMoveTheQuorum() throws Exception {
    Submissions.Keyed s = submission("amf-1");
    try (RawTopicWriter writer = writer();
        LedgerReader<Decision> decisions =
            new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      send(writer, s);
      MemberKeys b = member("operator-b");
      Endorsement honestB = endorse(s, "operator-b", b.endorsement());
      List<Endorsement> abuse = new ArrayList<>();
      abuse.add(honestB);
      abuse.add(honestB); // the same record twice
      // operator-b again, freshly signed a millisecond later, so its signature differs
      abuse.add(endorse(s, "operator-b", b.endorsement(), honestB.getValidatedAt().plusMillis(1)));
      abuse.add(endorse(s, "operator-c", b.endorsement())); // operator-c's name, operator-b's key
      abuse.add(endorse(s, "mallory", Keys.generate(SignatureAlgorithm.ED25519))); // not a member
      for (Endorsement e : abuse) {
        send(writer, s, e);
      }
      // The barrier: the quorum's own counts of what it ignored, once all five were processed.
      Map<String, Double> expected =
          Map.of(
              "endorsements-counted", 1.0, // honestB
              "endorsements-duplicate", 2.0, // honestB again, and operator-b freshly signed
              "endorsements-bad-signature", 1.0, // operator-c's name, operator-b's key
              "endorsements-not-member", 1.0, // mallory
              "decisions-accepted", 0.0,
              "decisions-rejected", 0.0);
      Map<String, Double> counted =
          Counters.await(
              () -> counters(expected.keySet()), c -> c.equals(expected), Duration.ofSeconds(60));
      assertThat(counted)
          .as("the quorum's counters after one honest and four abusive verdicts (k = 2)")
          .isEqualTo(expected);
      // The same counts over the service's health and metrics endpoint, as Prometheus reads them.
      assertThat(ops("/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = ops("/health/ready");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("\"status\":\"UP\"").contains("RUNNING");
      String scrape = ops("/metrics").body();
      String app = "application=\"" + IssuanceTopology.SERVICE + "\"";
      assertThat(sample(scrape, "ledgerpki_issuance_endorsements_duplicate_total", app))
          .isEqualTo(2.0);
      assertThat(sample(scrape, "ledgerpki_issuance_endorsements_bad_signature_total", app))
          .isEqualTo(1.0);
      assertThat(sample(scrape, "ledgerpki_issuance_endorsements_not_member_total", app))
          .isEqualTo(1.0);
      assertThat(sample(scrape, "ledgerpki_streams_ready", app)).isEqualTo(1.0);
      // Kafka Streams' own metrics, through Micrometer's binder: the client and its consumer lag.
      assertThat(sample(scrape, "kafka_stream_alive_stream_threads", app)).isPositive();
      assertThat(scrape).contains("kafka_consumer_fetch_manager_records_lag_max{");

      Endorsement honestC = endorse(s, "operator-c", member("operator-c").endorsement());
      send(writer, s, honestC);
      List<Decision> out = decisions.until(d -> !d.isEmpty(), Duration.ofSeconds(60));
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getOutcome()).isEqualTo(Outcome.ACCEPTED);
      assertThat(counters(Set.of("endorsements-counted", "decisions-accepted")))
          .isEqualTo(Map.of("endorsements-counted", 2.0, "decisions-accepted", 1.0));
      // The decision is the barrier record: none came before it for this submission.
      assertThat(decisions.poll()).as("decisions on the topic").hasSize(1);
      // The evidence is the honest verdicts themselves, not the forged one under operator-c's name
      // nor operator-b's re-signed duplicate: compare the signatures, not only the names.
      Map<String, Endorsement> evidence =
          out.get(0).getEvidence().stream()
              .collect(Collectors.toMap(Endorsement::getValidator, e -> e));
      assertThat(evidence).containsOnlyKeys("operator-b", "operator-c");
      assertThat(evidence.get("operator-b").getSignature())
          .as("operator-b's evidence is its first verdict")
          .isEqualTo(honestB.getSignature())
          .isNotEqualTo(abuse.get(2).getSignature());
      assertThat(evidence.get("operator-c").getSignature())
          .as("operator-c's evidence is its own verdict, not the one forged with operator-b's key")
          .isEqualTo(honestC.getSignature())
          .isNotEqualTo(abuse.get(3).getSignature());
    }
  }

  @Test
  @Order(2)
  void aHostileValidatorsVerdictRacedAheadOfTheSubmissionDoesNotStarveIt() throws Exception {
    Submissions.Keyed s = submission("smf-1");
    Set<String> events =
        Set.of("endorsements-counted", "endorsements-inconsistent", "decisions-accepted");
    Map<String, Double> before = counters(events);
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (RawTopicWriter writer = writer();
        LedgerReader<Decision> decisions =
            new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      // operator-b reads vendor-a's submission and races a verdict on its id, about a REVOKE, to
      // the quorum; the honest verdicts reach it too before the submission does (here the
      // submission is written last, so its partition lags as far as a lag can).
      send(
          writer,
          s,
          endorse(s, Operation.REVOKE, "operator-b", member("operator-b").endorsement(), at));
      Endorsement honestC =
          endorse(s, Operation.ISSUE, "operator-c", member("operator-c").endorsement(), at);
      Endorsement honestA =
          endorse(s, Operation.ISSUE, "vendor-a", member("vendor-a").endorsement(), at);
      send(writer, s, honestC);
      send(writer, s, honestA);
      // The barrier: all three processed (kept, or found inconsistent). All must be kept.
      Map<String, Double> kept =
          Counters.await(
              () -> since(before, counters(events)),
              c -> c.get("endorsements-counted") + c.get("endorsements-inconsistent") >= 3.0,
              Duration.ofSeconds(60));
      assertThat(kept)
          .as("the quorum's counters after a hostile and two honest verdicts, no submission yet")
          .isEqualTo(
              Map.of(
                  "endorsements-counted", 3.0,
                  "endorsements-inconsistent", 0.0,
                  "decisions-accepted", 0.0));
      // The validators do not send their verdicts again: the submission alone must decide it.
      send(writer, s);
      List<Decision> out =
          decisions.until(
              d -> d.stream().anyMatch(x -> HostileMemberIT.isFor(x, s)), Duration.ofSeconds(60));
      Decision d = out.stream().filter(x -> HostileMemberIT.isFor(x, s)).findFirst().orElseThrow();
      assertThat(d.getOutcome()).isEqualTo(Outcome.ACCEPTED);
      assertThat(d.getEvidence())
          .extracting(e -> e.getSignature())
          .as("the honest verdicts are the evidence")
          .containsExactly(honestC.getSignature(), honestA.getSignature());
      assertThat(since(before, counters(events)))
          .as("the hostile verdict is dropped when the submission arrives")
          .containsEntry("endorsements-inconsistent", 1.0)
          .containsEntry("decisions-accepted", 1.0);
    }
  }

  /** {@code now} minus {@code before}, counter by counter. */
  static Map<String, Double> since(Map<String, Double> before, Map<String, Double> now) {
    Map<String, Double> out = new TreeMap<>();
    now.forEach((k, v) -> out.put(k, v - before.get(k)));
    return out;
  }
}
