package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;

/** Verifiable status: proofs of revocation, suspension and of their absence. */
class StatusProofVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
  private static final List<String> COSIGNERS = List.of("operator-b", "operator-c");

  private static StatusVerifier verifier() throws Exception {
    return new StatusVerifier(
        TrustBundle.fromPolicy(TestConsortium.get().policy()), Duration.ofMinutes(5));
  }

  private static StatusAnswer answer(TestLog log, long index) {
    String note = log.cosignedCheckpoint(COSIGNERS, NOW.getEpochSecond());
    return log.goodAnswer(index, log.tree().size(), note, NOW, NOW.plusSeconds(300));
  }

  private static StatusAnswer with(StatusAnswer a, String status, StatusAnswer.StatusProof proof) {
    return new StatusAnswer(
        a.certificateSha256(),
        status,
        a.log(),
        a.index(),
        a.entry(),
        a.inclusionProof(),
        a.checkpoint(),
        a.revocation(),
        a.reasons(),
        proof,
        a.producedAt(),
        a.nextUpdate());
  }

  @Test
  void revocationSuspensionAndResumptionAreProven() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 80).der();
    byte[] b = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "b", 81).der();
    long ia = log.add(a);
    long ib = log.add(b);
    assertThat(verifier().verify(answer(log, ia), a, NOW).event()).isNull();

    log.lifecycle(
        ia, Lifecycle.Operation.REVOKE, Lifecycle.REASON_KEY_COMPROMISE, NOW.toEpochMilli());
    log.lifecycle(
        ib, Lifecycle.Operation.SUSPEND, Lifecycle.REASON_CERTIFICATE_HOLD, NOW.toEpochMilli());
    StatusVerifier.Verified revoked = verifier().verify(answer(log, ia), a, NOW);
    assertThat(revoked.status()).isEqualTo("REVOKED");
    assertThat(revoked.event().reasonCode()).isEqualTo(Lifecycle.REASON_KEY_COMPROMISE);
    assertThat(verifier().verify(answer(log, ib), b, NOW).status()).isEqualTo("SUSPENDED");

    log.lifecycle(ib, Lifecycle.Operation.RESUME, null, NOW.toEpochMilli());
    StatusVerifier.Verified resumed = verifier().verify(answer(log, ib), b, NOW);
    assertThat(resumed.status()).isEqualTo("GOOD");
    assertThat(resumed.event().state()).isEqualTo(CertificateState.GOOD);
  }

  @Test
  void aNonRevocationProofFromBeforeTheRevocationIsRejected() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 82).der();
    long ia = log.add(a);
    StatusAnswer before = answer(log, ia);
    verifier().verify(before, a, NOW);
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, 1, NOW.toEpochMilli());
    StatusAnswer after = answer(log, ia);
    // An edge node claims GOOD with the new checkpoint and the old proof of absence.
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", before.statusProof()), a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the checkpoint commits to 1");
    // Or with a proof of absence recomputed with the new count: the map root gives it away.
    StatusAnswer.StatusProof forged =
        new StatusAnswer.StatusProof(
            1, null, before.statusProof().bitmap(), before.statusProof().siblings());
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", forged), a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("status map proof");
    // Or it hides the revocation by claiming GOOD with the true proof.
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", after.statusProof()), a, NOW))
        .hasMessageContaining("the answer says GOOD but the status map proves REVOKED");
  }

  @Test
  void theStatusMustBeCommittedAndCoveredByEnoughBodyCosignatures() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 83).der();
    long ia = log.add(a);
    StatusAnswer good = answer(log, ia);
    assertThatThrownBy(() -> verifier().verify(with(good, "GOOD", null), a, NOW))
        .hasMessageContaining("must carry a statusProof");
    String oneCosigner = log.cosignedCheckpoint(List.of("operator-b"), NOW.getEpochSecond());
    StatusAnswer weak =
        log.goodAnswer(ia, log.tree().size(), oneCosigner, NOW, NOW.plusSeconds(300));
    assertThatThrownBy(() -> verifier().verify(weak, a, NOW))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void staleAnswersAreRejectedAndLateOnesSaySo() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 84).der();
    long ia = log.add(a);
    StatusAnswer good = answer(log, ia);
    StatusVerifier.Verified late = verifier().verify(good, a, NOW.plusSeconds(400));
    assertThat(late.notes()).anyMatch(n -> n.contains("past nextUpdate"));
    assertThatThrownBy(() -> verifier().verify(good, a, NOW.plusSeconds(300 + 301)))
        .hasMessageContaining("stale answer");
  }
}
