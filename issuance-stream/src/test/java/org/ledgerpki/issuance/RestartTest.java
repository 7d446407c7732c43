package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.lifecycle.Decisions;
import org.ledgerpki.issuance.quorum.Pending;
import org.ledgerpki.issuance.quorum.QuorumProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.store.AvroStoreSerde;
import org.ledgerpki.streams.store.KeyValueNodeStore;

/**
 * A restart, as Kafka Streams performs it when an instance dies and another takes its tasks over:
 * the new instance has no local state and restores every store from its changelog topic before it
 * processes. The first driver's changelog records are captured and written into a second, fresh
 * driver's stores; the second then goes on, and must continue the log without a gap, without a
 * second null entry, and with the admitted certificates, the sequenced hashes and the last
 * checkpoint it inherited.
 */
class RestartTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static final String APP = "issuance-test";

  /** The serdes of each store, as {@link IssuanceTopology} builds them. */
  private static final Map<String, Serde<?>[]> STORES = stores();

  private static Map<String, Serde<?>[]> stores() {
    Map<String, Serde<?>[]> m = new LinkedHashMap<>();
    m.put(
        IssuanceTopology.SUBMISSIONS_STORE,
        new Serde<?>[] {Serdes.String(), new AvroStoreSerde<>(Submission.class)});
    m.put(
        IssuanceTopology.VERDICTS_STORE,
        new Serde<?>[] {Serdes.String(), new Pending.StoreSerde()});
    m.put(IssuanceTopology.DECIDED_STORE, new Serde<?>[] {Serdes.String(), Serdes.String()});
    m.put(IssuanceTopology.ADMITTED_STORE, new Serde<?>[] {Serdes.String(), Serdes.Boolean()});
    m.put(IssuanceTopology.OWNERS_STORE, new Serde<?>[] {Serdes.String(), Serdes.String()});
    m.put(IssuanceTopology.LIFECYCLE_STORE, new Serde<?>[] {Serdes.String(), Serdes.String()});
    m.put(
        IssuanceTopology.REQUESTS_STORE,
        new Serde<?>[] {
          Serdes.String(), new AvroStoreSerde<>(org.ledgerpki.schemas.avro.StatusEntry.class)
        });
    m.put(IssuanceTopology.STATUS_EVENTS_STORE, new Serde<?>[] {Serdes.Long(), Serdes.ByteArray()});
    m.put(IssuanceTopology.STATUS_SEQUENCED_STORE, new Serde<?>[] {Serdes.String(), Serdes.Long()});
    m.put(IssuanceTopology.ADMISSION_STORE, new Serde<?>[] {Serdes.String(), Serdes.String()});
    m.put(IssuanceTopology.LOG_STATE_STORE, new Serde<?>[] {Serdes.String(), Serdes.ByteArray()});
    m.put(IssuanceTopology.TREE_NODES_STORE, new Serde<?>[] {Serdes.Bytes(), Serdes.ByteArray()});
    m.put(IssuanceTopology.SEQUENCED_STORE, new Serde<?>[] {Serdes.String(), Serdes.Long()});
    m.put(IssuanceTopology.ENTRY_IDS_STORE, new Serde<?>[] {Serdes.String(), Serdes.ByteArray()});
    m.put(
        IssuanceTopology.CHECKPOINT_STATE_STORE,
        new Serde<?>[] {Serdes.String(), Serdes.ByteArray()});
    m.put(
        IssuanceTopology.GOVERNANCE_ACTS_STORE,
        new Serde<?>[] {
          Serdes.String(), new AvroStoreSerde<>(org.ledgerpki.schemas.avro.GovernanceAct.class)
        });
    m.put(
        IssuanceTopology.POLICY_CHANGES_STORE,
        new Serde<?>[] {
          Serdes.Long(), new AvroStoreSerde<>(org.ledgerpki.schemas.avro.PolicyChange.class)
        });
    return m;
  }

  static String changelog(String store) {
    return APP + "-" + store + "-changelog";
  }

  /** Every changelog record the harness's topology wrote, per store, in order. */
  static Map<String, List<KeyValue<byte[], byte[]>>> changelogs(Harness h) {
    Map<String, List<KeyValue<byte[], byte[]>>> out = new LinkedHashMap<>();
    for (String store : STORES.keySet()) {
      TestOutputTopic<byte[], byte[]> t =
          h.driver.createOutputTopic(
              changelog(store),
              Serdes.ByteArray().deserializer(),
              Serdes.ByteArray().deserializer());
      out.put(store, t.readKeyValuesToList());
    }
    return out;
  }

  /** Restores the stores of {@code h} from changelog records, tombstones included. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void restore(Harness h, Map<String, List<KeyValue<byte[], byte[]>>> changelogs) {
    changelogs.forEach(
        (store, records) -> {
          Serde keySerde = STORES.get(store)[0];
          Serde valueSerde = STORES.get(store)[1];
          KeyValueStore kv = h.driver.getKeyValueStore(store);
          for (KeyValue<byte[], byte[]> r : records) {
            Object key = keySerde.deserializer().deserialize(changelog(store), r.key);
            if (r.value == null) {
              kv.delete(key);
            } else {
              kv.put(key, valueSerde.deserializer().deserialize(changelog(store), r.value));
            }
          }
        });
  }

  /** A fresh certificate (ECDSA signatures differ each time: keep the DER to reuse it). */
  private static byte[] cert(int i) {
    return TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "restart-" + i).der();
  }

  @Test
  void aStoreThatMarksAdmissionInAdmittedOnlyStillRefusesASecondAcceptance() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    byte[] cert = cert(0);
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        first.admit(cert);
        saved = changelogs(first);
      }
      // The layout of a store written before owners alone marked an admitted certificate: the
      // mark in admitted (here without the owner, the strictest case).
      List<KeyValue<byte[], byte[]>> admitted = new ArrayList<>();
      for (KeyValue<byte[], byte[]> r : saved.get(IssuanceTopology.OWNERS_STORE)) {
        admitted.add(
            KeyValue.pair(
                r.key, Serdes.Boolean().serializer().serialize(changelog("admitted"), true)));
      }
      assertThat(admitted).hasSize(1);
      saved.put(IssuanceTopology.ADMITTED_STORE, admitted);
      saved.put(IssuanceTopology.OWNERS_STORE, List.of());
      try (Harness second = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        restore(second, saved);
        Submissions.Keyed again = Signed.issue("operator-b", cert);
        second.submit(again);
        second.endorse(Signed.endorse("operator-b", again, Verdict.ENDORSE));
        second.endorse(Signed.endorse("operator-c", again, Verdict.ENDORSE));
        List<Decision> decisions = second.decisions();
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(Outcome.REJECTED);
        assertThat(decisions.get(0).getReasons().get(0).getCode()).isEqualTo(ReasonCode.DUPLICATE);
        assertThat(second.entries()).isEmpty();
      }
    }
  }

  @Test
  void anAcceptedIssueIsDecidedByItsOwnerRecordAloneAndAnOlderStoreByItsDecidedRecord() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    byte[] cert = cert(20);
    byte[] hash = org.ledgerpki.core.Sha256.hash(cert);
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Submissions.Keyed accepted;
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        accepted = first.admit(cert);
        assertThat(first.decisions())
            .extracting(Decision::getOutcome)
            .containsOnly(Outcome.ACCEPTED);
        saved = changelogs(first);
      }
      String submissionId = accepted.submission().getSubmissionId();
      assertThat(saved.get(IssuanceTopology.DECIDED_STORE))
          .as("decided changelog: an accepted ISSUE is decided by its owner record")
          .isEmpty();
      assertThat(saved.get(IssuanceTopology.OWNERS_STORE))
          .singleElement()
          .extracting(r -> new String(r.value, StandardCharsets.UTF_8))
          .isEqualTo("vendor-a/" + submissionId);
      // The layout written before: the owner alone, and the acceptance in decided.
      Map<String, List<KeyValue<byte[], byte[]>>> older = new LinkedHashMap<>(saved);
      byte[] ownerKey = saved.get(IssuanceTopology.OWNERS_STORE).get(0).key;
      older.put(IssuanceTopology.OWNERS_STORE, List.of(KeyValue.pair(ownerKey, utf8("vendor-a"))));
      String id = Decisions.id(org.ledgerpki.core.Hex.encode(hash), "vendor-a", submissionId);
      older.put(IssuanceTopology.DECIDED_STORE, List.of(KeyValue.pair(utf8(id), utf8("ACCEPTED"))));
      for (Map<String, List<KeyValue<byte[], byte[]>>> layout : List.of(saved, older)) {
        try (Harness h = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
          restore(h, layout);
          // The accepted submission replayed, and a late verdict on it: known, nothing decided.
          h.submit(accepted);
          h.endorse(Signed.endorse("operator-c", accepted, Verdict.ENDORSE));
          assertThat(h.counter(QuorumProcessor.SUBMISSIONS_REPLAYED)).isEqualTo(1);
          assertThat(h.counter(QuorumProcessor.ENDORSEMENTS_LATE)).isEqualTo(1);
          assertThat(h.decisions()).isEmpty();
          assertThat(h.sequence.isEmpty()).isTrue();
          // Its owner is known: the owner's revocation is granted at once.
          Submissions.Keyed revoke = Signed.lifecycle("vendor-a", Operation.REVOKE, hash);
          h.submit(revoke);
          h.endorse(Signed.endorse("operator-b", revoke, Verdict.ENDORSE));
          h.endorse(Signed.endorse("operator-c", revoke, Verdict.ENDORSE));
          assertThat(h.decisions()).extracting(Decision::getOutcome).containsOnly(Outcome.ACCEPTED);
          assertThat(h.status.readValuesToList()).hasSize(1);
        }
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRestartedInstanceContinuesTheLogFromItsRestoredState() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    List<LedgerEntry> entries = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    Map<String, List<KeyValue<byte[], byte[]>>> saved;
    LedgerEntry lastSequenced;
    List<byte[]> certs = List.of(cert(0), cert(1), cert(2), cert(3), cert(99));
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        for (int i = 0; i < 3; i++) {
          first.admit(certs.get(i));
        }
        // One submission left half-way: one endorsement, before the crash.
        Submissions.Keyed pending = Signed.issue("vendor-a", certs.get(4));
        first.submit(pending);
        first.endorse(Signed.endorse("operator-b", pending, Verdict.ENDORSE));
        entries.addAll(first.entries());
        checkpoints.addAll(first.checkpoints.readValuesToList());
        List<LedgerEntry> sequenced = first.sequence.readValuesToList();
        lastSequenced = sequenced.get(sequenced.size() - 1);
        saved = changelogs(first);

        try (Harness second =
            new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
          restore(second, saved);
          // A replayed sequencing record from before the restart: not appended again.
          second.sequenceIn.pipeInput("1", second.bytes(second.topics.sequence(), lastSequenced));
          assertThat(second.entries.isEmpty()).isTrue();
          // The half-way submission completes with the second endorsement.
          second.endorse(Signed.endorse("operator-c", pending, Verdict.ENDORSE));
          // A certificate admitted before the restart is a duplicate after it.
          Submissions.Keyed again = Signed.issue("operator-b", certs.get(0));
          second.submit(again);
          second.endorse(Signed.endorse("operator-b", again, Verdict.ENDORSE));
          second.endorse(Signed.endorse("operator-c", again, Verdict.ENDORSE));
          second.admit(certs.get(3));
          List<Decision> decisions = second.decisions();
          assertThat(decisions)
              .extracting(Decision::getOutcome)
              .containsExactly(Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED);
          assertThat(decisions.get(1).getReasons().get(0).getCode())
              .isEqualTo(ReasonCode.DUPLICATE);
          entries.addAll(second.entries());
          checkpoints.addAll(second.checkpoints.readValuesToList());
        }
      }
    }

    assertThat(entries).extracting(LedgerEntry::getIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(entries.stream().filter(e -> e.getCertificate() == null)).hasSize(1);
    // The quiet log's first entries were published at once (ADR 0016); after that, 3 waited
    // (maxBatch)
    // across the restart, whose restored state knew the last checkpoint's size and time.
    assertThat(checkpoints).extracting(Checkpoint::getSize).containsExactly(2L, 5L);
    assertThat(checkpoints).extracting(Checkpoint::getPreviousSize).containsExactly(0L, 2L);
    MerkleTree t = new MerkleTree(new InMemoryNodeStore());
    for (LedgerEntry e : entries.subList(0, 5)) {
      t.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
    }
    assertThat(Evidence.bytes(checkpoints.get(1).getRootHash())).isEqualTo(t.root());
    // tree-nodes holds chunks of 16 nodes of a level, behind the record cache: the 7 nodes of
    // the first 4 leaves are in 3 chunks, and each chunk a commit changed reached the changelog
    // once: leaves 0 and 1 (2 chunks), leaf 2 (1), leaf 3 (3), not one record per node.
    List<KeyValue<byte[], byte[]>> nodeRecords = saved.get(IssuanceTopology.TREE_NODES_STORE);
    assertThat(Bytes.wrap(nodeRecords.get(0).key)).isEqualTo(KeyValueNodeStore.chunkKey(0, 0));
    assertThat(nodeRecords)
        .extracting(r -> Bytes.wrap(r.key))
        .containsOnly(
            KeyValueNodeStore.chunkKey(0, 0),
            KeyValueNodeStore.chunkKey(1, 0),
            KeyValueNodeStore.chunkKey(2, 0))
        .as("tree-nodes changelog records: one per changed chunk per commit")
        .hasSize(6);
    // The record cache in front of log-state (the driver commits after each input record): the
    // null entry and the first certificate, appended while one sequencing record was processed,
    // reached the changelog as one record, so the second instance above was restored from a
    // changelog with fewer records than writes and still continued at index 4.
    // An accepted certificate is marked by its owner alone; the duplicate after the restart
    // above was refused from the restored owners.
    assertThat(saved.get(IssuanceTopology.ADMITTED_STORE)).as("admitted changelog").isEmpty();
    assertThat(saved.get(IssuanceTopology.OWNERS_STORE)).hasSize(3);
    // Integrate keeps a sequenced certificate in one record (leaf, key, index, owner), and in
    // admission only its leaf: the replay and the duplicate above were known from them.
    assertThat(saved.get(IssuanceTopology.ENTRY_IDS_STORE)).hasSize(3);
    assertThat(saved.get(IssuanceTopology.SEQUENCED_STORE)).as("sequenced changelog").isEmpty();
    assertThat(saved.get(IssuanceTopology.ADMISSION_STORE))
        .as("admission changelog: a leaf per entry (the null entry has none)")
        .hasSize(3);
    assertThat(saved.get(IssuanceTopology.LOG_STATE_STORE))
        .as("log-state changelog records: one per sequencing record (3), not per entry (4)")
        .hasSize(3);
  }

  @Test
  void aRestartedInstanceContinuesTheStatusLogAndTheWaitingRequests() throws Exception {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 1));
    byte[] c0 = cert(10);
    byte[] c1 = cert(11);
    byte[] h0 = org.ledgerpki.core.Sha256.hash(c0);
    byte[] h1 = org.ledgerpki.core.Sha256.hash(c1);
    List<org.ledgerpki.schemas.avro.StatusEntry> status = new ArrayList<>();
    Checkpoint last;
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        first.admit(c0);
        first.admit(c1);
        Submissions.Keyed revoke =
            Signed.lifecycle("vendor-a", org.ledgerpki.schemas.avro.Operation.REVOKE, h0);
        first.submit(revoke);
        first.endorse(Signed.endorse("operator-b", revoke, Verdict.ENDORSE));
        first.endorse(Signed.endorse("operator-c", revoke, Verdict.ENDORSE));
        // A non-owner's suspension, waiting for a second requester when the instance dies.
        Submissions.Keyed byB =
            Signed.lifecycle("operator-b", org.ledgerpki.schemas.avro.Operation.SUSPEND, h1);
        first.submit(byB);
        first.endorse(Signed.endorse("operator-b", byB, Verdict.ENDORSE));
        first.endorse(Signed.endorse("operator-c", byB, Verdict.ENDORSE));
        status.addAll(first.status.readValuesToList());
        saved = changelogs(first);
      }
      try (Harness second = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        restore(second, saved);
        Submissions.Keyed byC =
            Signed.lifecycle("operator-c", org.ledgerpki.schemas.avro.Operation.SUSPEND, h1);
        second.submit(byC);
        second.endorse(Signed.endorse("operator-b", byC, Verdict.ENDORSE));
        second.endorse(Signed.endorse("operator-c", byC, Verdict.ENDORSE));
        Submissions.Keyed resume =
            Signed.lifecycle("vendor-a", org.ledgerpki.schemas.avro.Operation.RESUME, h0);
        second.submit(resume);
        second.endorse(Signed.endorse("operator-b", resume, Verdict.ENDORSE));
        second.endorse(Signed.endorse("operator-c", resume, Verdict.ENDORSE));
        List<Decision> d = second.decisions();
        assertThat(d)
            .extracting(Decision::getOutcome)
            .containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.REJECTED);
        assertThat(d.get(2).getReasons().get(0).getCode())
            .as("the revocation survived the restart")
            .isEqualTo(ReasonCode.INVALID_TRANSITION);
        status.addAll(second.status.readValuesToList());
        List<Checkpoint> cps = second.checkpoints.readValuesToList();
        last = cps.get(cps.size() - 1);
      }
    }
    assertThat(status)
        .extracting(org.ledgerpki.schemas.avro.StatusEntry::getSequence)
        .containsExactly(0L, 1L);
    org.ledgerpki.core.status.StatusLog mine = new org.ledgerpki.core.status.StatusLog();
    for (var e : status) {
      mine.apply(org.ledgerpki.core.status.StatusEvent.decode(Evidence.bytes(e.getEvent())));
    }
    byte[] e1 =
        org.ledgerpki.core.status.StatusEvent.decode(Evidence.bytes(status.get(1).getEvent()))
            .entryHash();
    assertThat(Evidence.bytes(status.get(1).getCertificateSha256())).isEqualTo(h1);
    assertThat(mine.state(e1)).isEqualTo(org.ledgerpki.core.status.CertificateState.SUSPENDED);
    assertThat(last.getNote()).contains(mine.commitment().extensionLine() + "\n");
  }

  /**
   * A store written before integrate kept a sequenced certificate in one record: the 64-octet
   * (leaf, key) value in entry-ids, the index in sequenced, the key and owner under {@code key/} in
   * admission. Restored from such a changelog, an instance still knows a replay, still sequences a
   * revocation of a certificate admitted before, and still blocks its compromised key.
   */
  @Test
  void aStoreWrittenBeforeTheCombinedRecordStillKnowsReplaysAndBlocksRevokedKeys() {
    TrustPolicy policy = TestPolicies.check(TestPolicies.checkpoints(TestPolicies.base(), "1h", 3));
    java.security.KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ED25519);
    byte[] a =
        TestPki.issue(
                TestPki.builder(kp, VENDOR_O, "old-layout").serial(java.math.BigInteger.ONE), kp)
            .der();
    byte[] reused =
        TestPki.issue(
                TestPki.builder(kp, VENDOR_O, "old-layout-again").serial(java.math.BigInteger.TWO),
                kp)
            .der();
    try (LedgerSerdes serdes = LedgerSerdes.inMemory()) {
      Map<String, List<KeyValue<byte[], byte[]>>> saved;
      LedgerEntry sequencedA;
      try (Harness first = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        first.admit(a);
        first.admit(cert(1));
        sequencedA = first.sequence.readValuesToList().get(0);
        saved = changelogs(first);
      }
      saved.putAll(asBeforeTheCombinedRecord(saved));
      try (Harness second = new Harness(policy, TestConsortium.get().log(), serdes, null, false)) {
        restore(second, saved);
        second.sequenceIn.pipeInput("1", second.bytes(second.topics.sequence(), sequencedA));
        assertThat(second.entries()).as("a replay of a's sequencing record").isEmpty();
        assertThat(
                second.counter(
                    org.ledgerpki.issuance.integrate.IntegrateProcessor.SEQUENCE_REPLAYED))
            .isEqualTo(1);
        Submissions.Keyed revoke =
            Signed.lifecycle(
                "vendor-a",
                org.ledgerpki.schemas.avro.Operation.REVOKE,
                org.ledgerpki.core.Sha256.hash(a));
        second.submit(revoke);
        second.endorse(Signed.endorse("operator-b", revoke, Verdict.ENDORSE));
        second.endorse(Signed.endorse("operator-c", revoke, Verdict.ENDORSE));
        assertThat(second.status.readValuesToList()).as("a's revocation sequenced").hasSize(1);
        second.decisions();
        second.admit(reused);
        List<Decision> d = second.decisions();
        assertThat(d).extracting(Decision::getOutcome).containsExactly(Outcome.REJECTED);
        assertThat(d.get(0).getReasons().get(0).getCode()).isEqualTo(ReasonCode.KEY_COMPROMISED);
        assertThat(second.entries()).isEmpty();
      }
    }
  }

  /**
   * The entry-ids, sequenced and admission changelogs of {@code saved} as integrate wrote them
   * before the combined record: each entry-ids value cut to its 64-octet (leaf, key) prefix, its
   * index in sequenced, its key and owner under {@code key/}.
   */
  private static Map<String, List<KeyValue<byte[], byte[]>>> asBeforeTheCombinedRecord(
      Map<String, List<KeyValue<byte[], byte[]>>> saved) {
    List<KeyValue<byte[], byte[]>> ids = new ArrayList<>();
    List<KeyValue<byte[], byte[]>> sequenced = new ArrayList<>();
    List<KeyValue<byte[], byte[]>> admission =
        new ArrayList<>(saved.get(IssuanceTopology.ADMISSION_STORE));
    for (KeyValue<byte[], byte[]> r : saved.get(IssuanceTopology.ENTRY_IDS_STORE)) {
      java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(r.value);
      assertThat(r.value.length).as("a combined record").isGreaterThan(72);
      ids.add(KeyValue.pair(r.key, java.util.Arrays.copyOf(r.value, 64)));
      sequenced.add(
          KeyValue.pair(
              r.key, Serdes.Long().serializer().serialize(changelog("sequenced"), v.getLong(64))));
      String certHash = Serdes.String().deserializer().deserialize(changelog("entry-ids"), r.key);
      String value =
          org.ledgerpki.core.Hex.encode(java.util.Arrays.copyOfRange(r.value, 32, 64))
              + " "
              + new String(
                  r.value, 72, r.value.length - 72, java.nio.charset.StandardCharsets.UTF_8);
      admission.add(
          KeyValue.pair(
              Serdes.String().serializer().serialize(changelog("admission"), "key/" + certHash),
              Serdes.String().serializer().serialize(changelog("admission"), value)));
    }
    return Map.of(
        IssuanceTopology.ENTRY_IDS_STORE, ids,
        IssuanceTopology.SEQUENCED_STORE, sequenced,
        IssuanceTopology.ADMISSION_STORE, admission);
  }
}
