package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.note.Ed25519NoteSigner;
import org.ledgerpki.core.note.NoteSignature;
import org.ledgerpki.core.note.NoteVerifier;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.note.VerifiedNote;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.MlDsaCosignatureVerifier;
import org.ledgerpki.core.tlog.NoteVerifiers;
import org.ledgerpki.core.tlog.SubtreeCosignature;
import org.ledgerpki.cosign.witness.Covering;
import org.ledgerpki.cosign.witness.SignatureLines;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.SignedSubtree;

class CosignerTopologyTest {
  private static final TrustPolicy POLICY = TestLedger.TC.policy();
  private static final long T0 = 1_772_366_400_000L;

  @TempDir Path stateDir;
  private CosignHarness h;
  private CosignHarness.Cosigner b;
  private TestLedger ledger;

  @BeforeEach
  void start() {
    h = new CosignHarness(POLICY, stateDir, List.of(TestLedger.TC.member("operator-b")));
    b = h.cosigner("operator-b");
    ledger = new TestLedger();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aValidLogIsCosignedWithSignaturesThatVerifyUnderThePolicyKeys() throws Exception {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint cp = ledger.checkpoint(T0);
    h.checkpoint(cp);

    List<Cosignature> out = b.cosignatures.readValuesToList();
    // The draft covers [0, 4) with [0, 2) and [2, 4): their signatures, then the checkpoint's.
    assertThat(out)
        .extracting(Cosignature::getKind)
        .containsExactly(
            CosignatureKind.SUBTREE, CosignatureKind.SUBTREE, CosignatureKind.CHECKPOINT);
    assertSubtreeSignature(out.get(0), new Subtree(0, 2));
    assertSubtreeSignature(out.get(1), new Subtree(2, 4));
    assertCheckpointCosignature(out.get(2), cp);

    ledger.add(3);
    h.entries(ledger.entries().subList(4, 7));
    Checkpoint cp2 = ledger.checkpoint(T0 + 1000);
    h.checkpoint(cp2);
    out = b.cosignatures.readValuesToList();
    assertThat(out).hasSize(3);
    assertSubtreeSignature(out.get(0), new Subtree(4, 6));
    assertSubtreeSignature(out.get(1), new Subtree(6, 7));
    assertCheckpointCosignature(out.get(2), cp2);
    assertThat(b.metric("cosigned-checkpoints-total")).isEqualTo(2);
    assertThat(b.metric("refused-checkpoints-total")).isZero();
  }

  private void assertCheckpointCosignature(Cosignature c, Checkpoint cp) throws Exception {
    assertThat(c.getCosigner()).isEqualTo("operator-b");
    assertThat(c.getStart()).isZero();
    assertThat(c.getEnd()).isEqualTo(cp.getSize());
    assertThat(c.getHash()).isEqualTo(cp.getRootHash());
    assertThat(c.getTimestamp()).isEqualTo(CosignHarness.CLOCK.instant().getEpochSecond());
    // cosignature/v1, subtree/v1 and the ML-DSA-44 status cosignature (ADR 0010).
    assertThat(c.getLines()).hasSize(3);
    TrustPolicy.CosignerIdentity id = POLICY.member("operator-b").orElseThrow().cosigner();
    NoteVerifier ed = NoteVerifiers.fromVkey(id.ed25519Vkey());
    MlDsaCosignatureVerifier ml =
        MlDsaCosignatureVerifier.fromVkey(org.ledgerpki.core.note.Vkey.parse(id.mldsa44Vkey()));
    NoteVerifier status = ml.statusVerifier();
    NoteVerifier log = NoteVerifiers.fromVkey(POLICY.log().vkey());
    String note = cp.getNote() + String.join("\n", c.getLines()) + "\n";
    VerifiedNote v = Notes.open(note, List.of(log, ed, ml, status));
    assertThat(v.verifiedBy()).containsExactlyInAnyOrder(log, ed, ml, status);
  }

  private void assertSubtreeSignature(Cosignature c, Subtree s) throws Exception {
    assertThat(c.getKind()).isEqualTo(CosignatureKind.SUBTREE);
    assertThat(c.getTimestamp()).isZero();
    assertThat(new Subtree(c.getStart(), c.getEnd())).isEqualTo(s);
    byte[] hash = ledger.tree().subtreeHash(s.start(), s.end());
    assertThat(Evidence.bytes(c.getHash())).isEqualTo(hash);
    TrustPolicy.CosignerIdentity id = POLICY.member("operator-b").orElseThrow().cosigner();
    assertThat(c.getLines()).hasSize(1);
    NoteSignature line = SignatureLines.parse(c.getLines().get(0));
    assertThat(line.keyName()).isEqualTo(id.name());
    assertThat(SignatureLines.timestampOf(line.signature())).isZero();
    assertThat(
            SubtreeCosignature.verifySubtree(
                id.mldsa44(),
                id.name(),
                0,
                ledger.origin(),
                s.start(),
                s.end(),
                hash,
                SignatureLines.withoutTimestamp(line.signature())))
        .isTrue();
  }

  /** Evidence that must not admit an entry, each with the entry's certificate. */
  static Stream<Arguments> badEvidence() {
    MemberKeys mallory = TestLedger.TC.outsider();
    MemberKeys c = TestLedger.TC.member("operator-c");
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        Arguments.of(
            "one endorsement",
            (Function<byte[], List<Endorsement>>)
                cert -> TestLedger.endorsements(cert, "vendor-a")));
    cases.add(
        Arguments.of(
            "two from the same organisation",
            (Function<byte[], List<Endorsement>>)
                cert -> TestLedger.endorsements(cert, "operator-b", "operator-b")));
    cases.add(
        Arguments.of(
            "a forged one (operator-c's name, mallory's key)",
            (Function<byte[], List<Endorsement>>)
                cert ->
                    List.of(
                        TestLedger.endorsements(cert, "vendor-a").get(0),
                        TestLedger.endorsement(cert, "operator-c", mallory))));
    cases.add(
        Arguments.of(
            "a tampered one (verdict edited after signing)",
            (Function<byte[], List<Endorsement>>)
                cert -> {
                  Endorsement e = TestLedger.endorsements(cert, "operator-c").get(0);
                  e.setValidatedAt(Instant.ofEpochMilli(42));
                  return List.of(TestLedger.endorsements(cert, "vendor-a").get(0), e);
                }));
    cases.add(
        Arguments.of(
            "one endorsing another certificate",
            (Function<byte[], List<Endorsement>>)
                cert ->
                    List.of(
                        TestLedger.endorsements(cert, "vendor-a").get(0),
                        TestLedger.endorsements(new TestLedger().newCertificate(), "operator-c")
                            .get(0))));
    cases.add(
        Arguments.of(
            "one for a revocation",
            (Function<byte[], List<Endorsement>>)
                cert ->
                    List.of(
                        TestLedger.endorsements(cert, "vendor-a").get(0),
                        TestLedger.signed(
                            TestLedger.unsigned(org.ledgerpki.core.Sha256.hash(cert), "operator-c")
                                .setOperation(Operation.REVOKE),
                            c))));
    cases.add(
        Arguments.of(
            "one by a non-member",
            (Function<byte[], List<Endorsement>>)
                cert ->
                    List.of(
                        TestLedger.endorsements(cert, "vendor-a").get(0),
                        TestLedger.endorsement(cert, "mallory", mallory))));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEvidence")
  void anEntryWithoutQuorumEvidenceTaintsTheLog(
      String name, Function<byte[], List<Endorsement>> evidence) {
    ledger.add(2);
    byte[] cert = ledger.newCertificate();
    ledger.add(cert, evidence.apply(cert));
    ledger.add(1);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));

    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
    assertThat(b.metric("tainted-entries-total")).isEqualTo(1);
  }

  @Test
  void anEntryThatIsNotItsCertificatesEncodingTaintsTheLog() {
    ledger.add(1);
    byte[] cert = ledger.newCertificate();
    byte[] other = ledger.newCertificate();
    // The entry bytes of another certificate, with this certificate and its valid evidence.
    ledger.append(
        ledger.entry(
            ledger.size(),
            TestLedger.mtcEntry(other),
            cert,
            TestLedger.endorsements(cert, "vendor-a", "operator-b")));
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void aNullEntryBeyondIndexZeroTaintsTheLog() {
    ledger.add(1);
    ledger.append(
        ledger.entry(
            ledger.size(),
            org.ledgerpki.core.mtc.MtcLogEntry.nullEntry().encode(),
            null,
            List.of()));
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("tainted-entries-total")).isEqualTo(1);
  }

  @Test
  void checkpointsBelowTheTaintedIndexAreStillCosigned() {
    ledger.add(2);
    byte[] cert = ledger.newCertificate();
    ledger.add(cert, TestLedger.endorsements(cert, "vendor-a"));
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(3, T0));
    assertThat(b.cosignatures.readValuesToList())
        .extracting(Cosignature::getKind)
        .contains(CosignatureKind.CHECKPOINT);
    h.checkpoint(ledger.checkpoint(4, T0 + 1));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void aCheckpointWhoseRootIsNotTheMirrorsIsRefused() {
    ledger.add(3);
    h.entries(ledger.entries());
    byte[] wrong = ledger.tree().rootAt(3);
    h.checkpoint(ledger.checkpoint(4, 0, wrong, T0, TestLedger.TC.log().noteSigner()));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "root-mismatch")).isEqualTo(1);
  }

  @Test
  void aCheckpointWithABadLogSignatureIsRefused() {
    ledger.add(3);
    h.entries(ledger.entries());
    KeyPair rogue = Keys.generate(SignatureAlgorithm.ED25519);
    // The log's name, another key: a note the log did not sign.
    h.checkpoint(
        ledger.checkpoint(
            4,
            0,
            ledger.tree().rootAt(4),
            T0,
            new Ed25519NoteSigner(ledger.origin(), rogue.getPrivate())));
    // The log's key, but the signature of another text.
    Checkpoint good = ledger.checkpoint(T0);
    String forged = good.getNote().replace("\n4\n", "\n5\n");
    Checkpoint tampered = Checkpoint.newBuilder(good).setNote(forged).setSize(5).build();
    h.checkpoint(tampered);
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "bad-log-signature")).isEqualTo(2);
    // The honest checkpoint still goes through: refusals change nothing.
    h.checkpoint(good);
    assertThat(b.cosignatures.readValuesToList()).hasSize(Covering.subtrees(0, 4).size() + 1);
  }

  @Test
  void aCheckpointWhoseRecordDisagreesWithItsNoteIsRefused() {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint good = ledger.checkpoint(T0);
    h.checkpoint(Checkpoint.newBuilder(good).setSize(3).build());
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "record-mismatch")).isEqualTo(1);
  }

  @Test
  void aCheckpointWhosePreviousSizeSkipsIsRefused() {
    ledger.add(5);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(2, T0));
    assertThat(b.cosignatures.readValuesToList()).isNotEmpty();
    // Extends size 3, but the last checkpoint seen has size 2: a rival sequencer?
    h.checkpoint(
        ledger.checkpoint(4, 3, ledger.tree().rootAt(4), T0 + 1, TestLedger.TC.log().noteSigner()));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "previous-size-mismatch"))
        .isEqualTo(1);
  }

  @Test
  void aShrinkingCheckpointIsRefused() {
    ledger.add(5);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(4, T0));
    assertThat(b.cosignatures.readValuesToList()).isNotEmpty();
    h.checkpoint(
        ledger.checkpoint(3, 4, ledger.tree().rootAt(3), T0 + 1, TestLedger.TC.log().noteSigner()));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "shrinking")).isEqualTo(1);
  }

  @Test
  void aRepeatedCheckpointIsNotCosignedTwice() {
    ledger.add(3);
    h.entries(ledger.entries());
    Checkpoint cp = ledger.checkpoint(T0);
    h.checkpoint(cp);
    assertThat(b.cosignatures.readValuesToList()).hasSize(3);
    h.checkpoint(cp);
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total")).isZero();
  }

  @Test
  void aCheckpointAheadOfTheMirrorIsParkedUntilItsEntriesArrive() {
    ledger.add(6);
    Checkpoint first = ledger.checkpoint(4, T0);
    Checkpoint second = ledger.checkpoint(7, T0 + 1);
    h.checkpoint(first);
    h.checkpoint(second);
    h.entries(ledger.entries().subList(0, 3));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    h.entries(ledger.entries().subList(3, 5));
    assertThat(b.cosignatures.readValuesToList())
        .filteredOn(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .extracting(Cosignature::getEnd)
        .containsExactly(4L);
    h.entries(ledger.entries().subList(5, 7));
    List<Cosignature> out = b.cosignatures.readValuesToList();
    assertThat(out)
        .filteredOn(c -> c.getKind() == CosignatureKind.CHECKPOINT)
        .extracting(Cosignature::getEnd)
        .containsExactly(7L);
    assertThat(out)
        .filteredOn(c -> c.getKind() == CosignatureKind.SUBTREE)
        .extracting(c -> new Subtree(c.getStart(), c.getEnd()))
        .containsExactly(new Subtree(4, 6), new Subtree(6, 7));
  }

  @Test
  void aReplayedEntryIsIgnoredButARewrittenOneTaintsTheLog() {
    ledger.add(3);
    h.entries(ledger.entries());
    h.entry(ledger.entries().get(2));
    h.checkpoint(ledger.checkpoint(T0));
    assertThat(b.cosignatures.readValuesToList()).hasSize(3);
    assertThat(b.metric("tainted-entries-total")).isZero();

    // Index 2 again, with another certificate: the log rewrote history.
    byte[] cert = ledger.newCertificate();
    h.entry(
        ledger.entry(
            2,
            TestLedger.mtcEntry(cert),
            cert,
            TestLedger.endorsements(cert, "vendor-a", "operator-b")));
    ledger.add(1);
    h.entry(ledger.entries().get(4));
    h.checkpoint(ledger.checkpoint(T0 + 1));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void aGapTaintsTheLog() {
    ledger.add(4);
    h.entries(ledger.entries().subList(0, 2));
    h.entries(ledger.entries().subList(3, 5));
    assertThat(b.metric("tainted-entries-total")).isEqualTo(2);
    h.checkpoint(ledger.checkpoint(2, T0));
    assertThat(b.cosignatures.readValuesToList()).hasSize(Covering.subtrees(0, 2).size() + 1);
    h.checkpoint(ledger.checkpoint(5, T0 + 1));
    // The mirror stopped at the gap: the checkpoint waits, and once the missing entry arrives
    // the log is still tainted from where the gap was.
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    h.entries(ledger.entries().subList(2, 5));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void undecodableRecordsAreDeadLetteredAndTheStreamGoesOn() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.US_ASCII);
    b.entries.pipeInput(ledger.origin(), garbage);
    b.checkpoints.pipeInput(ledger.origin(), garbage);
    b.landmarkInput.pipeInput(ledger.origin(), garbage);
    // A record of the wrong type on the entries topic.
    Checkpoint wrongType =
        ledger.checkpoint(1, 0, ledger.tree().rootAt(1), T0, TestLedger.TC.log().noteSigner());
    b.entries.pipeInput(ledger.origin(), h.bytes(h.topics.checkpoints(), wrongType));
    List<DeadLetter> dead = b.dlq.readValuesToList();
    assertThat(dead)
        .extracting(DeadLetter::getSourceTopic)
        .containsExactly(
            h.topics.entries().name(),
            h.topics.checkpoints().name(),
            h.topics.landmarks().name(),
            h.topics.entries().name());
    assertThat(dead).allSatisfy(d -> assertThat(d.getService()).isEqualTo("cosigner/operator-b"));
    assertThat(dead.get(0).getReason()).startsWith("cannot decode a LedgerEntry");
    assertThat(Evidence.bytes(dead.get(0).getValue())).isEqualTo(garbage);
    assertThat(b.metric("dead-letters-total")).isEqualTo(4);

    ledger.add(2);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(3, T0));
    // [0, 2) and [2, 3), then the checkpoint.
    assertThat(b.cosignatures.readValuesToList()).hasSize(3);
  }

  @Test
  void anAllocatedLandmarkIsSignedWithTheMirrorsHashesOnceTheMirrorReachesIt() throws Exception {
    ledger.add(9);
    h.entries(ledger.entries().subList(0, 6));
    Landmark l = landmark(1, 0, 10, LandmarkState.ALLOCATED);
    b.landmark(l);
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    h.entries(ledger.entries().subList(6, 10));
    List<Cosignature> out = b.cosignatures.readValuesToList();
    assertThat(out).hasSize(2);
    assertSubtreeSignature(out.get(0), new Subtree(0, 8));
    assertSubtreeSignature(out.get(1), new Subtree(8, 10));
    assertThat(b.metric("signed-landmarks-total")).isEqualTo(1);

    b.landmark(landmark(1, 0, 10, LandmarkState.COSIGNED));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
  }

  @Test
  void aMalformedLandmarkIsRefused() {
    ledger.add(3);
    h.entries(ledger.entries());
    Landmark good = landmark(1, 0, 4, LandmarkState.ALLOCATED);
    b.landmark(Landmark.newBuilder(good).setTreeSize(-1).setSubtrees(List.of()).build());
    b.landmark(Landmark.newBuilder(good).setPreviousTreeSize(4).build());
    b.landmark(landmark(1, 1, 4, LandmarkState.ALLOCATED)); // [1, 2) and [2, 4) are fine ...
    b.cosignatures.readValuesToList();
    SignedSubtree bad =
        SignedSubtree.newBuilder(good.getSubtrees().get(0)).setStart(1).setEnd(4).build();
    b.landmark(Landmark.newBuilder(good).setSubtrees(List.of(bad)).build()); // ... [1, 4) is not
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-landmarks-total", "reason", "malformed")).isEqualTo(3);
  }

  @Test
  void aLandmarkOverATaintedLogIsRefused() {
    ledger.add(2);
    byte[] cert = ledger.newCertificate();
    ledger.add(cert, TestLedger.endorsements(cert, "vendor-a"));
    h.entries(ledger.entries());
    b.landmark(landmark(1, 0, 4, LandmarkState.ALLOCATED));
    assertThat(b.cosignatures.readValuesToList()).isEmpty();
    assertThat(b.metric("refused-landmarks-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void aCosignerWithoutAnMlDsaKeyCosignsWithEd25519Only() throws Exception {
    MemberKeys c = TestLedger.TC.member("operator-c");
    MemberKeys edOnly =
        new MemberKeys(
            c.id(),
            c.name(),
            c.organization(),
            c.plmns(),
            c.roles(),
            null,
            null,
            c.trustAnchorId(),
            c.cosignerEd25519(),
            null);
    try (CosignHarness h2 = new CosignHarness(POLICY, stateDir.resolve("ed"), List.of(edOnly))) {
      CosignHarness.Cosigner x = h2.cosigner("operator-c");
      ledger.add(3);
      h2.entries(ledger.entries());
      Checkpoint cp = ledger.checkpoint(T0);
      h2.checkpoint(cp);
      List<Cosignature> out = x.cosignatures.readValuesToList();
      assertThat(out).singleElement().satisfies(s -> assertThat(s.getLines()).hasSize(1));
      x.landmark(landmark(1, 0, 4, LandmarkState.ALLOCATED));
      assertThat(x.cosignatures.readValuesToList()).isEmpty();
      assertThat(x.metric("refused-landmarks-total", "reason", "no-mldsa-key")).isEqualTo(1);
    }
  }

  private Landmark landmark(long number, long prev, long size, LandmarkState state) {
    List<SignedSubtree> subtrees = new ArrayList<>();
    for (Subtree s : Covering.subtrees(prev, size)) {
      subtrees.add(
          SignedSubtree.newBuilder()
              .setStart(s.start())
              .setEnd(s.end())
              .setHash(ByteBuffer.allocate(0))
              .setSignatures(List.of())
              .build());
    }
    return Landmark.newBuilder()
        .setOrigin(ledger.origin())
        .setNumber(number)
        .setTreeSize(size)
        .setPreviousTreeSize(prev)
        .setState(state)
        .setSubtrees(subtrees)
        .setAllocatedAt(Instant.ofEpochMilli(T0))
        .build();
  }
}
