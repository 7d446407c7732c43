package org.ledgerpki.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.CosignatureKind;

/**
 * Cosigners and the aggregator under governance (docs/governance.md): a checkpoint naming a policy
 * not yet verified waits, one naming another hash is refused {@code policy-unproven}, entries are
 * checked with the policy in force at their index, and cosignatures are counted with the policy the
 * checkpoint names.
 */
class CosignerGovernanceTest {
  private static final long T0 = 1_700_000_000_000L;
  private final TrustPolicy genesis = TestLedger.TC.policy();
  @TempDir Path stateDir;
  private CosignHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static MemberKeys member(String id) {
    return TestLedger.TC.member(id);
  }

  /** Serial 2 of {@code genesis} with {@code edit}, approved by vendor-a and operator-b. */
  private PolicyChange change(TrustPolicy next, long effectiveIndex) {
    return new PolicyChange(
        next.serial(),
        next.documentBytes(),
        next.sha256(),
        genesis.sha256(),
        effectiveIndex,
        0,
        List.of(
            TestGovernance.approve(member("vendor-a"), genesis, next),
            TestGovernance.approve(member("operator-b"), genesis, next)),
        T0);
  }

  private void apply(PolicyChange c) throws Exception {
    h.holder.advance(PolicyChain.verify(genesis, List.of(c), Signatures.defaults()));
  }

  private long checkpointCosignatures(CosignHarness.Cosigner c) {
    return c.cosignatures.readValuesToList().stream()
        .filter(x -> x.getKind() == CosignatureKind.CHECKPOINT)
        .count();
  }

  @Test
  void aCheckpointNamingAnUnknownPolicyWaitsAndAnotherHashIsRefused() throws Exception {
    h = new CosignHarness(genesis, stateDir, List.of(member("operator-b")));
    CosignHarness.Cosigner b = h.cosigner("operator-b");
    TestLedger ledger = new TestLedger();
    ledger.add(3);
    h.entries(ledger.entries());
    TrustPolicy next = TestGovernance.adding(genesis, TestLedger.TC.outsider());
    ledger.policyLine = PolicyCommitment.of(next).extensionLine();
    b.checkpoint(ledger.checkpoint(T0));
    assertThat(checkpointCosignatures(b)).as("serial 2 is not verified yet: parked").isZero();
    assertThat(b.metric("refused-checkpoints-total")).isZero();
    b.driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(checkpointCosignatures(b)).as("still parked").isZero();

    apply(change(next, 4));
    b.driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(checkpointCosignatures(b))
        .as("verified now: cosigned out of the parking lot")
        .isOne();

    // A checkpoint naming serial 2 with another hash: refused with the reason.
    ledger.add(1);
    h.entries(ledger.entries().subList(4, 5));
    ledger.policyLine = new PolicyCommitment(2, genesis.sha256()).extensionLine();
    b.checkpoint(ledger.checkpoint(T0 + 1000));
    assertThat(b.metric("refused-checkpoints-total", "reason", "policy-unproven")).isEqualTo(1);
    assertThat(checkpointCosignatures(b)).isZero();
    // And one naming no policy at all.
    ledger.add(1);
    h.entries(ledger.entries().subList(5, 6));
    ledger.policyLine = null;
    Checkpoint none = ledger.checkpoint(T0 + 2000);
    assertThat(none.getNote()).doesNotContain("ledger-pki-policy");
    b.checkpoint(none);
    assertThat(b.metric("refused-checkpoints-total", "reason", "policy-unproven")).isEqualTo(2);
  }

  @Test
  void entriesAreCheckedWithThePolicyInForceAtTheirIndex() throws Exception {
    h = new CosignHarness(genesis, stateDir, List.of(member("operator-b")));
    CosignHarness.Cosigner b = h.cosigner("operator-b");
    KeyPair rotated = Keys.generate(SignatureAlgorithm.ED25519);
    MemberKeys c = member("operator-c");
    MemberKeys cNew = c.withEndorsement(rotated);
    TrustPolicy next = TestGovernance.rotatingEndorsementKey(genesis, "operator-c", rotated);
    TestLedger ledger = new TestLedger();
    // Index 1 with the old key, before the switch at index 2.
    byte[] c1 = ledger.newCertificate();
    ledger.add(
        c1,
        List.of(
            TestLedger.endorsement(c1, "vendor-a", member("vendor-a")),
            TestLedger.endorsement(c1, "operator-c", c)));
    apply(change(next, 2));
    // Index 2 with the new key: in force from 2.
    byte[] c2 = ledger.newCertificate();
    ledger.add(
        c2,
        List.of(
            TestLedger.endorsement(c2, "vendor-a", member("vendor-a")),
            TestLedger.endorsement(c2, "operator-c", cNew)));
    h.entries(ledger.entries());
    ledger.policyLine = PolicyCommitment.of(next).extensionLine();
    b.checkpoint(ledger.checkpoint(T0));
    assertThat(b.metric("tainted-entries-total")).isZero();
    assertThat(checkpointCosignatures(b)).isOne();

    // Index 3 with the old key, after the switch: tainted, and no checkpoint over it is cosigned.
    byte[] c3 = ledger.newCertificate();
    ledger.add(
        c3,
        List.of(
            TestLedger.endorsement(c3, "vendor-a", member("vendor-a")),
            TestLedger.endorsement(c3, "operator-c", c)));
    h.entries(ledger.entries().subList(3, 4));
    assertThat(b.metric("tainted-entries-total", "reason", "no-quorum")).isEqualTo(1);
    b.checkpoint(ledger.checkpoint(T0 + 1000));
    assertThat(b.metric("refused-checkpoints-total", "reason", "tainted")).isEqualTo(1);
  }

  @Test
  void theAggregatorCountsCosignaturesWithThePolicyTheCheckpointNames() throws Exception {
    h = new CosignHarness(genesis, stateDir, List.of(member("operator-b"), member("operator-c")));
    TrustPolicy m3 =
        TestGovernance.next(genesis, d -> d.withQuorum(new PolicyDocument.Quorum(2, 3)));
    TestLedger ledger = new TestLedger();
    ledger.add(2);
    h.entries(ledger.entries());
    h.checkpoint(ledger.checkpoint(T0));
    h.relay();
    assertThat(h.cosigned).as("serial 1: m = 2 of the two cosigners").hasSize(1);

    apply(change(m3, 3));
    ledger.add(1);
    h.entries(ledger.entries().subList(3, 4));
    ledger.policyLine = PolicyCommitment.of(m3).extensionLine();
    h.checkpoint(ledger.checkpoint(T0 + 1000));
    h.relay();
    assertThat(h.cosigner("operator-b").published.stream().filter(x -> x.getEnd() == 4))
        .isNotEmpty();
    assertThat(h.cosigned).as("serial 2 needs m = 3: two cosignatures do not publish").hasSize(1);
  }
}
