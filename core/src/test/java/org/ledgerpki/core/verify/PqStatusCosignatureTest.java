package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteKeys;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.Checkpoint;

/**
 * ADR 0010: a relying party whose bundle says {@code statusCosignatures: ed25519+ml-dsa-44} accepts
 * a status claim only with a fresh quorum of distinct cosigners' ML-DSA-44 status cosignatures over
 * the whole checkpoint body, as well as the Ed25519 quorum; answers leave those lines out, and the
 * checkpoint it holds from {@code /v1/checkpoint} supplies them.
 */
class PqStatusCosignatureTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private static final long T = NOW.getEpochSecond();
  private static final List<String> TWO = List.of("operator-b", "operator-c");
  private static TestLog log;
  private static byte[] cert;
  private static TrustBundle pq;
  private static StatusVerifier pqVerifier;
  private static StatusVerifier edVerifier;

  @BeforeAll
  static void setUp() throws Exception {
    log = new TestLog();
    cert = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "nf-pq").der();
    log.add(cert);
    log.add(TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "nf-pq-2", 71).der());
    TrustBundle ed = TrustBundle.fromPolicy(TC.policy());
    assertThat(ed.cosignerQuorum()).isEqualTo(2);
    pq = ed.withStatusCosignatures(TrustBundle.STATUS_ED25519_ML_DSA_44);
    pqVerifier = new StatusVerifier(pq, Duration.ofMinutes(1));
    edVerifier = new StatusVerifier(ed, Duration.ofMinutes(1));
  }

  private static StatusAnswer named(String note) throws MalformedInputException {
    StatusAnswer a =
        log.goodAnswer(1, log.tree().size(), note, NOW.minusSeconds(1), NOW.plusSeconds(60));
    return a.withCheckpointSha256(StatusCheckpoints.sha256(note));
  }

  /** The note as {@code /v1/checkpoint} serves it: with both cosigners' PQ status lines. */
  private static String full(long edTime, long pqTime) throws MalformedInputException {
    return log.withStatusCosignatures(log.fullyCosignedCheckpoint(TWO, edTime), TWO, pqTime);
  }

  @Test
  void aFullNoteWithAQuorumOfFreshStatusCosignaturesVerifies() throws Exception {
    String note = full(T, T - 5);
    StatusVerifier.Verified v = pqVerifier.verify(named(note), cert, NOW);
    assertThat(v.status()).isEqualTo("GOOD");
    assertThat(v.checkpoint().statusCosignatureTimes()).hasSize(2).containsValue(T - 5);
    // The cosigners vouch in both forms for the older of the two quorum times.
    assertThat(v.signedAt()).isEqualTo(Instant.ofEpochSecond(T - 5));
    // A relying party that requires Ed25519 only checks the lines as well, and ignores the time.
    assertThat(edVerifier.verify(named(note), cert, NOW).signedAt()).isEqualTo(NOW);
  }

  @Test
  void aBundleRequiringPqRefusesAnEd25519OnlyCheckpoint() throws Exception {
    String edOnly = log.fullyCosignedCheckpoint(TWO, T);
    assertThat(edVerifier.verify(named(edOnly), cert, NOW).status()).isEqualTo("GOOD");
    assertThatThrownBy(() -> pqVerifier.verify(named(edOnly), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("requires ML-DSA-44 status cosignatures")
        .hasMessageContaining("from 2 cosigner(s)")
        .hasMessageContaining("found 0 []")
        .hasMessageContaining("/v1/checkpoint");
    // The compact status form never carries them either.
    assertThatThrownBy(
            () -> pqVerifier.verify(named(StatusCheckpoints.statusForm(full(T, T))), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("found 0 []");
  }

  @Test
  void mStatusLinesFromOneCosignerAreNotAQuorum() throws Exception {
    String edNote = log.fullyCosignedCheckpoint(TWO, T);
    String oneTwice =
        log.withStatusCosignatures(
            log.withStatusCosignatures(edNote, List.of("operator-b"), T),
            List.of("operator-b"),
            T - 1);
    assertThat(Note.parse(oneTwice).signatures()).hasSize(8);
    assertThatThrownBy(() -> pqVerifier.verify(named(oneTwice), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("found 1 [" + TC.member("operator-b").cosignerName() + "]");
  }

  @Test
  void staleStatusCosignaturesFailFreshness() throws Exception {
    long stale = T - pq.maxAgeSeconds() - 1;
    String note = full(T, stale);
    assertThat(edVerifier.verify(named(note), cert, NOW).status()).isEqualTo("GOOD");
    assertThatThrownBy(() -> pqVerifier.verify(named(note), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("within the last " + pq.maxAgeSeconds() + " s, found 0 []")
        .hasMessageContaining("now " + T);
    // Nor may they lie beyond the clock-skew allowance in the future.
    String future = full(T, T + 120);
    assertThatThrownBy(() -> pqVerifier.verify(named(future), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("found 0 []");
  }

  @Test
  void aStatusCosignatureOverAnotherStatusLineRejectsTheNote() throws Exception {
    // A cosigner's PQ line over the same tree with another status line (a revocation the node
    // hides, or one it invents), appended to the checkpoint the node serves.
    String served = log.fullyCosignedCheckpoint(TWO, T);
    Checkpoint cp = Checkpoint.fromNote(Note.parse(served));
    Checkpoint cpBefore =
        new Checkpoint(
            cp.origin(),
            cp.size(),
            cp.rootHash(),
            List.of(
                "ledger-pki-status 1 YTXIMEb1kG6O3JM4uD81i6oPksopg/sMU5ubINR7efQ="
                    + " jegwL3UouEZAuslce+L6EmDVfyWgFdkLJVqnBVeaonM="));
    assertThat(cpBefore.extensions()).isNotEqualTo(cp.extensions());
    MemberKeys b = TC.member("operator-b");
    NoteSignature replayed = b.mlDsaCosigner().cosignStatus(cpBefore, T);
    String forged = served + replayed.line() + "\n";
    assertThatThrownBy(() -> new CheckpointVerifier(pq).verify(forged))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("does not verify")
        .hasMessageContaining(b.cosignerName());
  }

  @Test
  void aStatusLineUnderAnotherCosignersNameIsIgnored() throws Exception {
    String edNote = log.fullyCosignedCheckpoint(TWO, T);
    Checkpoint cp = Checkpoint.fromNote(Note.parse(edNote));
    MemberKeys b = TC.member("operator-b");
    MemberKeys c = TC.member("operator-c");
    NoteSignature own = b.mlDsaCosigner().cosignStatus(cp, T);
    // operator-b's line relabelled as operator-c's: c's key ID is of another key, so the line
    // matches no known key and is ignored; the quorum lacks c.
    NoteSignature relabelled = new NoteSignature(c.cosignerName(), own.keyId(), own.signature());
    String note = edNote + own.line() + "\n" + relabelled.line() + "\n";
    assertThatThrownBy(() -> pqVerifier.verify(named(note), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("found 1 [" + b.cosignerName() + "]");
    // Under c's name and c's status key ID it is a known signature that fails.
    NoteSignature asC =
        new NoteSignature(c.cosignerName(), c.mlDsaCosigner().statusKeyId(), own.signature());
    String forged = edNote + own.line() + "\n" + asC.line() + "\n";
    assertThatThrownBy(() -> pqVerifier.verify(named(forged), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aHeldAnswerAgainstAnEd25519OnlyHeldCheckpointIsRefused() throws Exception {
    String edOnly = log.fullyCosignedCheckpoint(TWO, T);
    HeldCheckpoints held = new HeldCheckpoints(pq);
    held.hold(edOnly); // it verifies: the quorum of signatures is there, freshness is per answer
    assertThat(held.freshNames(NOW)).isEmpty();
    assertThatThrownBy(() -> pqVerifier.verify(named(edOnly).withoutCheckpoint(), cert, NOW, held))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("requires ML-DSA-44 status cosignatures")
        .hasMessageContaining("found 0 []");
  }

  @Test
  void theHeldFullNoteSuppliesTheStatusCosignaturesAnAnswerLeavesOut() throws Exception {
    String full = full(T - 10, T - 10);
    HeldCheckpoints held = new HeldCheckpoints(pq);
    held.hold(full);
    assertThat(held.freshNames(NOW)).containsExactly(StatusCheckpoints.sha256(full));

    // Left out: checked against the held note.
    assertThat(pqVerifier.verify(named(full).withoutCheckpoint(), cert, NOW, held).status())
        .isEqualTo("GOOD");
    // Carried in its status form, re-cosigned later on a heartbeat (fresher Ed25519 lines only):
    // the held form, which has the PQ lines, is the one checked, and stays held.
    String heartbeat = StatusCheckpoints.statusForm(log.fullyCosignedCheckpoint(TWO, T));
    StatusVerifier.Verified v = pqVerifier.verify(named(heartbeat), cert, NOW, held);
    assertThat(v.checkpoint().statusCosignatureTimes()).hasSize(2);
    assertThat(held.get(StatusCheckpoints.sha256(full)).orElseThrow().statusCosignatureTimes())
        .hasSize(2);
    // Without a held checkpoint, the same status form fails.
    assertThatThrownBy(() -> pqVerifier.verify(named(heartbeat), cert, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("found 0 []");
  }

  @Test
  void jsonAnswersCarryTheNoteWithoutTheStatusCosignatureLines() throws Exception {
    String edNote = log.fullyCosignedCheckpoint(TWO, T);
    String full = log.withStatusCosignatures(edNote, TWO, T);
    CheckpointVerifier v = new CheckpointVerifier(TrustBundle.fromPolicy(TC.policy()));
    assertThat(v.answerForm(full)).isEqualTo(edNote);
    assertThat(v.answerForm(edNote)).isSameAs(edNote);
    assertThat(StatusCheckpoints.sha256(v.answerForm(full)))
        .isEqualTo(StatusCheckpoints.sha256(full));
    // The status form of the full note is the status form of the answer form: Ed25519 lines only.
    assertThat(StatusCheckpoints.statusForm(full)).isEqualTo(StatusCheckpoints.statusForm(edNote));
    assertThat(full.length() - edNote.length()).isGreaterThan(2 * 3_000);
  }

  @Test
  void theBundleSettingParsesAndIsChecked() throws Exception {
    TrustBundle back = TrustBundle.parse(pq.toJson());
    assertThat(back.requiresMlDsaStatusCosignatures()).isTrue();
    assertThat(back.sameTrust(pq)).isTrue();
    assertThat(back.sameTrust(TrustBundle.fromPolicy(TC.policy()))).isFalse();
    assertThat(TrustBundle.fromPolicy(TC.policy()).toJson()).doesNotContain("statusCosignatures");
    assertThat(back.withPolicy(7L, null).requiresMlDsaStatusCosignatures()).isTrue();

    assertThatThrownBy(() -> TrustBundle.parse(pq.withStatusCosignatures("ml-dsa-44").toJson()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining(
            "statusCosignatures must be 'ed25519' or 'ed25519+ml-dsa-44', found 'ml-dsa-44'");
    // Without ML-DSA-44 vkeys of m cosigners, the requirement could never be met.
    List<TrustBundle.Cosigner> ed25519Only = new java.util.ArrayList<>();
    for (TrustBundle.Cosigner c : pq.cosigners()) {
      if (Vkey.parse(c.vkey()).type() == NoteKeys.TYPE_COSIGNATURE_V1) {
        ed25519Only.add(c);
      }
    }
    TrustBundle noMlDsa =
        new TrustBundle(
            pq.logs(), ed25519Only, 2, 120, null, null, TrustBundle.STATUS_ED25519_ML_DSA_44);
    assertThatThrownBy(() -> TrustBundle.parse(noMlDsa.toJson()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("needs ML-DSA-44 (subtree/v1) vkeys of at least cosignerQuorum 2")
        .hasMessageContaining("found 0");
  }
}
