package org.ledgerpki.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.smt.SparseMerkleTree;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;

/** The synthetic ledger's checkpoints verify as the pipeline's would, and answers built on it. */
class SyntheticLedgerTest {
  private final TestConsortium tc = TestConsortium.get();
  private final TrustBundle bundle = TrustBundle.fromPolicy(tc.policy());

  @Test
  void checkpointsVerifyAgainstThePolicyAndAnswersVerifyOffline() throws Exception {
    SyntheticLedger ledger =
        new SyntheticLedger(tc.log(), List.of(tc.member("vendor-a"), tc.member("operator-b")));
    List<byte[]> certs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] der =
          TestPki.vendor(
                  SignatureAlgorithm.ECDSA_P256, TestConsortium.organization("vendor-a"), "nf-" + i)
              .der();
      certs.add(der);
      assertThat(ledger.add(der)).isEqualTo(i + 1);
    }
    assertThat(ledger.size()).isEqualTo(6);

    CosignedCheckpoint c = ledger.cosigned(2, 6, Instant.now().getEpochSecond());
    VerifiedCheckpoint v = new CheckpointVerifier(bundle).verify(c.getNote());
    assertThat(v.checkpoint().size()).isEqualTo(6);
    assertThat(v.cosigners()).hasSize(2);
    assertThat(v.bodyCosigners()).hasSize(2);
    assertThat(c.getSubtrees()).isNotEmpty();
    assertThat(c.getSubtrees().get(0).getSignatures()).hasSize(2);

    Landmark l = ledger.landmark(1, 0, 4);
    assertThat(l.getSubtrees()).hasSizeBetween(1, 2);
    assertThat(l.getSubtrees().get(0).getStart()).isZero();
    assertThat(l.getSubtrees().get(l.getSubtrees().size() - 1).getEnd()).isEqualTo(4);
    for (var st : l.getSubtrees()) {
      assertThat(Evidence.bytes(st.getHash()))
          .isEqualTo(ledger.tree().subtreeHash(st.getStart(), st.getEnd()));
      assertThat(st.getSignatures()).hasSize(2);
    }

    // A GOOD answer for index 3 against that checkpoint, as the inquiry node builds it.
    long index = 3;
    byte[] entry = Evidence.bytes(ledger.entry(index).getEntry());
    List<String> proof = new ArrayList<>();
    for (byte[] h : ledger.tree().inclusionProof(index, 6)) {
      proof.add(Base64.getEncoder().encodeToString(h));
    }
    Proofs.verifyInclusion(
        index,
        6,
        Rfc9162.leafHash(entry),
        ledger.tree().inclusionProof(index, 6),
        v.checkpoint().rootHash());
    StatusLog empty = new StatusLog();
    EntryId id = EntryId.of(entry);
    Instant now = Instant.now();
    StatusAnswer a =
        new StatusAnswer(
            Hex.encode(Sha256.hash(certs.get(2))),
            StatusAnswer.statusOf(empty, id),
            ledger.origin(),
            index,
            Base64.getEncoder().encodeToString(entry),
            proof,
            c.getNote(),
            null,
            null,
            StatusAnswer.StatusProof.from(empty, id),
            Base64.getEncoder().encodeToString(certs.get(2)),
            now.toString(),
            now.plusSeconds(300).toString());
    StatusVerifier.Verified ok =
        new StatusVerifier(bundle, Duration.ofMinutes(5)).verify(a, certs.get(2), now);
    assertThat(ok.status()).isEqualTo("GOOD");
    assertThat(ok.entryHash()).isEqualTo(Rfc9162.leafHash(entry));
    assertThat(ok.event()).isNull();
    assertThat(ok.compromise()).isNull();
    // Asked by hash only, the same answer binds to the certificate it carries.
    assertThat(
            new StatusVerifier(bundle, Duration.ofMinutes(1))
                .verifyByHash(a, Sha256.hash(certs.get(2)), now)
                .status())
        .isEqualTo("GOOD");
    assertThat(SparseMerkleTree.DEPTH).isEqualTo(256);
  }
}
