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
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.policy.TrustPolicyReader;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.InquiryNodeProcess;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.TopicSettings;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Admission on a real broker: three organisations (k = 2, m = 2) run their validators and
 * cosigners, the issuance stream sequences; three vendors submit 1,000 certificates with ECDSA,
 * Ed25519 and ML-DSA keys, some of which must be rejected. Exactly the valid certificates enter the
 * ledger, each once; the others are rejected with the right reason; every cosigned checkpoint
 * verifies, and every entry's inclusion proof, as a real inquiry node serves it, verifies against
 * the latest one.
 */
class AdmissionIT {
  static final int TOTAL = 995;
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final Duration TIMEOUT = Duration.ofSeconds(240);

  @TempDir static Path dir;
  static KafkaFixture kafka;
  static GeneratedConsortium consortium;
  static TrustPolicy policy;
  static LocalConsortium services;
  static LedgerSerdes serdes;
  static Topics topics;
  static String prefix;
  static LocalConsortium.Connection conn;
  static Path policyFile;
  static final Path HOME =
      Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();

  /** What the test submitted: certificate hash → the reason code expected, or null. */
  static final Map<String, String> expected = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaFixture.shared();
    prefix = KafkaFixture.uniquePrefix("admission");
    consortium = GeneratedConsortium.generate("it", IDS, "32473.1", 2, 2, "seed", "300ms", "1h");
    policy = TrustPolicyReader.of(consortium.document(), "it-policy");
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, consortium.document().toYaml(), StandardCharsets.UTF_8);
    conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    services =
        LocalConsortium.start(
            conn, policyFile, consortium.log(), consortium.members(), Duration.ofSeconds(120));
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

  static byte[] cert(KeyPair kp, String dn, KeyUsage usage) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Certificates.der(
        new CertificateBuilder()
            .subject(dn)
            .keyPair(kp)
            .keyUsage(true, usage)
            .validity(now.minusSeconds(60), now.plus(Duration.ofDays(90)))
            .build());
  }

  static String org(String id) {
    return policy.member(id).orElseThrow().organization();
  }

  /**
   * The node's answer for {@code der}, verified, once it proves it against a checkpoint of {@code
   * size} (the node may still be on an older one just after start-up).
   */
  static StatusVerifier.Verified served(
      HttpClient http, String url, StatusVerifier verifier, byte[] der, long size)
      throws Exception {
    URI uri = URI.create(url + "/v1/status/" + Hex.encode(Sha256.hash(der)));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      boolean last = Instant.now().isAfter(deadline);
      // Just after start-up the node may have read the decision, or the entry, and no checkpoint
      // that covers it yet: PENDING, which carries no proof; it is not the answer awaited.
      if ((r.statusCode() == 200 && !"PENDING".equals(StatusAnswer.fromJson(r.body()).status()))
          || last) {
        assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
        StatusVerifier.Verified v =
            verifier.verify(StatusAnswer.fromJson(r.body()), der, Instant.now());
        if (v.checkpoint().checkpoint().size() == size || last) {
          return v;
        }
      }
      Thread.sleep(200);
    }
  }

  @Test
  void exactlyTheValidCertificatesAreAdmittedOnceAndEveryProofVerifies() throws Exception {
    SignatureAlgorithm[] algs = {
      SignatureAlgorithm.ECDSA_P256, SignatureAlgorithm.ED25519, SignatureAlgorithm.ML_DSA_44
    };
    Map<String, List<byte[]>> wave1 = new HashMap<>();
    Map<String, List<byte[]>> wave2 = new HashMap<>();
    List<byte[]> outsider = new ArrayList<>();
    List<KeyPair> registeredByVendorA = new ArrayList<>();
    int n = 0;
    for (int i = 0; n < TOTAL; i++) {
      String submitter = IDS.get(i % 3);
      SignatureAlgorithm alg = algs[(i / 3) % 3];
      KeyPair kp = Keys.generate(alg);
      byte[] der;
      String reason = null;
      switch (i % 20) {
        case 5 -> {
          der =
              cert(
                  kp, "CN=nf-" + i + ",O=" + org(IDS.get((i + 1) % 3)), KeyUsage.DIGITAL_SIGNATURE);
          reason = "ORGANIZATION_MISMATCH";
        }
        case 9 -> {
          Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
          der =
              Certificates.der(
                  new CertificateBuilder()
                      .subject("")
                      .issuer("CN=device")
                      .keyPair(kp)
                      .keyUsage(true, KeyUsage.DIGITAL_SIGNATURE)
                      .uris("urn:uuid:00000000-0000-0000-0000-" + String.format("%012d", i))
                      .validity(now.minusSeconds(60), now.plus(Duration.ofDays(90)))
                      .build());
          reason = "FORBIDDEN_KEY_USAGE";
        }
        case 13 -> {
          der = cert(kp, "CN=nf-" + i + ",O=" + org(submitter), KeyUsage.DIGITAL_SIGNATURE);
          der[der.length - 1] ^= 1;
          reason = "BAD_SELF_SIGNATURE";
        }
        case 17 -> {
          der = cert(kp, "CN=rogue-" + i + ",O=" + org(submitter), KeyUsage.DIGITAL_SIGNATURE);
          outsider.add(der);
          expected.put(Hex.encode(Sha256.hash(der)), "NOT_A_MEMBER");
          n++;
          continue;
        }
        default ->
            der = cert(kp, "CN=nf-" + i + ",O=" + org(submitter), KeyUsage.DIGITAL_SIGNATURE);
      }
      if (reason == null && submitter.equals("vendor-a")) {
        registeredByVendorA.add(kp);
      }
      wave1.computeIfAbsent(submitter, k -> new ArrayList<>()).add(der);
      expected.put(Hex.encode(Sha256.hash(der)), reason);
      n++;
    }
    // Wave 2, once wave 1 is decided: operator-b submits certificates on keys vendor-a registered.
    for (KeyPair k : registeredByVendorA.subList(0, 5)) {
      byte[] reuse = cert(k, "CN=copy,O=" + org("operator-b"), KeyUsage.DIGITAL_SIGNATURE);
      wave2.computeIfAbsent("operator-b", x -> new ArrayList<>()).add(reuse);
      expected.put(Hex.encode(Sha256.hash(reuse)), "KEY_ALREADY_REGISTERED");
    }

    for (var e : wave1.entrySet()) {
      SubmissionClient.submit(
          e.getKey(),
          member(e.getKey()).submission(),
          e.getValue(),
          kafka.bootstrapServers(),
          kafka.registryUrl(),
          prefix,
          null);
    }
    SubmissionClient.submit(
        "mallory",
        Keys.generate(SignatureAlgorithm.ED25519),
        outsider,
        kafka.bootstrapServers(),
        kafka.registryUrl(),
        prefix,
        null);

    try (LedgerReader<Decision> decisions =
        new LedgerReader<>(kafka.bootstrapServers(), topics.decisions())) {
      int wave1Count = expected.size() - 5;
      decisions.until(d -> d.size() >= wave1Count, TIMEOUT);
      for (var e : wave2.entrySet()) {
        SubmissionClient.submit(
            e.getKey(),
            member(e.getKey()).submission(),
            e.getValue(),
            kafka.bootstrapServers(),
            kafka.registryUrl(),
            prefix,
            null);
      }
      List<Decision> all = decisions.until(d -> d.size() >= expected.size(), TIMEOUT);
      assertThat(all).hasSize(expected.size());

      Map<String, Decision> byHash = new HashMap<>();
      for (Decision d : all) {
        assertThat(byHash.put(Hex.encode(Evidence.bytes(d.getCertificateSha256())), d))
            .as("one decision per certificate")
            .isNull();
      }
      for (var e : expected.entrySet()) {
        Decision d = byHash.get(e.getKey());
        assertThat(d).as("decision for " + e.getKey()).isNotNull();
        if (e.getValue() == null) {
          assertThat(d.getOutcome()).as(e.getKey()).isEqualTo(Outcome.ACCEPTED);
          Set<String> endorsers =
              d.getEvidence().stream()
                  .filter(x -> x.getVerdict() == Verdict.ENDORSE)
                  .map(x -> x.getValidator())
                  .collect(Collectors.toSet());
          assertThat(endorsers).hasSizeGreaterThanOrEqualTo(2);
        } else {
          assertThat(d.getOutcome())
              .as(e.getKey() + " must be rejected for " + e.getValue())
              .isEqualTo(Outcome.REJECTED);
          assertThat(d.getReasons()).extracting(r -> r.getCode().name()).contains(e.getValue());
        }
      }
    }

    Set<String> valid =
        expected.entrySet().stream()
            .filter(e -> e.getValue() == null)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    int ledgerSize = valid.size() + 1;
    List<LedgerEntry> entries;
    try (LedgerReader<LedgerEntry> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.entries())) {
      entries = reader.until(l -> l.size() >= ledgerSize, TIMEOUT);
      reader.until(l -> false, Duration.ofSeconds(2));
    }
    assertThat(entries)
        .as("the ledger holds exactly the valid certificates and the null entry")
        .hasSize(ledgerSize);
    MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
    Set<String> inLedger = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      assertThat(e.getIndex()).as("contiguous indices").isEqualTo(i);
      // Every entry carries the log's signature, valid under the policy's log key (ADR 0012).
      assertThat(LogRecords.problem(e, policy.log().ed25519())).as("entry %d", i).isNull();
      byte[] entry = Evidence.bytes(e.getEntry());
      if (i == 0) {
        assertThat(entry).isEqualTo(MtcLogEntry.nullEntry().encode());
      } else {
        byte[] der = Evidence.bytes(e.getCertificate());
        String h = Hex.encode(Sha256.hash(der));
        assertThat(inLedger.add(h)).as("each certificate once").isTrue();
        assertThat(entry)
            .isEqualTo(
                TbsCertificateLogEntry.fromSubmittedCertificate(der, "32473.1")
                    .toMtcLogEntry(List.of())
                    .encode());
      }
      tree.append(Rfc9162.leafHash(entry));
    }
    assertThat(inLedger).isEqualTo(valid);

    CheckpointVerifier verifier = new CheckpointVerifier(TrustBundle.fromPolicy(policy));
    List<CosignedCheckpoint> cosigned;
    try (LedgerReader<CosignedCheckpoint> reader =
        new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned())) {
      cosigned =
          reader.until(l -> !l.isEmpty() && l.get(l.size() - 1).getSize() >= ledgerSize, TIMEOUT);
    }
    assertThat(cosigned).isNotEmpty();
    VerifiedCheckpoint latest = null;
    for (CosignedCheckpoint c : cosigned) {
      VerifiedCheckpoint v = verifier.verify(c.getNote());
      assertThat(v.checkpoint().rootHash())
          .as("cosigned root at size " + c.getSize())
          .isEqualTo(tree.rootAt(c.getSize()));
      assertThat(v.cosigners()).hasSizeGreaterThanOrEqualTo(2);
      latest = v;
    }
    assertThat(latest.checkpoint().size()).isEqualTo(ledgerSize);
    // The inclusion proofs are served by a real inquiry node, not computed by the test: each
    // answer verifies offline (StatusVerifier) against the cosigned checkpoint it carries, which
    // must be the latest one read from ledger.cosigned above, at the index the broker holds.
    Path jar = HOME.resolve("inquiry-service/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the inquiry node is built before the it module").isRegularFile();
    int port = JvmService.freeLoopbackPort();
    StatusVerifier statusVerifier =
        new StatusVerifier(TrustBundle.fromPolicy(policy), Duration.ZERO);
    HttpClient http = HttpClient.newHttpClient();
    try (JvmService node =
        InquiryNodeProcess.start(
            "admission",
            jar,
            conn,
            policyFile,
            dir.resolve("inquiry"),
            port,
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            dir.resolve("inquiry-jvm"),
            dir.resolve("inquiry.log"))) {
      String url = "http://127.0.0.1:" + port;
      assertThat(node.awaitHttpOk(URI.create(url + "/q/health/ready"), Duration.ofSeconds(120)))
          .as("inquiry node ready; log:\n%s", node.logTail(40))
          .isTrue();
      for (int i = 1; i < entries.size(); i++) {
        byte[] der = Evidence.bytes(entries.get(i).getCertificate());
        StatusVerifier.Verified v = served(http, url, statusVerifier, der, ledgerSize);
        assertThat(v.status()).as("status of entry %d", i).isEqualTo("GOOD");
        assertThat(v.entryHash())
            .as("the entry the answer binds to certificate %d", i)
            .isEqualTo(
                org.ledgerpki.core.merkle.Rfc9162.leafHash(
                    Evidence.bytes(entries.get(i).getEntry())));
        assertThat(v.index()).as("the node's index of entry %d", i).isEqualTo(i);
        assertThat(v.checkpoint().checkpoint().size()).isEqualTo(ledgerSize);
        assertThat(v.checkpoint().checkpoint().rootHash())
            .as("the checkpoint the node proves entry %d against", i)
            .isEqualTo(latest.checkpoint().rootHash());
      }
    }
    System.out.printf(
        "admission: %d submitted, %d admitted, %d rejected, %d cosigned checkpoints, latest %s%n",
        expected.size(),
        valid.size(),
        expected.size() - valid.size(),
        cosigned.size(),
        Base64.getEncoder().encodeToString(latest.checkpoint().rootHash()));
  }
}
