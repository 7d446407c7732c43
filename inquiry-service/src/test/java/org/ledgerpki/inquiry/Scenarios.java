package org.ledgerpki.inquiry;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.ReasonCode;

/** Ledgers for the tests, written through {@link LedgerFeed}. */
public final class Scenarios {
  /** The algorithms of the GOOD certificates of {@link #api}, at indices 1.. in this order. */
  public static final List<SignatureAlgorithm> GOOD_ALGORITHMS =
      List.of(
          SignatureAlgorithm.ECDSA_P256,
          SignatureAlgorithm.ED25519,
          SignatureAlgorithm.RSA,
          SignatureAlgorithm.ML_DSA_44,
          SignatureAlgorithm.ECDSA_P384,
          SignatureAlgorithm.ML_DSA_65);

  /** Index of the first certificate no cosigned checkpoint covers. */
  public static final long FIRST_PENDING = 7;

  /** The log size. */
  public static final long SIZE = 9;

  private Scenarios() {}

  /**
   * The main ledger: null entry, six GOOD certificates of different algorithms (indices 1-6,
   * covered by cosigned checkpoints of sizes 4 and 7), two sequenced but not yet covered (7, 8), a
   * rejected certificate, an accepted but unsequenced one, a landmark at 4 (COSIGNED) and one at 7
   * (only ALLOCATED), and one undecodable record. {@code manifest} receives what the tests need to
   * know, in JDK types only (see {@link InquiryTestResource}).
   */
  public static void api(LedgerFeed feed, Map<String, Object> manifest) {
    String org = TestConsortium.organization("vendor-a");
    for (SignatureAlgorithm alg : GOOD_ALGORITHMS) {
      feed.add(TestPki.vendor(alg, org, "nf-" + alg.name().toLowerCase()).der());
    }
    feed.publishEntries();
    feed.publishCheckpoint(0, 4, LedgerFeed.QUORUM);
    feed.publishCheckpoint(4, 7, List.of("vendor-a", "operator-b", "operator-c"));
    feed.add(TestPki.vendor(SignatureAlgorithm.ECDSA_P256, org, "pending-1").der());
    feed.add(TestPki.vendor(SignatureAlgorithm.ED25519, org, "pending-2").der());
    feed.publishEntries();
    feed.publishLandmark(1, 0, 4, LandmarkState.ALLOCATED);
    // Forged, before the real one: landmark 1 at size 2, its subtree's hash as the entries give
    // it, signed by no cosigner and by one (the policy requires two). The index keeps the first
    // landmark of a number, so either one, held, would be served instead of the real landmark.
    feed.publishLandmark(1, 0, 2, LandmarkState.COSIGNED, List.of());
    feed.publishLandmark(1, 0, 2, LandmarkState.COSIGNED, List.of("operator-b"));
    feed.publishLandmark(1, 0, 4, LandmarkState.COSIGNED);
    feed.publishLandmark(2, 4, 7, LandmarkState.ALLOCATED);
    byte[] rejected =
        TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org mallory", "rejected").der();
    byte[] unknown = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, org, "never-submitted").der();
    forgeDecisions(feed, rejected, unknown);
    feed.publishDecision(rejected, false, ReasonCode.ORGANIZATION_MISMATCH, "O is not vendor-a's");
    byte[] acceptedOnly = TestPki.vendor(SignatureAlgorithm.ED25519, org, "accepted-only").der();
    feed.publishDecision(acceptedOnly, true, null, null);
    feed.publishGarbage(feed.topics().decisions());
    describe(feed, manifest);
    manifest.put("rejected", rejected);
    manifest.put("acceptedOnly", acceptedOnly);
    manifest.put("unknown", unknown);
    manifest.put("note.single.7", feed.log().cosignedCheckpoint(7, List.of("vendor-a"), 1));
  }

  /** Landmarks {@link #api} forges, refused for want of a quorum of cosignatures. */
  public static final int FORGED_LANDMARKS = 2;

  /** Landmarks {@link #api} publishes only ALLOCATED, which the index ignores. */
  public static final int ALLOCATED_LANDMARKS = 2;

  /** Decisions {@link #api} forges, refused on arrival for want of the log's signature. */
  public static final int FORGED_DECISIONS = 3;

  /**
   * Forges, before the log's real decisions, what a writer without the log's key could publish to
   * {@code ledger.decisions}: an acceptance of the {@code rejected} certificate, unsigned and
   * signed with another key (an acceptance is never undone by a rejection, so either would turn the
   * real REJECTED into PENDING for good), and the log's own signed rejection of it with the hash of
   * a certificate never submitted (which would make that one REJECTED instead of UNKNOWN).
   */
  private static void forgeDecisions(LedgerFeed feed, byte[] rejected, byte[] unknown) {
    feed.publishDecision(LogSigning.unsigned(feed.decision(rejected, true, null, null)));
    feed.publishDecision(LogSigning.signedByAnother(feed.decision(rejected, true, null, null)));
    Decision moved =
        feed.decision(rejected, false, ReasonCode.ORGANIZATION_MISMATCH, "O is not vendor-a's");
    moved.setCertificateSha256(ByteBuffer.wrap(Sha256.hash(unknown)));
    feed.publishDecision(moved);
  }

  /**
   * Records of each kind that {@link #flood} forges with the log's key, and a log the policy does
   * not name.
   */
  public static final int FORGED = 1_000;

  /** Records of each kind that {@link #flood} forges without any key, before the signed ones. */
  public static final int UNSIGNED = 300;

  public static final int FOREIGN = 50;
  public static final String FOREIGN_ORIGIN = "oid/1.3.6.1.4.1.32473.99";

  /**
   * The {@link #api} ledger, then forgeries: {@value #FOREIGN} unsigned entries of a log the policy
   * does not name; what a writer without keys (a mirror's cluster) can add, an unsigned entry at
   * the log's next index for a certificate nobody admitted ({@code "mallory"} in the manifest),
   * {@value #UNSIGNED} unsigned entries continuing the log after its last real entry and {@value
   * #UNSIGNED} unsigned status events from the first sequence number on, each revoking the
   * certificate at index 1; and after them what a dishonest sequencer (or a thief of the log's key)
   * can add, the same with the log's signature, {@value #FORGED} of each kind. {@link
   * #floodCheckpoint} then covers the two real entries no checkpoint covered.
   */
  public static void flood(LedgerFeed feed, Map<String, Object> manifest) {
    api(feed, manifest);
    feed.forgeEntries(FOREIGN_ORIGIN, 0, FOREIGN, false);
    byte[] mallory =
        TestPki.vendor(SignatureAlgorithm.ED25519, "Org mallory", "flood-forged").der();
    feed.forgeEntry(feed.size(), mallory);
    manifest.put("mallory", mallory);
    feed.forgeEntries(feed.log().origin(), feed.size(), UNSIGNED, false);
    feed.forgeRevocations(1, 0, UNSIGNED, false);
    feed.forgeEntries(feed.log().origin(), feed.size(), FORGED, true);
    feed.forgeRevocations(1, 0, FORGED, true);
  }

  /** The cosigned checkpoint of the {@link #api} log at its full size, {@link #SIZE}. */
  public static void floodCheckpoint(LedgerFeed feed) {
    feed.publishCheckpoint(FIRST_PENDING, SIZE, LedgerFeed.QUORUM);
  }

  /**
   * A policy chain on {@code ledger.policy}, before the node starts: serial 2 admits {@code
   * mallory} (approved by vendor-a and operator-b, the genesis quorum of 2 of 3), serial 3 raises
   * {@code checkpoints.maxAge} (approved by three of the four members), and between them three
   * forgeries the node must refuse: a serial 2 approved by vendor-a and the member it admits, a
   * serial 3 approved by vendor-a alone, and serial 3's approvals on a tampered document. The
   * manifest gets {@code policy.sha.<serial>} (hex) and {@code policy.forgeries} (their count).
   *
   * @param genesisBytes the exact bytes of the policy file the node is configured with
   */
  public static void policy(LedgerFeed feed, byte[] genesisBytes, Map<String, Object> manifest) {
    TestConsortium tc = TestConsortium.get();
    TrustPolicy p1 = TestGovernance.parse(genesisBytes);
    MemberKeys mallory = tc.outsider();
    TrustPolicy p2 = TestGovernance.adding(p1, mallory);
    TrustPolicy p3 =
        TestGovernance.next(
            p2,
            d ->
                d.withCheckpoints(
                    new PolicyDocument.Checkpoints(
                        d.checkpoints().interval(), d.checkpoints().maxBatch(), null, "5m")));
    MemberKeys a = tc.member("vendor-a");
    MemberKeys b = tc.member("operator-b");
    MemberKeys c = tc.member("operator-c");
    List<Approval> by2 =
        List.of(TestGovernance.approve(a, p1, p2), TestGovernance.approve(b, p1, p2));
    List<Approval> by3 =
        List.of(
            TestGovernance.approve(a, p2, p3),
            TestGovernance.approve(b, p2, p3),
            TestGovernance.approve(c, p2, p3));
    // Forged: the admitted member approves its own admission (it counts zero).
    feed.publishPolicyChange(
        change(
            p1,
            p2,
            List.of(TestGovernance.approve(a, p1, p2), TestGovernance.approve(mallory, p1, p2)),
            5,
            0));
    feed.publishPolicyChange(change(p1, p2, by2, 5, 0));
    // Forged: one approval where p2 needs three of its four members.
    feed.publishPolicyChange(change(p2, p3, List.of(by3.get(0)), 9, 1));
    // Forged: p3's approvals, on a document that is not p3's (its hash is p3's).
    byte[] tampered = p3.documentBytes();
    tampered[tampered.length - 2] ^= 1;
    feed.publishPolicyChange(
        new PolicyChange(
            p3.serial(),
            tampered,
            p3.sha256(),
            p2.sha256(),
            9,
            1,
            by3,
            System.currentTimeMillis()));
    feed.publishPolicyChange(change(p2, p3, by3, 9, 1));
    manifest.put("policy.sha.1", Hex.encode(p1.sha256()));
    manifest.put("policy.sha.2", Hex.encode(p2.sha256()));
    manifest.put("policy.sha.3", Hex.encode(p3.sha256()));
    manifest.put("policy.forgeries", 3L);
  }

  private static PolicyChange change(
      TrustPolicy from, TrustPolicy to, List<Approval> approvals, long index, long status) {
    return new PolicyChange(
        to.serial(),
        to.documentBytes(),
        to.sha256(),
        from.sha256(),
        index,
        status,
        approvals,
        System.currentTimeMillis());
  }

  /** Puts the log's certificates, entries and roots into {@code manifest}. */
  public static void describe(LedgerFeed feed, Map<String, Object> manifest) {
    manifest.put("prefix", feed.prefix());
    manifest.put("origin", feed.log().origin());
    manifest.put("size", feed.size());
    for (long i = 1; i < feed.size(); i++) {
      manifest.put("cert." + i, feed.certificate(i));
      manifest.put("entry." + i, feed.entryBytes(i));
    }
    for (long n = 1; n <= feed.size(); n++) {
      manifest.put("root." + n, feed.log().tree().rootAt(n));
    }
  }

  /** The GOOD certificates' indices. */
  public static List<Long> goodIndices() {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i < FIRST_PENDING; i++) {
      out.add(i);
    }
    return out;
  }
}
