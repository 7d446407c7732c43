package org.ledgerpki.cosign.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.TrustAnchorId;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.note.Vkey;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.Role;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.tlog.MlDsaCosignatureVerifier;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.core.tlog.SubtreeCosignature;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.cosign.CosignHarness;
import org.ledgerpki.cosign.TestLedger;
import org.ledgerpki.cosign.witness.Covering;
import org.ledgerpki.cosign.witness.SignatureLines;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;

/** Three cosigners and the aggregator, wired as Kafka would wire them. */
class AggregatorTopologyTest {
  private static final TrustPolicy POLICY = TestLedger.TC.policy();

  /** The start of a landmark window (the test policy's interval is 2 s). */
  private static final long T0 = 1_772_366_400_000L;

  @TempDir Path stateDir;
  private CosignHarness h;
  private TestLedger ledger;

  @BeforeEach
  void start() {
    h = new CosignHarness(POLICY, stateDir, TestLedger.TC.members());
    ledger = new TestLedger();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void threeCosignersGiveOneCosignedCheckpointThatOpensUnderThePolicyKeys() throws Exception {
    ledger.add(5);
    h.entries(ledger.entries());
    Checkpoint cp = ledger.checkpoint(T0 + 300);
    h.checkpoint(cp);
    h.relay();

    assertThat(h.cosigned).hasSize(1);
    CosignedCheckpoint c = h.cosigned.get(0);
    assertThat(c.getSize()).isEqualTo(6);
    assertThat(c.getPreviousSize()).isZero();
    assertThat(c.getRootHash()).isEqualTo(cp.getRootHash());
    assertThat(c.getCosigners()).hasSizeGreaterThanOrEqualTo(POLICY.cosignerQuorum());
    assertThat(c.getPublishedAt()).isEqualTo(CosignHarness.CLOCK.instant());

    // The note opens under the log key and each cosigner's keys, with every line valid.
    List<NoteVerifier> known = new ArrayList<>();
    NoteVerifier log = NoteVerifiers.fromVkey(POLICY.log().vkey());
    known.add(log);
    List<String> names = new ArrayList<>();
    for (TrustPolicy.Member m : POLICY.members(Role.COSIGNER)) {
      known.add(NoteVerifiers.fromVkey(m.cosigner().ed25519Vkey()));
      MlDsaCosignatureVerifier mlDsa =
          MlDsaCosignatureVerifier.fromVkey(Vkey.parse(m.cosigner().mldsa44Vkey()));
      known.add(mlDsa);
      known.add(mlDsa.statusVerifier());
      if (c.getCosigners().contains(m.id())) {
        names.add(m.cosigner().name());
      }
    }
    VerifiedNote v = Notes.open(c.getNote(), known);
    assertThat(v.verifiedBy()).contains(log);
    // Each cosigner's cosignature/v1, subtree/v1 and ML-DSA-44 status cosignature (ADR 0010).
    assertThat(v.note().signatures()).hasSize(1 + 3 * c.getCosigners().size());
    assertThat(v.verifiedBy()).hasSize(1 + 3 * c.getCosigners().size());
    // And as a relying party's verifier sees it, one that requires the PQ status cosignatures too.
    VerifiedCheckpoint vc =
        new CheckpointVerifier(
                TrustBundle.fromPolicy(POLICY)
                    .withStatusCosignatures(TrustBundle.STATUS_ED25519_ML_DSA_44))
            .verify(c.getNote());
    assertThat(vc.checkpoint().size()).isEqualTo(6);
    assertThat(vc.statusCosignatureTimes().keySet()).containsExactlyInAnyOrderElementsOf(names);
    assertThat(vc.statusCosignatureTimes().values())
        .containsOnly(CosignHarness.CLOCK.instant().getEpochSecond());

    // [0, 6) is covered by [0, 4) and [4, 6), each signed by the cosigners who cosigned.
    assertThat(c.getSubtrees())
        .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
        .containsExactly(new Subtree(0, 4), new Subtree(4, 6));
    for (SignedSubtree s : c.getSubtrees()) {
      assertSignedSubtree(s, POLICY.cosignerQuorum());
      // What a relying party checks in a standalone MTC certificate built on this subtree.
      List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
      for (SubtreeSignature sig : s.getSignatures()) {
        sigs.add(
            MtcProof.SubtreeSignature.of(sig.getCosignerId(), Evidence.bytes(sig.getSignature())));
      }
      new QuorumCosignerPolicy(TrustBundle.fromPolicy(POLICY))
          .check(
              new CosignedSubtree(
                  TrustAnchorId.logId(TestConsortium.CA_ID, 1),
                  s.getStart(),
                  s.getEnd(),
                  Evidence.bytes(s.getHash())),
              sigs);
    }
    assertThat(h.aggregator.metric("cosigned-checkpoints-total")).isEqualTo(1);
  }

  private void assertSignedSubtree(SignedSubtree s, int atLeast) {
    byte[] hash = ledger.tree().subtreeHash(s.getStart(), s.getEnd());
    assertThat(Evidence.bytes(s.getHash())).isEqualTo(hash);
    assertThat(s.getSignatures()).hasSizeGreaterThanOrEqualTo(atLeast);
    for (SubtreeSignature sig : s.getSignatures()) {
      TrustPolicy.CosignerIdentity id = POLICY.member(sig.getCosigner()).orElseThrow().cosigner();
      assertThat(sig.getCosignerId()).isEqualTo(id.trustAnchorId());
      assertThat(
              SubtreeCosignature.verifySubtree(
                  id.mldsa44(),
                  id.name(),
                  0,
                  ledger.origin(),
                  s.getStart(),
                  s.getEnd(),
                  hash,
                  Evidence.bytes(sig.getSignature())))
          .isTrue();
    }
  }

  @Test
  void successiveCheckpointsAreEachPublishedOnceWithTheirOwnSubtrees() {
    ledger.add(3);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    ledger.add(3);
    h.entries(ledger.entries().subList(4, 7));
    h.checkpoint(ledger.checkpoint(T0 + 100));
    h.relay();
    assertThat(h.cosigned).extracting(CosignedCheckpoint::getSize).containsExactly(4L, 7L);
    CosignedCheckpoint second = h.cosigned.get(1);
    assertThat(second.getPreviousSize()).isEqualTo(4);
    assertThat(second.getSubtrees())
        .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
        .containsExactly(new Subtree(4, 6), new Subtree(6, 7));
    second.getSubtrees().forEach(s -> assertSignedSubtree(s, POLICY.cosignerQuorum()));
  }

  @Test
  void cosignaturesThatArriveBeforeTheirCheckpointWaitForIt() {
    ledger.add(3);
    Checkpoint cp = ledger.checkpoint(T0);
    for (CosignHarness.Cosigner c : h.cosigners.values()) {
      ledger.entries().forEach(c::entry);
      c.checkpoint(cp);
    }
    h.relay();
    assertThat(h.cosigned).isEmpty();
    h.aggregator.checkpoint(cp);
    h.relay();
    assertThat(h.cosigned).singleElement().satisfies(c -> assertThat(c.getSize()).isEqualTo(4));
  }

  @Test
  void aCheckpointWithoutTheLogsSignatureIsIgnored() {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint honest = ledger.checkpoint(T0);
    Checkpoint rogue =
        ledger.checkpoint(
            4,
            0,
            ledger.tree().rootAt(4),
            T0,
            new org.ledgerpki.core.note.Ed25519NoteSigner(
                ledger.origin(),
                org.ledgerpki.core.crypto.Keys.generate(
                        org.ledgerpki.core.crypto.SignatureAlgorithm.ED25519)
                    .getPrivate()));
    h.aggregator.checkpoint(rogue);
    assertThat(h.aggregator.metric("ignored-checkpoints-total", "reason", "bad-log-signature"))
        .isEqualTo(1);
    // The cosigners' signatures on the same size and root wait for the log-signed checkpoint.
    h.cosigners.values().forEach(c -> c.checkpoint(honest));
    h.relay();
    assertThat(h.cosigned).isEmpty();
    h.aggregator.checkpoint(honest);
    assertThat(h.aggregator.cosigned.readValuesToList())
        .singleElement()
        .satisfies(c -> assertThat(c.getNote()).startsWith(honest.getNote()));
  }

  @Test
  void aStatusCosignatureOverAnotherBodyIsRefusedAndARecordWithoutOneStillCounts()
      throws Exception {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint cp = ledger.checkpoint(T0);
    h.aggregator.checkpoint(cp);
    Cosignature fromB = checkpointCosignature(h.cosigner("operator-b"), cp);
    Cosignature fromC = checkpointCosignature(h.cosigner("operator-c"), cp);
    assertThat(fromB.getLines()).hasSize(3);
    NoteSignature status = SignatureLines.parse(fromB.getLines().get(2));
    MemberKeys b = TestLedger.TC.member("operator-b");
    assertThat(status.keyId()).isEqualTo(b.mlDsaCosigner().statusKeyId());

    // operator-b's status line made over the same tree with another status line.
    org.ledgerpki.core.tlog.Checkpoint body =
        org.ledgerpki.core.tlog.Checkpoint.fromNote(Note.parse(cp.getNote()));
    org.ledgerpki.core.tlog.Checkpoint otherStatus =
        new org.ledgerpki.core.tlog.Checkpoint(
            body.origin(),
            body.size(),
            body.rootHash(),
            List.of(
                "ledger-pki-status 1 YTXIMEb1kG6O3JM4uD81i6oPksopg/sMU5ubINR7efQ="
                    + " jegwL3UouEZAuslce+L6EmDVfyWgFdkLJVqnBVeaonM="));
    String forged = b.mlDsaCosigner().cosignStatus(otherStatus, fromB.getTimestamp()).line();
    List<String> lines = new ArrayList<>(fromB.getLines().subList(0, 2));
    lines.add(forged);
    h.aggregator.cosignature(Cosignature.newBuilder(fromB).setLines(lines).build());
    assertThat(h.aggregator.metric("invalid-cosignatures-total")).isEqualTo(1);

    // operator-c's record as a cosigner before ADR 0010 wrote it: no status line. It counts.
    h.aggregator.cosignature(
        Cosignature.newBuilder(fromC).setLines(fromC.getLines().subList(0, 2)).build());
    h.aggregator.cosignature(fromB);
    assertThat(h.aggregator.metric("invalid-cosignatures-total")).isEqualTo(1);
    CosignedCheckpoint c = h.aggregator.cosigned.readValuesToList().get(0);
    assertThat(c.getCosigners()).containsExactly("operator-b", "operator-c");
    VerifiedCheckpoint vc =
        new CheckpointVerifier(TrustBundle.fromPolicy(POLICY)).verify(c.getNote());
    assertThat(vc.statusCosignatureTimes()).containsOnlyKeys(b.cosignerName());
  }

  private static Cosignature checkpointCosignature(CosignHarness.Cosigner cosigner, Checkpoint cp) {
    cosigner.checkpoint(cp);
    return cosigner.cosignatures.readValuesToList().stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void invalidCosignaturesDoNotCount() {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint cp = ledger.checkpoint(T0);
    h.aggregator.checkpoint(cp);
    CosignHarness.Cosigner b = h.cosigner("operator-b");
    b.checkpoint(cp);
    List<Cosignature> fromB = b.cosignatures.readValuesToList();
    Cosignature checkpointB =
        fromB.stream().filter(c -> c.getKind() == CosignatureKind.CHECKPOINT).findFirst().get();
    Cosignature subtreeB =
        fromB.stream().filter(c -> c.getKind() == CosignatureKind.SUBTREE).findFirst().get();

    // operator-b's lines under vendor-a's name; under a stranger's name; a line edited.
    h.aggregator.cosignature(Cosignature.newBuilder(checkpointB).setCosigner("vendor-a").build());
    h.aggregator.cosignature(Cosignature.newBuilder(checkpointB).setCosigner("mallory").build());
    String line = checkpointB.getLines().get(0);
    String edited =
        line.substring(0, line.length() - 6) + (line.endsWith("AAAA==") ? "BBBB==" : "AAAA==");
    h.aggregator.cosignature(
        Cosignature.newBuilder(checkpointB)
            .setCosigner("operator-b")
            .setLines(List.of(edited))
            .build());
    // A subtree signature on another hash.
    h.aggregator.cosignature(
        Cosignature.newBuilder(subtreeB).setHash(ByteBuffer.wrap(new byte[32])).build());
    // The honest one, twice: still one cosigner.
    h.aggregator.cosignature(checkpointB);
    h.aggregator.cosignature(checkpointB);
    assertThat(h.aggregator.cosigned.readValuesToList()).isEmpty();
    assertThat(h.aggregator.metric("invalid-cosignatures-total")).isEqualTo(4);

    h.cosigner("operator-c").checkpoint(cp);
    ledger.entries().forEach(h.cosigner("operator-c")::entry);
    h.relay();
    assertThat(h.cosigned)
        .singleElement()
        .satisfies(c -> assertThat(c.getCosigners()).containsExactly("operator-b", "operator-c"));
  }

  @Test
  void landmarksAreAllocatedOncePerWindowAndPublishedCosigned() {
    ledger.add(5);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0 + 100));
    h.relay();
    // Same window: a cosigned checkpoint, but no landmark.
    ledger.add(2);
    h.entries(ledger.entries().subList(6, 8));
    h.checkpoint(ledger.checkpoint(T0 + 1900));
    h.relay();
    // Next window: the second landmark.
    ledger.add(3);
    h.entries(ledger.entries().subList(8, 11));
    h.checkpoint(ledger.checkpoint(T0 + 2100));
    h.relay();

    assertThat(h.cosigned).extracting(CosignedCheckpoint::getSize).containsExactly(6L, 8L, 11L);
    List<Landmark> allocated =
        h.landmarks.stream().filter(l -> l.getState() == LandmarkState.ALLOCATED).toList();
    List<Landmark> cosigned =
        h.landmarks.stream().filter(l -> l.getState() == LandmarkState.COSIGNED).toList();
    assertThat(allocated).extracting(Landmark::getNumber).containsExactly(1L, 2L);
    assertThat(allocated).extracting(Landmark::getTreeSize).containsExactly(6L, 11L);
    assertThat(allocated).extracting(Landmark::getPreviousTreeSize).containsExactly(0L, 6L);
    assertThat(allocated.get(1).getSubtrees())
        .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
        .containsExactly(new Subtree(6, 8), new Subtree(8, 11));
    assertThat(allocated.get(1).getSubtrees())
        .allSatisfy(
            s -> {
              assertThat(s.getHash().remaining()).isZero();
              assertThat(s.getSignatures()).isEmpty();
            });
    assertThat(allocated.get(0).getAllocatedAt().toEpochMilli()).isEqualTo(T0 + 100);

    assertThat(cosigned).extracting(Landmark::getNumber).containsExactly(1L, 2L);
    for (Landmark l : cosigned) {
      assertThat(l.getSubtrees())
          .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
          .containsExactlyElementsOf(Covering.subtrees(l.getPreviousTreeSize(), l.getTreeSize()));
      l.getSubtrees().forEach(s -> assertSignedSubtree(s, POLICY.cosignerQuorum()));
    }
    assertThat(h.aggregator.metric("allocated-landmarks-total")).isEqualTo(2);
    assertThat(h.aggregator.metric("cosigned-landmarks-total")).isEqualTo(2);
  }

  /**
   * A quiet log after a landmark: the landmark covers what the first cosigned checkpoint covered,
   * so it is cosigned at once and its subtree signatures pruned; the heartbeats (previousSize =
   * size, so the cosigners sign no covering subtrees) must still be published with the subtrees of
   * the checkpoint's interval as the entries give them, or inquiry nodes refuse every one of them
   * and the first publication goes stale.
   */
  @Test
  void heartbeatsAfterALandmarkRepublishTheCheckpointsSubtreesAsTheEntriesGiveThem() {
    ledger.add(1);
    h.entries(ledger.entries());
    org.ledgerpki.schemas.avro.Checkpoint cp = ledger.checkpoint(T0 + 100);
    h.checkpoint(cp);
    h.relay();
    assertThat(h.cosigned).hasSize(1);
    assertThat(h.cosigned.get(0).getPreviousSize()).isZero();
    assertThat(h.landmarks)
        .extracting(Landmark::getNumber, Landmark::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, LandmarkState.ALLOCATED),
            org.assertj.core.groups.Tuple.tuple(1L, LandmarkState.COSIGNED));

    for (int beat = 1; beat <= 3; beat++) {
      int before = h.cosigned.size();
      h.clock.advance(java.time.Duration.ofSeconds(30));
      h.checkpoint(ledger.checkpoint(2, 2, ledger.tree().rootAt(2), T0 + 100, signer()));
      h.relay();
      assertThat(h.cosigned.size()).as("re-published on heartbeat %d", beat).isGreaterThan(before);
      for (CosignedCheckpoint again : h.cosigned.subList(before, h.cosigned.size())) {
        assertThat(again.getSize()).isEqualTo(2);
        assertThat(again.getPublishedAt()).isEqualTo(h.clock.instant());
        // Exactly what a verifier recomputes from the entries for [previousSize, size).
        assertThat(again.getSubtrees())
            .as("subtrees of heartbeat %d", beat)
            .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
            .containsExactlyElementsOf(Covering.subtrees(again.getPreviousSize(), again.getSize()));
        again.getSubtrees().forEach(s -> assertSignedSubtree(s, POLICY.cosignerQuorum()));
      }
    }
    assertThat(h.aggregator.metric("recosigned-checkpoints-total")).isGreaterThanOrEqualTo(3);
  }

  private static org.ledgerpki.core.note.NoteSigner signer() {
    return TestLedger.TC.log().noteSigner();
  }

  @Test
  void aLandmarkWaitsUntilEnoughCosignersAgreeOnEachSubtree() {
    ledger.add(3);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    ledger.add(2);
    h.entries(ledger.entries().subList(4, 6));
    h.checkpoint(ledger.checkpoint(T0 + 1000));
    h.relay();
    // Landmark 1 covers [0, 4) with the subtrees the cosigners signed for standalone
    // certificates, so it is cosigned at once.
    assertThat(h.landmarks)
        .extracting(Landmark::getNumber, Landmark::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, LandmarkState.ALLOCATED),
            org.assertj.core.groups.Tuple.tuple(1L, LandmarkState.COSIGNED));

    ledger.add(5);
    h.entries(ledger.entries().subList(6, 11));
    h.checkpoint(ledger.checkpoint(T0 + 2000));
    // Landmark 2 is [4, 11): [4, 8) and [8, 11); only [8, 11) is a standalone subtree of the
    // checkpoint [6, 11). Only operator-b follows the landmarks for now.
    h.relay(java.util.Set.of("operator-b"));
    Landmark l2 = h.landmarks.get(h.landmarks.size() - 1);
    assertThat(l2.getNumber()).isEqualTo(2);
    assertThat(l2.getState()).isEqualTo(LandmarkState.ALLOCATED);
    assertThat(l2.getSubtrees())
        .extracting(s -> new Subtree(s.getStart(), s.getEnd()))
        .containsExactly(new Subtree(4, 8), new Subtree(8, 11));

    h.cosigner("operator-c").landmark(l2);
    h.relay();
    Landmark done = h.landmarks.get(h.landmarks.size() - 1);
    assertThat(done.getNumber()).isEqualTo(2);
    assertThat(done.getState()).isEqualTo(LandmarkState.COSIGNED);
    done.getSubtrees().forEach(s -> assertSignedSubtree(s, POLICY.cosignerQuorum()));
    assertThat(done.getSubtrees().get(0).getSignatures())
        .extracting(SubtreeSignature::getCosigner)
        .containsExactly("operator-b", "operator-c");
  }

  @Test
  void undecodableRecordsAreDeadLetteredAndTheStreamGoesOn() {
    byte[] garbage = "\0\0\0\0\7junk".getBytes(StandardCharsets.ISO_8859_1);
    h.aggregator.checkpoints.pipeInput(ledger.origin(), garbage);
    h.aggregator.cosignatureInput.pipeInput(ledger.origin(), garbage);
    List<DeadLetter> dead = h.aggregator.dlq.readValuesToList();
    assertThat(dead)
        .extracting(DeadLetter::getSourceTopic)
        .containsExactly(h.topics.checkpoints().name(), h.topics.cosignatures().name());
    assertThat(dead).allSatisfy(d -> assertThat(d.getService()).isEqualTo("aggregator"));

    ledger.add(1);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    assertThat(h.cosigned).hasSize(1);
  }
}
