package org.ledgerpki.inquiry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
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
    feed.publishLandmark(1, 0, 4, LandmarkState.COSIGNED);
    feed.publishLandmark(2, 4, 7, LandmarkState.ALLOCATED);
    byte[] rejected =
        TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org mallory", "rejected").der();
    feed.publishDecision(rejected, false, ReasonCode.ORGANIZATION_MISMATCH, "O is not vendor-a's");
    byte[] acceptedOnly = TestPki.vendor(SignatureAlgorithm.ED25519, org, "accepted-only").der();
    feed.publishDecision(acceptedOnly, true, null, null);
    feed.publishGarbage(feed.topics().decisions());
    byte[] unknown = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, org, "never-submitted").der();
    describe(feed, manifest);
    manifest.put("rejected", rejected);
    manifest.put("acceptedOnly", acceptedOnly);
    manifest.put("unknown", unknown);
    manifest.put("note.single.7", feed.log().cosignedCheckpoint(7, List.of("vendor-a"), 1));
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
