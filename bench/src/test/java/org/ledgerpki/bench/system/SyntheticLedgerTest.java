package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.Proofs;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.CosignedSubtree;
import org.ledgerpki.core.mtc.MtcProof;
import org.ledgerpki.core.mtc.MtcVerificationException;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.QuorumCosignerPolicy;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;

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

    // Every entry carries the log's signature, which an inquiry node checks with the policy's log
    // key before it holds the entry (ADR 0012); another log's key does not verify it.
    var otherLog = LogKeys.generate(tc.log().caId(), tc.log().number()).ed25519().getPublic();
    for (long i = 0; i < ledger.size(); i++) {
      LedgerEntry e = ledger.entry(i);
      assertThat(LogRecords.problem(e, tc.policy().log().ed25519())).as("entry %d", i).isNull();
      assertThat(LogRecords.problem(e, otherLog))
          .as("entry %d under another key", i)
          .contains("does not verify");
    }

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
    // A relying party's cosigner policy (the trust bundle's ML-DSA-44 subtree keys and quorum)
    // accepts each landmark subtree, and refuses it once a signature or the hash is altered.
    QuorumCosignerPolicy quorum = new QuorumCosignerPolicy(bundle);
    String logId = tc.log().caId() + ".0." + tc.log().number();
    for (var st : l.getSubtrees()) {
      byte[] hash = Evidence.bytes(st.getHash());
      assertThat(hash).isEqualTo(ledger.tree().subtreeHash(st.getStart(), st.getEnd()));
      List<MtcProof.SubtreeSignature> sigs = new ArrayList<>();
      for (var g : st.getSignatures()) {
        sigs.add(MtcProof.SubtreeSignature.of(g.getCosignerId(), Evidence.bytes(g.getSignature())));
      }
      CosignedSubtree subtree = new CosignedSubtree(logId, st.getStart(), st.getEnd(), hash);
      assertThat(subtree.logOrigin()).isEqualTo(ledger.origin());
      quorum.check(subtree, sigs);

      List<MtcProof.SubtreeSignature> oneBroken = new ArrayList<>(sigs);
      byte[] flipped = sigs.get(1).signature();
      flipped[flipped.length / 2] ^= 1;
      oneBroken.set(1, new MtcProof.SubtreeSignature(sigs.get(1).cosignerId(), flipped));
      assertThatThrownBy(() -> quorum.check(subtree, oneBroken))
          .isInstanceOf(MtcVerificationException.class)
          .hasMessageContaining("1 valid cosignature(s)")
          .hasMessageContaining("the policy requires 2");
      byte[] otherHash = hash.clone();
      otherHash[0] ^= 1;
      assertThatThrownBy(
              () ->
                  quorum.check(
                      new CosignedSubtree(logId, st.getStart(), st.getEnd(), otherHash), sigs))
          .isInstanceOf(MtcVerificationException.class)
          .hasMessageContaining("0 valid cosignature(s)");
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

    // The same answer does not vouch for another certificate.
    assertThatThrownBy(
            () -> new StatusVerifier(bundle, Duration.ofMinutes(5)).verify(a, certs.get(1), now))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is not the MTC log entry of this certificate");
  }
}
