package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;

/**
 * The index counts a checkpoint's cosignatures with the policy the checkpoint names: a cosigner
 * admitted at serial 2 counts for a checkpoint naming serial 2 and not for one naming serial 1; a
 * checkpoint naming a policy the chain does not hold yet waits for it (the change may be read after
 * it), and one naming a serial with another hash is refused.
 */
class LedgerIndexPolicyTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final List<String> NEW_QUORUM = List.of("operator-b", "mallory");

  private final TestLog log = new TestLog();
  private final List<byte[]> certs = new ArrayList<>();
  private final TrustPolicy p1 = TC.policy();
  private final TrustPolicy p2 = TestGovernance.adding(p1, TC.outsider());

  private LedgerEntry entry(long i) {
    return TestEntries.entry(log, certs, i);
  }

  /** A checkpoint of the whole log naming {@code serial}/{@code hash}, cosigned by {@code ids}. */
  private CosignedCheckpoint cosigned(long serial, byte[] hash, List<String> ids) {
    long size = log.tree().size();
    Checkpoint cp =
        new Checkpoint(
            log.origin(),
            size,
            log.tree().rootAt(size),
            List.of(
                log.status().commitment().extensionLine(),
                new PolicyCommitment(serial, hash).extensionLine()));
    List<NoteSigner> signers = List.of(TC.log().noteSigner());
    StringBuilder note = new StringBuilder(Notes.sign(cp.body(), signers));
    long t = Instant.now().getEpochSecond();
    for (String id : ids) {
      MemberKeys m = id.equals("mallory") ? TC.outsider() : TC.member(id);
      note.append(m.ed25519Cosigner().cosign(cp, t).line()).append('\n');
    }
    return CosignedCheckpoint.newBuilder()
        .setOrigin(log.origin())
        .setSize(size)
        .setRootHash(ByteBuffer.wrap(log.tree().rootAt(size)))
        .setPreviousSize(0)
        .setNote(note.toString())
        .setCosigners(ids)
        .setSubtrees(List.of())
        .setPublishedAt(Instant.now())
        .build();
  }

  private long heldSize(LedgerIndex index) {
    return index
        .log(log.origin())
        .map(LogState::latestCheckpoint)
        .map(CheckpointView::size)
        .orElse(0L);
  }

  @Test
  void cosignaturesCountUnderThePolicyTheCheckpointNames() throws Exception {
    for (int i = 0; i < 2; i++) {
      byte[] der =
          TestPki.vendor(
                  SignatureAlgorithm.ED25519,
                  TestConsortium.organization("vendor-a"),
                  "pol-" + i,
                  80 + i)
              .der();
      certs.add(der);
      log.add(der);
    }
    PolicyLedger policies = new PolicyLedger(p1, Signatures.defaults());
    LedgerIndex index =
        new LedgerIndex(new CheckpointVerifier(TrustBundle.fromPolicy(p1)), policies);
    for (long i = 0; i < log.tree().size(); i++) {
      index.apply(entry(i));
    }

    // Under serial 1, mallory is no cosigner: one of two.
    index.apply(cosigned(1, p1.sha256(), NEW_QUORUM));
    assertThat(index.refusedCount()).isEqualTo(1);
    assertThat(heldSize(index)).isZero();

    // Naming serial 2 before the change is read: it waits, neither refused nor held.
    index.apply(cosigned(2, p2.sha256(), NEW_QUORUM));
    assertThat(index.refusedCount()).isEqualTo(1);
    assertThat(heldSize(index)).isZero();

    PolicyChange change =
        new PolicyChange(
            2,
            p2.documentBytes(),
            p2.sha256(),
            p1.sha256(),
            log.tree().size(),
            0,
            List.of(
                TestGovernance.approve(TC.member("vendor-a"), p1, p2),
                TestGovernance.approve(TC.member("operator-b"), p1, p2)),
            System.currentTimeMillis());
    assertThat(policies.apply(Governance.toAvro(change))).isTrue();
    index.policyExtended();
    assertThat(heldSize(index))
        .as("the waiting checkpoint verifies under serial 2, mallory a cosigner there")
        .isEqualTo(log.tree().size());
    assertThat(index.refusedCount()).isEqualTo(1);

    // Serial 2 named with another hash: refused.
    index.apply(cosigned(2, p1.sha256(), NEW_QUORUM));
    assertThat(index.refusedCount()).isEqualTo(2);
  }
}
