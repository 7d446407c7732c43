package org.ledgerpki.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum;
import org.ledgerpki.core.testkit.TestConsortium;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the issuance stream's re-check of each record of {@code ledger.sequence} costs (integrate's
 * {@code PolicyRecheck}, on every record since the tenth round of issue 13): the quorum rule over
 * the entry's evidence, three validators' ENDORSE verdicts, each in a batch of 64 signed with
 * Ed25519. {@link #recheck} is integrate's case: the quorum verified the same batch signatures
 * moments before and the shared {@link BatchVerifier} remembers them, so each verdict costs its
 * statement's encoding, an inclusion proof and a cache lookup. {@link #recheckUncached} is what the
 * re-check would cost if the cache had lost them (three signature verifications).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QuorumRecheckBench {
  private static final int BATCH = 64;

  private TrustPolicy policy;
  private EndorsementQuorum.Subject subject;
  private final List<EndorsementStatement> statements = new ArrayList<>();
  private final List<BatchEvidence> evidence = new ArrayList<>();
  private BatchVerifier warm;

  @Setup
  public void setUp() {
    TestConsortium tc = TestConsortium.get();
    policy = tc.policy();
    byte[] cert = Sha256.hash(new byte[] {42});
    String id = "00000000-0000-4000-8000-000000000001";
    subject = new EndorsementQuorum.Subject(id, "ISSUE", "vendor-a", cert);
    for (String validator : TestConsortium.IDS) {
      MemberKeys keys = tc.member(validator);
      List<byte[]> batch = new ArrayList<>();
      EndorsementStatement ours = null;
      for (int i = 0; i < BATCH; i++) {
        EndorsementStatement s =
            new EndorsementStatement(
                i == BATCH / 2 ? id : "other-" + i,
                "ISSUE",
                "vendor-a",
                i == BATCH / 2 ? cert : Sha256.hash(new byte[] {(byte) i}),
                validator,
                "ENDORSE",
                List.of(),
                1_767_225_600_000L);
        batch.add(s.encode());
        if (i == BATCH / 2) {
          ours = s;
        }
      }
      BatchSigner signer =
          new BatchSigner(
              validator, keys.endorsement().getPrivate(), keys.endorsement().getPublic());
      statements.add(ours);
      evidence.add(signer.sign(EndorsementStatement.KIND, batch).get(BATCH / 2));
    }
    warm = new BatchVerifier();
    if (decide(warm) != EndorsementQuorum.Standing.MET) {
      throw new IllegalStateException("the evidence is no quorum");
    }
  }

  private EndorsementQuorum.Standing decide(BatchVerifier verifier) {
    List<EndorsementQuorum.Verdict<Object>> verdicts = new ArrayList<>(statements.size());
    for (int i = 0; i < statements.size(); i++) {
      verdicts.add(
          EndorsementQuorum.Verdict.check(
              policy, verifier, statements.get(i), evidence.get(i), null));
    }
    return EndorsementQuorum.decide(policy, subject, verdicts).standing();
  }

  @Benchmark
  public EndorsementQuorum.Standing recheck() {
    return decide(warm);
  }

  @Benchmark
  public EndorsementQuorum.Standing recheckUncached() {
    return decide(new BatchVerifier(16));
  }
}
