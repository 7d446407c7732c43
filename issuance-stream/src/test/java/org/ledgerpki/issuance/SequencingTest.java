package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.issuance.integrate.IntegrateProcessor;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Verdict;
import org.ledgerpki.streams.store.KeyValueNodeStore;

class SequencingTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  static byte[] mtcEntry(byte[] der) throws Exception {
    return TbsCertificateLogEntry.fromSubmittedCertificate(der, TestConsortium.CA_ID)
        .toMtcLogEntry(List.of())
        .encode();
  }

  /** A certificate of each algorithm, the RSA and ML-DSA ones included. */
  static List<byte[]> certificates(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SignatureAlgorithm alg = TestPki.ALL_ALGORITHMS.get(i % TestPki.ALL_ALGORITHMS.size());
      out.add(TestPki.vendor(alg, VENDOR_O, "nf-" + i).der());
    }
    return out;
  }

  @Test
  void indicesStartWithTheNullEntryAndAreContiguous() throws Exception {
    h = new Harness();
    List<byte[]> certs = certificates(9);
    List<Submissions.Keyed> admitted = new ArrayList<>();
    for (byte[] der : certs) {
      admitted.add(h.admit(der));
    }
    List<LedgerEntry> entries = h.entries();
    assertThat(entries).hasSize(certs.size() + 1);
    assertThat(entries)
        .extracting(LedgerEntry::getIndex)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

    LedgerEntry nul = entries.get(0);
    assertThat(Evidence.bytes(nul.getEntry())).isEqualTo(MtcLogEntry.nullEntry().encode());
    assertThat(nul.getCertificate()).isNull();
    assertThat(nul.getCertificateSha256()).isNull();
    assertThat(nul.getEvidence()).isEmpty();
    // Every entry carries the log's signature (ADR 0012), by the key the policy names.
    for (LedgerEntry e : entries) {
      assertThat(LogRecords.problem(e, h.policy.log().ed25519()))
          .as("entry %d", e.getIndex())
          .isNull();
    }

    MerkleTree independent = new MerkleTree(new InMemoryNodeStore());
    independent.append(Rfc9162.leafHash(MtcLogEntry.nullEntry().encode()));
    for (int i = 0; i < certs.size(); i++) {
      LedgerEntry e = entries.get(i + 1);
      byte[] der = certs.get(i);
      assertThat(e.getOrigin()).isEqualTo(h.policy.log().origin());
      assertThat(e.getLogNumber()).isEqualTo(1);
      assertThat(Evidence.bytes(e.getEntry())).isEqualTo(mtcEntry(der));
      assertThat(Evidence.bytes(e.getCertificate())).isEqualTo(der);
      assertThat(Hex.encode(Evidence.bytes(e.getCertificateSha256())))
          .isEqualTo(admitted.get(i).key());
      assertThat(e.getSubmissionId()).isEqualTo(admitted.get(i).submission().getSubmissionId());
      assertThat(e.getSubmitter()).isEqualTo("vendor-a");
      assertThat(e.getEvidence())
          .extracting(Endorsement::getValidator)
          .containsExactly("vendor-a", "operator-b");
      independent.append(Rfc9162.leafHash(mtcEntry(der)));
    }
    assertThat(h.entries.isEmpty()).isTrue();
    // The tree the stores hold has the independently computed root.
    assertThat(Hex.encode(storedTree().root())).isEqualTo(Hex.encode(independent.root()));
    assertThat(storedTree().size()).isEqualTo(10);
    assertThat(h.counter(IntegrateProcessor.ENTRIES_SEQUENCED)).isEqualTo(9);
  }

  private MerkleTree storedTree() throws Exception {
    byte[] frontier =
        h.driver
            .<String, byte[]>getKeyValueStore(IssuanceTopology.LOG_STATE_STORE)
            .get(h.policy.log().origin());
    return MerkleTree.open(
        new KeyValueNodeStore(h.driver.getKeyValueStore(IssuanceTopology.TREE_NODES_STORE)),
        org.ledgerpki.core.merkle.CompactRange.fromBytes(frontier));
  }

  @Test
  void aReplayedSequenceRecordGetsNoSecondIndex() {
    h = new Harness();
    h.admit(certificates(1).get(0));
    LedgerEntry accepted = h.sequence.readValuesToList().get(0);
    assertThat(h.entries()).hasSize(2);
    // The same record again on ledger.sequence (a producer retry, a replay after a rewind).
    h.sequenceIn.pipeInput("1", h.bytes(h.topics.sequence(), accepted));
    assertThat(h.entries.isEmpty()).isTrue();
    assertThat(h.counter(IntegrateProcessor.SEQUENCE_REPLAYED)).isEqualTo(1);
    // And the next certificate gets the next index.
    h.admit(TestPki.vendor(SignatureAlgorithm.ECDSA_P256, VENDOR_O, "next").der());
    assertThat(h.entries()).extracting(LedgerEntry::getIndex).containsExactly(2L);
  }

  @Test
  void aCertificateTheMtcEncoderRefusesGoesToTheDeadLetterTopicWithoutAnIndex() {
    h = new Harness();
    h.admit(certificates(1).get(0));
    assertThat(h.entries()).hasSize(2);
    // Validators admitted bytes that are not a certificate (they never should): the quorum does
    // not parse certificates, so this reaches integrate.
    byte[] notACertificate = "definitely not DER".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Submissions.Keyed s = Signed.issue("vendor-a", notACertificate);
    h.submit(s);
    h.endorse(Signed.endorse("operator-b", s, Verdict.ENDORSE));
    h.endorse(Signed.endorse("operator-c", s, Verdict.ENDORSE));
    assertThat(h.entries.isEmpty()).isTrue();
    List<DeadLetter> dead = h.dlq.readValuesToList();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getSourceTopic()).isEqualTo(h.topics.sequence().name());
    assertThat(dead.get(0).getReason())
        .contains("cannot be encoded as an MTC log entry")
        .contains(s.key());
    assertThat(h.counter(IntegrateProcessor.ENTRIES_UNENCODABLE)).isEqualTo(1);
    // No index was consumed.
    h.admit(TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "after").der());
    assertThat(h.entries()).extracting(LedgerEntry::getIndex).containsExactly(2L);
  }

  @Test
  void sequencingRecordsForAnotherLogOrWithAWrongHashAreDeadLettered() {
    h = new Harness();
    h.admit(certificates(1).get(0));
    LedgerEntry accepted = h.sequence.readValuesToList().get(0);
    h.entries();
    LedgerEntry otherLog = LedgerEntry.newBuilder(accepted).setLogNumber(2).build();
    h.sequenceIn.pipeInput("2", h.bytes(h.topics.sequence(), otherLog));
    LedgerEntry wrongHash =
        LedgerEntry.newBuilder(accepted)
            .setCertificateSha256(Evidence.buffer(new byte[32]))
            .build();
    h.sequenceIn.pipeInput("1", h.bytes(h.topics.sequence(), wrongHash));
    h.sequenceIn.pipeInput("1", new byte[] {0, 0, 0, 0, 1, 2});
    assertThat(h.dlq.readValuesToList())
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).contains("this issuance stream sequences log 1"),
            r -> assertThat(r).contains("is not the SHA-256 of its certificate"),
            r -> assertThat(r).contains("cannot decode a LedgerEntry"));
    assertThat(h.entries.isEmpty()).isTrue();
  }
}
