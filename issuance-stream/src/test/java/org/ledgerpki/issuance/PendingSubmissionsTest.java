package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.lifecycle.Decisions;
import org.ledgerpki.issuance.quorum.Pending;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.store.AvroStoreSerde;

/**
 * The quorum keeps a submission and its verdicts in one {@code verdicts} record until it is
 * decided, and a submission kept in the layout written before (its own {@code submissions} record
 * beside a list of verdicts) is still decided after a restart, with both of its records removed.
 */
class PendingSubmissionsTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  @Test
  void aSubmissionDecidedAfterItsCommitLeavesItsPutAndOneTombstoneInOneChangelog() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    byte[] cert = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "pending-1").der();
    try (LedgerSerdes serdes = LedgerSerdes.inMemory();
        Harness h = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
      // The driver commits after each record: the submission, each verdict, are commits of their
      // own, as when the validators' round trip spans commits on a broker.
      Submissions.Keyed s = h.admit(cert);
      assertThat(h.decisions()).extracting(Decision::getOutcome).containsOnly(Outcome.ACCEPTED);
      Map<String, List<KeyValue<byte[], byte[]>>> logs = RestartTest.changelogs(h);
      assertThat(logs.get(IssuanceTopology.SUBMISSIONS_STORE))
          .as("the submissions changelog is no longer written")
          .isEmpty();
      List<KeyValue<byte[], byte[]>> verdicts = logs.get(IssuanceTopology.VERDICTS_STORE);
      // Submission, first verdict, then the decision's tombstone: 3 records where the two stores
      // had 4 (submission put and tombstone, verdict put and tombstone).
      assertThat(verdicts).hasSize(3);
      assertThat(verdicts.get(2).value).isNull();
      Pending.StoreSerde serde = new Pending.StoreSerde();
      Pending kept = serde.deserialize("t", verdicts.get(1).value);
      assertThat(kept.submission()).isEqualTo(s.submission());
      assertThat(kept.verdicts()).extracting(Endorsement::getValidator).containsExactly("vendor-a");
    }
  }

  @Test
  void aSubmissionKeptInTheOlderLayoutIsDecidedAfterARestartAndBothItsRecordsGo() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    byte[] cert = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "pending-2").der();
    String hash = Hex.encode(Sha256.hash(cert));
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Submissions.Keyed s = Signed.issue("vendor-a", cert);
      String id = Decisions.id(hash, "vendor-a", s.submission().getSubmissionId());
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        first.submit(s);
        first.endorse(Signed.endorse("vendor-a", s, Verdict.ENDORSE));
        assertThat(first.decisions()).isEmpty();
        saved = RestartTest.changelogs(first);
      }
      // The same state as an older version wrote it: the submission in its own store, and the
      // verdicts as a plain list.
      Pending.StoreSerde serde = new Pending.StoreSerde();
      List<KeyValue<byte[], byte[]>> records = saved.get(IssuanceTopology.VERDICTS_STORE);
      Pending kept = serde.deserialize("t", records.get(records.size() - 1).value);
      assertThat(kept.submission()).isEqualTo(s.submission());
      byte[] key = id.getBytes(StandardCharsets.UTF_8);
      Map<String, List<KeyValue<byte[], byte[]>>> older = new LinkedHashMap<>(saved);
      older.put(
          IssuanceTopology.SUBMISSIONS_STORE,
          List.of(
              KeyValue.pair(
                  key, new AvroStoreSerde<>(Submission.class).serialize("t", kept.submission()))));
      older.put(
          IssuanceTopology.VERDICTS_STORE,
          List.of(
              KeyValue.pair(
                  key,
                  Serdes.ListSerde(ArrayList.class, new AvroStoreSerde<>(Endorsement.class))
                      .serializer()
                      .serialize("t", new ArrayList<>(kept.verdicts())))));
      for (Map<String, List<KeyValue<byte[], byte[]>>> layout : List.of(saved, older)) {
        try (Harness h = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
          RestartTest.restore(h, layout);
          // A replay of the kept submission is known as such.
          h.submit(s);
          assertThat(h.counter(QuorumProcessor.SUBMISSIONS_REPLAYED)).isEqualTo(1);
          // What the restore wrote reaches the changelogs with that record's commit: not this
          // test's.
          RestartTest.changelogs(h);
          // The second verdict decides it.
          h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
          assertThat(h.decisions()).extracting(Decision::getOutcome).containsOnly(Outcome.ACCEPTED);
          assertThat(h.entries())
              .extracting(LedgerEntry::getSubmissionId)
              .filteredOn(java.util.Objects::nonNull)
              .containsExactly(s.submission().getSubmissionId());
          assertThat(h.driver.getKeyValueStore(IssuanceTopology.VERDICTS_STORE).get(id)).isNull();
          assertThat(h.driver.getKeyValueStore(IssuanceTopology.SUBMISSIONS_STORE).get(id))
              .isNull();
          Map<String, List<KeyValue<byte[], byte[]>>> after = RestartTest.changelogs(h);
          // Each store the submission was kept in gets its tombstone; no other store does.
          assertThat(after.get(IssuanceTopology.SUBMISSIONS_STORE))
              .hasSize(layout == older ? 1 : 0);
          assertThat(after.get(IssuanceTopology.VERDICTS_STORE)).hasSize(1);
        }
      }
    }
  }
}
