package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;

/**
 * ADR 0009: answers that name their checkpoint, leave it out for a client that holds it, carry its
 * Ed25519 status form, or come in the compact binary form, are checked exactly as full answers; a
 * node that lies about which checkpoint it proves against is caught.
 */
class HeldCheckpointAnswerTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private static final List<String> TWO = List.of("operator-b", "operator-c");
  private static TestLog log;
  private static byte[] cert;
  private static StatusVerifier verifier;

  @BeforeAll
  static void setUp() throws Exception {
    log = new TestLog();
    cert = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "nf-held").der();
    log.add(cert);
    for (int i = 0; i < 9; i++) {
      log.add(
          TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "bulk-" + i, 60 + i).der());
    }
    verifier = new StatusVerifier(TrustBundle.fromPolicy(TC.policy()), Duration.ofMinutes(5));
  }

  private static HeldCheckpoints held() throws MalformedInputException {
    return new HeldCheckpoints(TrustBundle.fromPolicy(TC.policy()));
  }

  /** The answer for the certificate at index 1 against {@code note}, naming it. */
  private static StatusAnswer named(String note) throws MalformedInputException {
    StatusAnswer a =
        log.goodAnswer(1, log.tree().size(), note, NOW.minusSeconds(1), NOW.plusSeconds(60));
    return a.withCheckpointSha256(StatusCheckpoints.sha256(note));
  }

  @Test
  void theStatusFormKeepsTheNameAndTheCheckButNotTheMlDsaLines() throws Exception {
    String full = log.fullyCosignedCheckpoint(TWO, NOW.getEpochSecond());
    String status = StatusCheckpoints.statusForm(full);

    assertThat(Note.parse(full).signatures()).hasSize(6);
    assertThat(Note.parse(status).signatures()).hasSize(3);
    assertThat(status.length()).isLessThan(full.length() / 10);
    assertThat(StatusCheckpoints.sha256(status)).isEqualTo(StatusCheckpoints.sha256(full));

    StatusVerifier.Verified fromFull = verifier.verify(named(full), cert, NOW);
    StatusVerifier.Verified fromStatus = verifier.verify(named(status), cert, NOW);
    assertThat(fromStatus.status()).isEqualTo(fromFull.status()).isEqualTo("GOOD");
    assertThat(fromStatus.signedAt()).isEqualTo(fromFull.signedAt()).isEqualTo(NOW);
    assertThat(fromStatus.checkpoint().bodyCosigners())
        .isEqualTo(fromFull.checkpoint().bodyCosigners());
  }

  @Test
  void anAnswerWithoutItsCheckpointVerifiesAgainstTheOneTheClientHolds() throws Exception {
    String full = log.fullyCosignedCheckpoint(TWO, NOW.getEpochSecond());
    HeldCheckpoints held = held();
    held.hold(full);
    StatusAnswer proofsOnly = named(full).withoutCheckpoint();
    assertThat(proofsOnly.checkpoint()).isNull();

    StatusVerifier.Verified v = verifier.verify(proofsOnly, cert, NOW, held);
    assertThat(v.status()).isEqualTo("GOOD");
    assertThat(v.signedAt()).isEqualTo(NOW);

    assertThatThrownBy(() -> verifier.verify(proofsOnly, cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("holds no checkpoints");
    assertThatThrownBy(() -> verifier.verify(proofsOnly, cert, NOW, held()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("which this relying party does not hold");
  }

  @Test
  void aCarriedCheckpointIsHeldForTheNextAnswer() throws Exception {
    String full = log.fullyCosignedCheckpoint(TWO, NOW.getEpochSecond());
    HeldCheckpoints held = held();
    verifier.verify(named(StatusCheckpoints.statusForm(full)), cert, NOW, held);
    assertThat(held.freshNames(NOW)).containsExactly(StatusCheckpoints.sha256(full));
    assertThat(verifier.verify(named(full).withoutCheckpoint(), cert, NOW, held).status())
        .isEqualTo("GOOD");
  }

  @Test
  void aLyingNodeCannotProveAgainstACheckpointOtherThanTheOneItNames() throws Exception {
    // The client holds the checkpoint at size 5; the node's proofs are for the current size (10).
    String older = log.cosignedCheckpoint(5, TWO, NOW.getEpochSecond());
    String current = log.cosignedCheckpoint(TWO, NOW.getEpochSecond());
    HeldCheckpoints held = held();
    held.hold(older);

    StatusAnswer misnamed =
        named(current).withCheckpointSha256(StatusCheckpoints.sha256(older)).withoutCheckpoint();
    assertThatThrownBy(() -> verifier.verify(misnamed, cert, NOW, held))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("inclusion proof at index 1 fails");

    // It carries one checkpoint and names another.
    StatusAnswer mislabelled = named(current).withCheckpointSha256(StatusCheckpoints.sha256(older));
    assertThatThrownBy(() -> verifier.verify(mislabelled, cert, NOW, held))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("names checkpoint " + StatusCheckpoints.sha256(older))
        .hasMessageContaining("carries checkpoint " + StatusCheckpoints.sha256(current));
  }

  @Test
  void aStaleHeldCheckpointFailsFreshnessAsACarriedOneWould() throws Exception {
    long old = NOW.getEpochSecond() - TrustBundle.fromPolicy(TC.policy()).maxAgeSeconds() - 10;
    String stale = log.cosignedCheckpoint(TWO, old);
    HeldCheckpoints held = held();
    held.hold(stale);
    assertThat(held.freshNames(NOW)).isEmpty();
    assertThat(held.freshNames(Instant.ofEpochSecond(old))).hasSize(1);

    StatusAnswer proofsOnly = named(stale).withoutCheckpoint();
    assertThatThrownBy(() -> verifier.verify(proofsOnly, cert, NOW, held))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stale checkpoint");
    assertThatThrownBy(() -> verifier.verify(named(stale), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stale checkpoint");
  }

  @Test
  void aReCosignedCheckpointReplacesTheHeldFormOnlyIfFresher() throws Exception {
    HeldCheckpoints held = held();
    String first = log.cosignedCheckpoint(TWO, NOW.getEpochSecond() - 100);
    String later = log.cosignedCheckpoint(TWO, NOW.getEpochSecond());
    String name = StatusCheckpoints.sha256(first);
    assertThat(StatusCheckpoints.sha256(later)).isEqualTo(name);

    held.hold(later);
    assertThat(held.hold(first).note()).isEqualTo(later);
    assertThat(held.get(name).orElseThrow().note()).isEqualTo(later);

    // One fresh line beside a stale one does not displace a form that a quorum signed later.
    Note l = Note.parse(later);
    Note f = Note.parse(first);
    String mixed =
        new Note(
                l.text(),
                List.of(l.signatures().get(0), l.signatures().get(1), f.signatures().get(2)))
            .format();
    held.hold(mixed);
    assertThat(held.get(name).orElseThrow().note()).isEqualTo(later);
  }

  @Test
  void aCheckpointThatDoesNotVerifyIsNotHeld() throws Exception {
    HeldCheckpoints held = held();
    String note = log.cosignedCheckpoint(TWO, NOW.getEpochSecond());
    long size = log.tree().size();
    String forged = note.replaceFirst("\n" + size + "\n", "\n" + (size + 1) + "\n");
    assertThat(forged).isNotEqualTo(note);
    assertThatThrownBy(() -> held.hold(forged)).isInstanceOf(VerificationException.class);
    assertThat(held.freshNames(NOW)).isEmpty();
    assertThat(held.get(StatusCheckpoints.sha256(forged))).isEmpty();
  }

  @Test
  void heldCheckpointsOfAnotherTrustBundleAreRefused() throws Exception {
    TrustBundle b = TrustBundle.fromPolicy(TC.policy());
    HeldCheckpoints other =
        new HeldCheckpoints(
            new TrustBundle(
                b.logs(),
                b.cosigners(),
                b.cosignerQuorum() - 1,
                b.maxAgeSeconds(),
                b.policySerial(),
                b.policySha256()));
    StatusAnswer a = named(log.cosignedCheckpoint(TWO, NOW.getEpochSecond()));
    assertThatThrownBy(() -> verifier.verify(a, cert, NOW, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another trust bundle");
  }

  @Test
  void theCompactFormRoundTripsAndVerifies() throws Exception {
    String full = log.fullyCosignedCheckpoint(TWO, NOW.getEpochSecond());
    StatusAnswer json = named(StatusCheckpoints.statusForm(full));
    byte[] compact = CompactAnswer.encode(json);
    StatusAnswer back = CompactAnswer.decode(compact);

    assertThat(back.status()).isEqualTo("GOOD");
    assertThat(back.checkpoint()).isEqualTo(json.checkpoint());
    assertThat(back.checkpointSha256()).isEqualTo(json.checkpointSha256());
    assertThat(back.inclusionProof()).isEqualTo(json.inclusionProof());
    assertThat(back.statusProof()).isEqualTo(json.statusProof());
    assertThat(back.certificate()).isEqualTo(json.certificate());
    assertThat(back.revocation()).isNull();
    assertThat(back.producedAt()).isNull();
    assertThat(verifier.verify(back, cert, NOW).status()).isEqualTo("GOOD");
    assertThat(compact.length).isLessThan(json.toJson().length() * 3 / 4);

    HeldCheckpoints held = held();
    held.hold(full);
    StatusAnswer bare = CompactAnswer.decode(CompactAnswer.encode(json.withoutCheckpoint()));
    assertThat(bare.checkpoint()).isNull();
    assertThat(verifier.verify(bare, cert, NOW, held).status()).isEqualTo("GOOD");
  }

  @Test
  void aTamperedCompactAnswerIsRejected() throws Exception {
    StatusAnswer json = named(log.cosignedCheckpoint(TWO, NOW.getEpochSecond()));
    byte[] compact = CompactAnswer.encode(json);

    // The status byte says REVOKED: the map proves GOOD.
    byte[] revoked = compact.clone();
    revoked[1] = 1;
    assertThatThrownBy(() -> verifier.verify(CompactAnswer.decode(revoked), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("says REVOKED but the status map proves GOOD");

    byte[] unknownStatus = compact.clone();
    unknownStatus[1] = 7;
    assertThatThrownBy(() -> CompactAnswer.decode(unknownStatus))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("unknown status 7");

    byte[] version = compact.clone();
    version[0] = 2;
    assertThatThrownBy(() -> CompactAnswer.decode(version))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("version 2");

    assertThatThrownBy(() -> CompactAnswer.decode(Arrays.copyOf(compact, compact.length - 1)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("truncated in field certificate");
    assertThatThrownBy(() -> CompactAnswer.decode(Arrays.copyOf(compact, 40)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("truncated in field log");
    assertThatThrownBy(() -> CompactAnswer.decode(Arrays.copyOf(compact, compact.length + 1)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("1 byte(s) after its end");

    // A flipped bit in the last byte of the certificate: the entry is not this certificate's.
    byte[] flipped = compact.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(
            () -> {
              StatusAnswer a = CompactAnswer.decode(flipped);
              verifier.verifyByHash(
                  a, org.ledgerpki.core.Hex.decode(json.certificateSha256()), NOW);
            })
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not the hash asked");
  }

  @Test
  void onlyAnswersWithProofsHaveACompactForm() {
    StatusAnswer pending =
        new StatusAnswer(
            "00".repeat(32),
            "PENDING",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(CompactAnswer.carries("PENDING")).isFalse();
    assertThat(CompactAnswer.carries("SUSPENDED")).isTrue();
    assertThatThrownBy(() -> CompactAnswer.encode(pending))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not PENDING");
  }

  @Test
  void theNameSurvivesJsonAndAJsonAnswerWithoutItsCheckpointVerifies() throws Exception {
    String note = log.cosignedCheckpoint(TWO, NOW.getEpochSecond());
    HeldCheckpoints held = held();
    held.hold(note);
    StatusAnswer back = StatusAnswer.fromJson(named(note).withoutCheckpoint().toJson());
    assertThat(back.checkpoint()).isNull();
    assertThat(back.checkpointSha256()).isEqualTo(StatusCheckpoints.sha256(note));
    assertThat(verifier.verify(back, cert, NOW, held).status()).isEqualTo("GOOD");
    // An answer of the form before ADR 0009 (no name) still reads and verifies.
    String unnamed =
        named(note).toJson().replaceFirst(",\"checkpointSha256\":\"[0-9a-f]{64}\"", "");
    assertThat(unnamed).doesNotContain("checkpointSha256");
    assertThat(verifier.verify(StatusAnswer.fromJson(unnamed), cert, NOW).status())
        .isEqualTo("GOOD");
  }

  /** The known answer in docs/inquiry-api.md ("The compact form"): fixed fields, fixed bytes. */
  @Test
  void theCompactEncodingMatchesItsKnownAnswer() throws Exception {
    String h = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    byte[] bitmap = new byte[32];
    bitmap[0] = 1;
    StatusAnswer a =
        new StatusAnswer(
            "11".repeat(32),
            "REVOKED",
            "oid/1.3.6.1.4.1.32473.1.0.1",
            5L,
            java.util.Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}),
            List.of(h),
            null,
            "22".repeat(32),
            null,
            null,
            new StatusAnswer.StatusProof(
                3,
                java.util.Base64.getEncoder().encodeToString(new byte[] {9, 9}),
                java.util.Base64.getEncoder().encodeToString(bitmap),
                List.of(h),
                null,
                java.util.Base64.getEncoder().encodeToString(new byte[32]),
                List.of()),
            null,
            null,
            null);
    String hex = org.ledgerpki.core.Hex.encode(CompactAnswer.encode(a));
    assertThat(hex)
        .isEqualTo(
            "0101"
                + "11".repeat(32)
                + "1b"
                + org.ledgerpki.core.Hex.encode(
                    "oid/1.3.6.1.4.1.32473.1.0.1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "0000000000000005"
                + "0003000102"
                + "01"
                + "00".repeat(32)
                + "22".repeat(32)
                + "000000"
                + "0000000000000003"
                + "00020909"
                + "01"
                + "00".repeat(31)
                + "0001"
                + "00".repeat(32)
                + "0000"
                + "00".repeat(32)
                + "0000"
                + "000000");
    assertThat(CompactAnswer.decode(org.ledgerpki.core.Hex.decode(hex))).isEqualTo(a);
  }
}
