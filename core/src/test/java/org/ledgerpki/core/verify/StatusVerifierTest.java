package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;

class StatusVerifierTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
  private static TestLog log;
  private static List<byte[]> certs;
  private static StatusVerifier verifier;

  @BeforeAll
  static void setUp() throws Exception {
    log = new TestLog();
    certs = new ArrayList<>();
    for (SignatureAlgorithm alg :
        List.of(
            SignatureAlgorithm.ED25519,
            SignatureAlgorithm.ECDSA_P256,
            SignatureAlgorithm.ML_DSA_65)) {
      byte[] der = TestPki.vendor(alg, TestConsortium.organization("vendor-a"), "nf-" + alg).der();
      certs.add(der);
      log.add(der);
    }
    for (int i = 0; i < 20; i++) {
      log.add(
          TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "bulk-" + i, 40 + i).der());
    }
    verifier = new StatusVerifier(TrustBundle.fromPolicy(TC.policy()), Duration.ofMinutes(5));
  }

  private StatusAnswer answer(long index, String note) {
    return log.goodAnswer(
        index, log.tree().size(), note, NOW.minusSeconds(1), NOW.plusSeconds(300));
  }

  @Test
  void aGoodAnswerVerifiesForEveryAlgorithm() throws Exception {
    String note = log.cosignedCheckpoint(List.of("operator-b", "operator-c"), NOW.getEpochSecond());
    for (int i = 0; i < certs.size(); i++) {
      StatusVerifier.Verified v = verifier.verify(answer(i + 1, note), certs.get(i), NOW);
      assertThat(v.status()).isEqualTo("GOOD");
      assertThat(v.index()).isEqualTo(i + 1);
      assertThat(v.signedAt()).isEqualTo(NOW);
      assertThat(v.checkpoint().cosigners())
          .containsExactly("oid/1.3.6.1.4.1.32473.3", "oid/1.3.6.1.4.1.32473.4");
      assertThat(v.checkpoint().latestCosignatureTime()).isEqualTo(NOW.getEpochSecond());
    }
  }

  @Test
  void theAnswerSurvivesJson() throws Exception {
    String note = log.cosignedCheckpoint(List.of("operator-b", "vendor-a"), NOW.getEpochSecond());
    StatusAnswer a = StatusAnswer.fromJson(answer(2, note).toJson());
    assertThat(verifier.verify(a, certs.get(1), NOW).status()).isEqualTo("GOOD");
  }

  @Test
  void tamperedAnswersAreRejected() {
    String note = log.cosignedCheckpoint(List.of("operator-b", "operator-c"), NOW.getEpochSecond());
    StatusAnswer good = answer(1, note);

    List<String> flipped = new ArrayList<>(good.inclusionProof());
    byte[] h = Base64.getDecoder().decode(flipped.get(0));
    h[5] ^= 0x10;
    flipped.set(0, Base64.getEncoder().encodeToString(h));
    StatusAnswer flippedBit =
        new StatusAnswer(
            good.certificateSha256(),
            "GOOD",
            good.log(),
            good.index(),
            good.entry(),
            flipped,
            good.checkpoint(),
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier.verify(flippedBit, certs.get(0), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("inclusion proof at index 1 fails")
        .hasMessageContaining("does not match expected root");

    // A checkpoint of an earlier size: the proof does not lead to its root.
    String older =
        log.cosignedCheckpoint(10, List.of("operator-b", "operator-c"), NOW.getEpochSecond());
    StatusAnswer otherCheckpoint =
        new StatusAnswer(
            good.certificateSha256(),
            "GOOD",
            good.log(),
            good.index(),
            good.entry(),
            good.inclusionProof(),
            older,
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier.verify(otherCheckpoint, certs.get(0), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("inclusion proof");

    String oneCosigner = log.cosignedCheckpoint(List.of("operator-b"), NOW.getEpochSecond());
    assertThatThrownBy(() -> verifier.verify(answer(1, oneCosigner), certs.get(0), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("valid cosignatures from 1 cosigner(s)")
        .hasMessageContaining("requires 2");

    assertThatThrownBy(() -> verifier.verify(good, certs.get(1), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not the MTC log entry of this certificate");

    // The right hash claimed, but the entry of another certificate.
    StatusAnswer wrongEntry =
        new StatusAnswer(
            good.certificateSha256(),
            "GOOD",
            good.log(),
            2L,
            answer(2, note).entry(),
            answer(2, note).inclusionProof(),
            note,
            null,
            null,
            good.statusProof(),
            good.certificate(),
            good.producedAt(),
            good.nextUpdate());
    assertThatThrownBy(() -> verifier.verify(wrongEntry, certs.get(0), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not the MTC log entry of this certificate");

    assertThatThrownBy(() -> verifier.verify(good, certs.get(0), NOW.plus(Duration.ofMinutes(11))))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stale checkpoint");

    String forgedLog =
        note.replaceFirst(
            "— oid/1.3.6.1.4.1.32473.1.0.1 (....)", "— oid/1.3.6.1.4.1.32473.1.0.1 AAAA");
    assertThatThrownBy(() -> verifier.verify(answer(1, forgedLog), certs.get(0), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("no valid signature of the log");
  }

  @Test
  void theBundleRoundTripsAndRejectsNonsense() throws Exception {
    TrustBundle b = TrustBundle.fromPolicy(TC.policy());
    assertThat(TrustBundle.parse(b.toJson())).isEqualTo(b);
    assertThat(b.cosigners()).hasSize(6);
    assertThatThrownBy(
            () ->
                TrustBundle.parse(
                    b.toJson().replace("\"cosignerQuorum\" : 2", "\"cosignerQuorum\" : 4")))
        .hasMessageContaining("cosignerQuorum 4 must be between 1 and the 3 distinct cosigners");
    assertThat(b.maxAgeSeconds()).isEqualTo(TC.policy().checkpointMaxAge().toSeconds());
    assertThatThrownBy(
            () ->
                TrustBundle.parse(
                    b.toJson()
                        .replace(
                            "\"maxAgeSeconds\" : " + b.maxAgeSeconds(), "\"maxAgeSeconds\" : 0")))
        .hasMessageContaining("maxAgeSeconds");
    assertThatThrownBy(() -> TrustBundle.parse("{}")).hasMessageContaining("no logs");
  }

  @Test
  void theCaIdComesFromTheOrigin() throws Exception {
    assertThat(StatusVerifier.caIdOf("oid/1.3.6.1.4.1.32473.1.0.1")).isEqualTo("32473.1");
    assertThatThrownBy(() -> StatusVerifier.caIdOf("example.com/log"))
        .isInstanceOf(VerificationException.class);
  }
}
