package org.ledgerpki.inquiry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.inquiry.LogSigning;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The index follows {@code ledger.status}: a revocation without new entries is served once a
 * cosigned checkpoint of the same size commits to it, and the answers built from the index verify
 * offline as REVOKED, SUSPENDED and GOOD.
 */
class LedgerIndexStatusTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final List<String> QUORUM = List.of("vendor-a", "operator-b");

  private final TestLog log = new TestLog();
  private final List<byte[]> certs = new ArrayList<>();

  private LedgerEntry entry(long i) {
    return TestEntries.entry(log, certs, i);
  }

  private CosignedCheckpoint cosigned(long previous, long size) {
    return cosigned(previous, size, Instant.now());
  }

  private CosignedCheckpoint cosigned(long previous, long size, Instant at) {
    return CosignedCheckpoint.newBuilder()
        .setOrigin(log.origin())
        .setSize(size)
        .setRootHash(ByteBuffer.wrap(log.tree().rootAt(size)))
        .setPreviousSize(previous)
        .setNote(log.cosignedCheckpoint(size, QUORUM, at.getEpochSecond()))
        .setCosigners(QUORUM)
        .setSubtrees(List.of())
        .setPublishedAt(at)
        .build();
  }

  /** The status record of {@code e}, signed by the log (as the issuance stream publishes it). */
  private StatusEntry status(StatusEvent e) {
    return LogSigning.signed(statusRecord(e));
  }

  private StatusEntry statusRecord(StatusEvent e) {
    return StatusEntry.newBuilder()
        .setOrigin(log.origin())
        .setLogNumber(1)
        .setSequence(e.sequence())
        .setEvent(ByteBuffer.wrap(e.encode()))
        .setCertificateSha256(ByteBuffer.wrap(e.certificateSha256()))
        .setOperation(Operation.valueOf(e.operation().name()))
        .setReasonCode(e.reasonCode())
        .setOwner("vendor-a")
        .setRequests(List.of())
        .setEvidence(List.of())
        .setSequencedAt(Instant.now())
        .build();
  }

  /** The answer the inquiry API builds from the index (InquiryQueries). */
  private static StatusAnswer answer(Located l) {
    Base64.Encoder b = Base64.getEncoder();
    Instant now = Instant.now();
    return new StatusAnswer(
        org.ledgerpki.core.Hex.encode(Sha256.hash(l.certificate())),
        l.state(),
        l.origin(),
        l.index(),
        b.encodeToString(l.entry()),
        l.inclusionProof().stream().map(b::encodeToString).toList(),
        l.checkpoint().note(),
        null,
        null,
        l.statusProof(),
        b.encodeToString(l.certificate()),
        now.toString(),
        now.plusSeconds(60).toString());
  }

  /**
   * The compact answer the node encodes from the index's bytes ({@link Located#compactFields}) is
   * byte for byte the compact encoding of the JSON answer's fields (the form's known answers in
   * docs/inquiry-api.md), decodes to the same proofs, and verifies offline with the same status.
   */
  private static void assertCompactAgrees(
      StatusVerifier verifier, Located l, byte[] asked, String status) throws Exception {
    String note = org.ledgerpki.core.verify.StatusCheckpoints.statusForm(l.checkpoint().note());
    byte[] sha = Sha256.hash(asked);
    byte[] raw = CompactAnswer.encode(l.compactFields(sha, true, true));
    StatusAnswer json = answer(l);
    StatusAnswer viaJson =
        new StatusAnswer(
            org.ledgerpki.core.Hex.encode(sha),
            json.status(),
            json.log(),
            json.index(),
            json.entry(),
            json.inclusionProof(),
            note,
            l.checkpoint().sha256(),
            null,
            null,
            json.statusProof(),
            json.certificate(),
            null,
            null);
    assertThat(raw).isEqualTo(CompactAnswer.encode(viaJson));
    StatusAnswer decoded = CompactAnswer.decode(raw);
    assertThat(decoded.statusProof()).isEqualTo(json.statusProof());
    assertThat(verifier.verify(decoded, asked, Instant.now()).status()).isEqualTo(status);
    StatusAnswer bare =
        CompactAnswer.decode(CompactAnswer.encode(l.compactFields(sha, false, false)));
    assertThat(bare.checkpoint()).isNull();
    assertThat(bare.certificate()).isNull();
  }

  /**
   * Adds {@code n} Ed25519 certificates of vendor-a ({@code prefix}-0.., key slots from {@code
   * slot}) to the log.
   */
  private void addCertificates(int n, String prefix, int slot) {
    for (int i = 0; i < n; i++) {
      byte[] der =
          TestPki.vendor(
                  SignatureAlgorithm.ED25519,
                  TestConsortium.organization("vendor-a"),
                  prefix + "-" + i,
                  slot + i)
              .der();
      certs.add(der);
      log.add(der);
    }
  }

  /**
   * An index holding the null entry and three certificates ({@code prefix}-0..2, key slots from
   * {@code slot}), with the cosigned checkpoint at size 4 and no status events.
   */
  private LedgerIndex threeCertificatesCosigned(TrustBundle bundle, String prefix, int slot)
      throws Exception {
    addCertificates(3, prefix, slot);
    LedgerIndex index = new LedgerIndex(new CheckpointVerifier(bundle), null);
    for (long i = 0; i < log.tree().size(); i++) {
      index.apply(entry(i));
    }
    index.apply(cosigned(0, 4));
    return index;
  }

  @Test
  void revocationAndSuspensionAreServedWithProofsAtTheSameTreeSize() throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "st", 60);

    StatusEvent revoke = log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L);
    StatusEvent suspend = log.lifecycle(2, Lifecycle.Operation.SUSPEND, 6, 1_767_225_600_000L);
    index.apply(status(revoke));
    index.apply(status(suspend));
    CertKey k1 = CertKey.of(Sha256.hash(certs.get(0)));
    assertThat(index.locate(k1).orElseThrow().event())
        .as("not served before a cosigned checkpoint commits to it")
        .isNull();

    index.apply(cosigned(4, 4));
    assertThat(index.refusedCount()).isZero();
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));

    Located revoked = index.locate(k1).orElseThrow();
    StatusVerifier.Verified v = verifier.verify(answer(revoked), certs.get(0), Instant.now());
    assertThat(v.status()).isEqualTo("REVOKED");
    assertThat(v.event().reasonCode()).isEqualTo(1);
    assertThat(v.checkpoint().checkpoint().size()).isEqualTo(4);
    assertCompactAgrees(verifier, revoked, certs.get(0), "REVOKED");

    Located suspended = index.locate(CertKey.of(Sha256.hash(certs.get(1)))).orElseThrow();
    assertThat(verifier.verify(answer(suspended), certs.get(1), Instant.now()).event().state())
        .isEqualTo(CertificateState.SUSPENDED);
    assertCompactAgrees(verifier, suspended, certs.get(1), "SUSPENDED");

    Located good = index.locate(CertKey.of(Sha256.hash(certs.get(2)))).orElseThrow();
    assertThat(verifier.verify(answer(good), certs.get(2), Instant.now()).status())
        .isEqualTo("GOOD");
    assertCompactAgrees(verifier, good, certs.get(2), "GOOD");

    // A heartbeat: the same checkpoint re-cosigned later replaces the held one (fresh signed time),
    // an older re-publication does not.
    Instant held = good.checkpoint().publishedAt();
    index.apply(cosigned(4, 4, held.plusSeconds(30)));
    Located fresher = index.locate(CertKey.of(Sha256.hash(certs.get(2)))).orElseThrow();
    assertThat(fresher.checkpoint().publishedAt()).isEqualTo(held.plusSeconds(30));
    assertThat(
            verifier
                .verify(answer(fresher), certs.get(2), Instant.now())
                .signedAt()
                .getEpochSecond())
        .isEqualTo(held.plusSeconds(30).getEpochSecond());
    index.apply(cosigned(4, 4, held.plusSeconds(10)));
    assertThat(index.locate(CertKey.of(Sha256.hash(certs.get(2)))).orElseThrow().checkpoint())
        .isEqualTo(fresher.checkpoint());
    assertThat(index.refusedCount()).isZero();
  }

  @Test
  void aKeyCompromisedThroughAnotherEntryAndAnotherEncodingAreFoundByEntry() throws Exception {
    java.security.KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256, 70);
    org.ledgerpki.core.crypto.CertificateBuilder b =
        TestPki.builder(kp, TestConsortium.organization("vendor-a"), "k-1");
    TestPki.Vendor first = TestPki.issue(b.serial(java.math.BigInteger.valueOf(11)), kp);
    // Another encoding of the same entry: another serial, same key, subject and validity.
    byte[] reissued = TestPki.issue(b.serial(java.math.BigInteger.valueOf(12)), kp).der();
    TestPki.Vendor second =
        TestPki.reusingKeyOf(first, TestConsortium.organization("vendor-a"), "k-2");
    certs.add(first.der());
    certs.add(second.der());
    log.add(first.der());
    log.add(second.der());
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = new LedgerIndex(new CheckpointVerifier(bundle), null);
    for (long i = 0; i < log.tree().size(); i++) {
      index.apply(entry(i));
    }
    index.apply(cosigned(0, 3));
    index.apply(status(log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L)));
    index.apply(cosigned(3, 3));
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    Located l = index.locate(CertKey.of(second.sha256())).orElseThrow();
    assertThat(l.state()).isEqualTo("REVOKED");
    StatusVerifier.Verified v = verifier.verify(answer(l), second.der(), Instant.now());
    assertThat(v.compromise().certificateSha256()).isEqualTo(first.sha256());
    assertCompactAgrees(verifier, l, second.der(), "REVOKED");

    // Another encoding of the first certificate is not in the index by hash, but by its entry.
    assertThat(index.locate(CertKey.of(Sha256.hash(reissued)))).isEmpty();
    assertThat(index.locateEntry(reissued))
        .as("another encoding of entry 1 is found by its MTC log entry")
        .isPresent();
    Located byEntry = index.locateEntry(reissued).orElseThrow();
    assertThat(byEntry.index()).isEqualTo(1);
    StatusVerifier.Verified w = verifier.verify(answer(byEntry), reissued, Instant.now());
    assertThat(w.status()).isEqualTo("REVOKED");
    assertThat(w.notes()).anyMatch(n -> n.contains("another encoding"));
    assertCompactAgrees(verifier, byEntry, reissued, "REVOKED");
    assertThat(index.locateEntry(TestPki.vendor(SignatureAlgorithm.ED25519, "O", "x", 71).der()))
        .isEmpty();
  }

  @Test
  void aNewerCheckpointsAnswersCarryItsOwnProofsNotTheCachedEdgeOfTheOlder() throws Exception {
    addCertificates(6, "edge", 80);
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = new LedgerIndex(new CheckpointVerifier(bundle), null);
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    for (long i = 0; i < 4; i++) {
      index.apply(entry(i));
    }
    index.apply(cosigned(0, 4));
    CertKey k2 = CertKey.of(Sha256.hash(certs.get(1)));
    Located before = index.locate(k2).orElseThrow();
    assertThat(before.checkpoint().size()).isEqualTo(4);
    assertThat(before.inclusionProof())
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(log.tree().inclusionProof(2, 4));

    for (long i = 4; i < log.tree().size(); i++) {
      index.apply(entry(i));
    }
    index.apply(cosigned(4, 7));
    Located after = index.locate(k2).orElseThrow();
    assertThat(after.checkpoint().size()).isEqualTo(7);
    assertThat(after.inclusionProof())
        .as("the proof of entry 2 in the tree of 7, as core builds it without any cache")
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyElementsOf(log.tree().inclusionProof(2, 7));
    assertThat(verifier.verify(answer(after), certs.get(1), Instant.now()).status())
        .isEqualTo("GOOD");
    assertThat(index.refusedCount()).isZero();
  }

  /**
   * A status event with sequence number {@code sequence} that revokes the log's third certificate
   * for keyCompromise, which nobody asked for: what whoever can write to {@code ledger.status} can
   * forge (it needs no key, but then carries no log signature).
   */
  private StatusEvent forgedRevocationOfTheThird(long sequence) {
    return forgedRevocation(3, sequence, 1_767_225_600_000L);
  }

  /** A revocation of the certificate at {@code index} nobody asked for, as above. */
  private StatusEvent forgedRevocation(long index, long sequence, long atMillis) {
    org.ledgerpki.core.status.EntryId id = log.entryId(index);
    return new StatusEvent(
        sequence,
        id.leafHash(),
        id.spkiHash(),
        Sha256.hash(certs.get((int) index - 1)),
        CertificateState.REVOKED,
        Lifecycle.Operation.REVOKE,
        1,
        atMillis,
        null);
  }

  /**
   * A status event forged for a sequence number before the real one, and signed with the log's own
   * key (a dishonest sequencer, or a thief of that key: the signature check passes it), used to be
   * kept because it came first, and no later checkpoint could be served. The cosigned status line
   * decides which event is applied.
   */
  @Test
  void aLogSignedForgedStatusEventThatCameFirstDoesNotStallTheNode() throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "fs", 70);
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    CertKey k1 = CertKey.of(Sha256.hash(certs.get(0)));
    CertKey k3 = CertKey.of(Sha256.hash(certs.get(2)));

    // Status event 0, forged: it revokes certificate 3, which nobody asked to revoke.
    index.apply(status(forgedRevocationOfTheThird(0)));
    // The checkpoint that commits to the real event 0 comes while the node holds only the forged
    // one: it is not served (and counted), and the forged event is not applied.
    StatusEvent real = log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L);
    index.apply(cosigned(4, 4));
    assertThat(index.refusedCount()).isEqualTo(1);
    assertThat(index.locate(k3).orElseThrow().state()).isEqualTo("GOOD");
    assertThat(index.locate(k1).orElseThrow().event()).isNull();

    // The real event 0 comes after the forged one: both are held (the conflict is counted), and
    // the checkpoint that waited is served with the event its status line commits to.
    index.apply(status(real));
    assertThat(index.refusedCount()).isEqualTo(2);
    Located revoked = index.locate(k1).orElseThrow();
    assertThat(verifier.verify(answer(revoked), certs.get(0), Instant.now()).status())
        .isEqualTo("REVOKED");
    Located good = index.locate(k3).orElseThrow();
    assertThat(verifier.verify(answer(good), certs.get(2), Instant.now()).status())
        .isEqualTo("GOOD");
    // A later publication of the same checkpoint (a heartbeat) changes nothing.
    index.apply(cosigned(4, 4, Instant.now().plusSeconds(5)));
    assertThat(index.locate(k1).orElseThrow().state()).isEqualTo("REVOKED");
    assertThat(index.locate(k3).orElseThrow().state()).isEqualTo("GOOD");

    // And the node goes on: the next event and checkpoint are served.
    StatusEvent suspend = log.lifecycle(2, Lifecycle.Operation.SUSPEND, 6, 1_767_225_600_000L);
    index.apply(status(suspend));
    index.apply(cosigned(4, 4, Instant.now().plusSeconds(10)));
    Located suspended = index.locate(CertKey.of(Sha256.hash(certs.get(1)))).orElseThrow();
    assertThat(verifier.verify(answer(suspended), certs.get(1), Instant.now()).event().state())
        .isEqualTo(CertificateState.SUSPENDED);
  }

  /**
   * Status events forged with far-future sequence numbers, signed with the log's key (a dishonest
   * sequencer), are dropped and counted, not held, and the real events are still served.
   */
  @Test
  void forgedStatusEventsAfterAGapAreDroppedAndTheRealOnesServed() throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "fa", 70);
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    int forgeries = 1_000;
    for (int i = 0; i < forgeries; i++) {
      index.apply(status(forgedRevocationOfTheThird(1_000_000_000L + i)));
    }
    assertThat(index.refusedCount()).isEqualTo(forgeries);

    StatusEvent real = log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L);
    index.apply(status(real));
    index.apply(cosigned(4, 4));
    assertThat(index.refusedCount()).isEqualTo(forgeries);
    assertFirstRevokedThirdGood(index, verifier);
  }

  /**
   * A dishonest sequencer (or a thief of the log's key) can write entries and status events that no
   * checkpoint commits to, signed. A log holds only so many of them ({@link UnprovenLimits}) before
   * the follower stops reading them, and a verified checkpoint, served or not yet, lets it go on.
   * An entry after a gap, and records of a log the policy does not name (ignored before their
   * signature is looked at), are not held at all.
   */
  @Test
  void aLogHoldsNoMoreUnprovenRecordsThanItsLimitsAndNoneAfterAGapOrOfAnUnknownLog()
      throws Exception {
    addCertificates(6, "un", 90);
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index =
        new LedgerIndex(new CheckpointVerifier(bundle), null, new UnprovenLimits(2, 3));
    String origin = log.origin();
    for (long i = 0; i < 4; i++) {
      index.apply(entry(i));
    }
    index.apply(cosigned(0, 4));
    index.apply(entry(4));
    assertThat(index.full(LedgerTopic.ENTRIES, origin)).isFalse();
    index.apply(entry(5));
    assertThat(index.full(LedgerTopic.ENTRIES, origin)).as("two entries beyond size 4").isTrue();
    assertThat(index.unproven().entries()).isEqualTo(2);
    index.apply(cosigned(4, 7));
    assertThat(index.full(LedgerTopic.ENTRIES, origin))
        .as("a verified checkpoint the node cannot serve yet still raises the bound")
        .isFalse();
    assertThat(index.log(origin).orElseThrow().latestCheckpoint().size()).isEqualTo(4);
    index.apply(entry(6));
    assertThat(index.log(origin).orElseThrow().latestCheckpoint().size()).isEqualTo(7);

    long refused = index.refusedCount();
    LedgerEntry ahead = entry(3);
    ahead.setIndex(100);
    index.apply(LogSigning.signed(ahead));
    assertThat(index.refusedCount()).as("an entry after a gap is a forgery").isEqualTo(refused + 1);
    assertThat(index.log(origin).orElseThrow().size()).isEqualTo(7);
    LedgerEntry otherLog = entry(6);
    otherLog.setOrigin("oid/1.3.6.1.4.1.32473.99");
    index.apply(otherLog);
    StatusEntry otherLogs = status(forgedRevocationOfTheThird(0));
    otherLogs.setOrigin("oid/1.3.6.1.4.1.32473.98");
    index.apply(otherLogs);
    assertThat(index.foreignCount()).isEqualTo(2);
    assertThat(index.refusedCount()).as("foreign, not refused").isEqualTo(refused + 1);
    assertThat(index.unsignedCount()).isZero();
    assertThat(index.logs()).hasSize(1);

    for (long seq = 0; seq < 3; seq++) {
      assertThat(index.full(LedgerTopic.STATUS, origin)).isFalse();
      index.apply(status(forgedRevocationOfTheThird(seq)));
    }
    assertThat(index.full(LedgerTopic.STATUS, origin)).as("three forged events held").isTrue();
    StatusEvent real = log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L);
    index.apply(status(real));
    index.apply(cosigned(7, 7));
    assertThat(index.unproven().statusEvents())
        .as("one event applied, the two forged ones after it held, the checkpoint commits to one")
        .isEqualTo(2);
    assertThat(index.full(LedgerTopic.STATUS, origin)).isFalse();
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    assertFirstRevokedThirdGood(index, verifier);
  }

  /** The forged certificate of the liveness tests: nobody asked to admit it. */
  private static byte[] mallory(int slot) {
    return TestPki.vendor(SignatureAlgorithm.ED25519, "Org mallory", "fe-forged", slot).der();
  }

  /**
   * An entry at index 4 (the log's next) for {@code mallory}, as the test log would encode it after
   * the three certificates, unsigned: what whoever can write {@code ledger.entries} can forge.
   */
  private LedgerEntry forgedFourth(byte[] mallory) {
    TestLog forger = new TestLog();
    certs.subList(0, 3).forEach(forger::add);
    forger.add(mallory);
    LedgerEntry forged = entry(3);
    forged.setIndex(4);
    forged.setEntry(
        ByteBuffer.wrap(
            Base64.getDecoder()
                .decode(forger.goodAnswer(4, 5, "", Instant.EPOCH, Instant.EPOCH).entry())));
    forged.setCertificate(ByteBuffer.wrap(mallory));
    forged.setCertificateSha256(ByteBuffer.wrap(Sha256.hash(mallory)));
    return LogSigning.unsigned(forged);
  }

  /**
   * The liveness attack of ADR 0012, closed: forged entries at the next index, read before the real
   * one, without the log's valid signature (none; another key's; the log's signature on another
   * entry, replayed at index 4; the log's signature on the real entry 4, whose certificate was
   * swapped after signing) are each refused on arrival and not held, so the real entry 4 is applied
   * after them, the newer checkpoint is served, and its answers verify. No answer ever names the
   * forged certificate.
   */
  @Test
  void unsignedForgedEntriesReadBeforeTheRealOneAreRefusedAndTheNewerCheckpointServed()
      throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "fu", 110);
    byte[] mallory = mallory(114);
    addCertificates(1, "fu-real", 113);
    LedgerEntry swapped = entry(4);
    swapped.setCertificate(ByteBuffer.wrap(mallory));
    LedgerEntry replayed = entry(3);
    replayed.setIndex(4);
    List<LedgerEntry> forgeries =
        List.of(
            forgedFourth(mallory),
            LogSigning.signedByAnother(forgedFourth(mallory)),
            replayed,
            swapped);
    long refused = index.refusedCount();
    for (int i = 0; i < forgeries.size(); i++) {
      index.apply(forgeries.get(i));
      assertThat(index.log(log.origin()).orElseThrow().size())
          .as("forgery %d is not held", i)
          .isEqualTo(4);
      assertThat(index.unproven().entries()).isZero();
      assertThat(index.locate(CertKey.of(Sha256.hash(mallory)))).isEmpty();
      assertThat(index.unsignedCount()).as("forgery %d refused on arrival", i).isEqualTo(i + 1);
      assertThat(index.refusedCount()).isEqualTo(refused + i + 1);
    }

    index.apply(entry(4));
    index.apply(cosigned(4, 5));
    assertThat(index.log(log.origin()).orElseThrow().latestCheckpoint().size())
        .as("the real checkpoint at 5 matches the node's tree: served")
        .isEqualTo(5);
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    for (int i = 0; i < 4; i++) {
      Located l = index.locate(CertKey.of(Sha256.hash(certs.get(i)))).orElseThrow();
      StatusVerifier.Verified v = verifier.verify(answer(l), certs.get(i), Instant.now());
      assertThat(v.status()).isEqualTo("GOOD");
      assertThat(v.checkpoint().checkpoint().size()).isEqualTo(5);
    }
    assertThat(index.locate(CertKey.of(Sha256.hash(mallory)))).isEmpty();
    assertThat(index.locateEntry(mallory)).isEmpty();
    assertThat(index.refusedCount())
        .as("the forgeries only: the real entry 4 conflicted with nothing")
        .isEqualTo(refused + 4);
  }

  /**
   * What the log's signature does not give (ADR 0012): a forged entry at the next index signed with
   * the log's own key (a dishonest sequencer, or a thief of the key) and read before the real one
   * is kept (the first entry of an index is), so the log's newer checkpoints no longer match the
   * node's tree and are not served. The node fails closed: the forged certificate is never covered
   * by a checkpoint, so no answer can prove it; the entries the last served checkpoint covers still
   * verify.
   */
  @Test
  void aForgedEntrySignedWithTheLogsKeyStallsTheLogButIsNeverProven() throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "fe", 100);
    byte[] mallory = mallory(104);
    index.apply(LogSigning.signed(forgedFourth(mallory)));
    assertThat(index.unsignedCount()).as("the log's own signature verifies").isZero();

    addCertificates(1, "fe-real", 103);
    long refused = index.refusedCount();
    index.apply(entry(4));
    assertThat(index.refusedCount()).as("the real entry 4 conflicts").isEqualTo(refused + 1);
    index.apply(cosigned(4, 5));
    assertThat(index.log(log.origin()).orElseThrow().latestCheckpoint().size())
        .as("the real checkpoint at 5 does not match the forged tree: not served")
        .isEqualTo(4);
    assertThat(index.locate(CertKey.of(Sha256.hash(mallory))).orElseThrow().checkpoint())
        .as("no checkpoint covers the forged entry, so no answer proves it")
        .isNull();
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    Located good = index.locate(CertKey.of(Sha256.hash(certs.get(0)))).orElseThrow();
    assertThat(verifier.verify(answer(good), certs.get(0), Instant.now()).status())
        .isEqualTo("GOOD");
  }

  /**
   * Forged status events from the next sequence number on, more per number than {@link
   * PendingStatusEvents#MAX_CANDIDATES}, without the log's valid signature (none; another key's;
   * the log's signature on another event, whose event was swapped after signing) are refused on
   * arrival and take no candidate slot: the real event 0, read after them, is applied at once, and
   * the checkpoint that waited for it is served. Their victim stays GOOD.
   */
  @Test
  void unsignedForgedStatusEventsTakeNoCandidateSlotsAndTheRealOneIsAppliedAtOnce()
      throws Exception {
    TrustBundle bundle = TrustBundle.fromPolicy(TC.policy());
    LedgerIndex index = threeCertificatesCosigned(bundle, "su", 120);
    StatusEvent real = log.lifecycle(1, Lifecycle.Operation.REVOKE, 1, 1_767_225_600_000L);
    int perSequence = PendingStatusEvents.MAX_CANDIDATES + 1;
    int forgeries = 0;
    for (long seq = 0; seq < 3; seq++) {
      for (int k = 0; k < perSequence; k++) {
        StatusEvent lie = forgedRevocation(3, seq, 1_767_225_600_000L + k);
        StatusEntry forged =
            switch (k % 3) {
              case 0 -> LogSigning.unsigned(statusRecord(lie));
              case 1 -> LogSigning.signedByAnother(statusRecord(lie));
              default -> {
                // The log signed a revocation of the second certificate; the event is swapped.
                StatusEntry s = status(forgedRevocation(2, seq, 1_767_225_600_000L + k));
                s.setEvent(ByteBuffer.wrap(lie.encode()));
                s.setCertificateSha256(ByteBuffer.wrap(lie.certificateSha256()));
                yield s;
              }
            };
        index.apply(forged);
        forgeries++;
        assertThat(index.unproven().statusEvents())
            .as("forgery %d:%d is not held", seq, k)
            .isZero();
        assertThat(index.unsignedCount()).as("forgery %d:%d refused", seq, k).isEqualTo(forgeries);
      }
    }

    // The checkpoint committing to the real event 0 comes first and waits for it.
    index.apply(cosigned(4, 4));
    CertKey k1 = CertKey.of(Sha256.hash(certs.get(0)));
    assertThat(index.locate(k1).orElseThrow().event()).isNull();
    index.apply(status(real));
    StatusVerifier verifier = new StatusVerifier(bundle, Duration.ofMinutes(1));
    assertFirstRevokedThirdGood(index, verifier);
    assertThat(index.unproven().statusEvents()).isZero();
    assertThat(index.refusedCount())
        .as("the forgeries only: no conflict, no forged candidate was held")
        .isEqualTo(forgeries);
  }

  /** The first certificate's answer verifies REVOKED, the third's (the forgeries' victim) GOOD. */
  private void assertFirstRevokedThirdGood(LedgerIndex index, StatusVerifier verifier)
      throws Exception {
    Located revoked = index.locate(CertKey.of(Sha256.hash(certs.get(0)))).orElseThrow();
    assertThat(verifier.verify(answer(revoked), certs.get(0), Instant.now()).status())
        .isEqualTo("REVOKED");
    Located good = index.locate(CertKey.of(Sha256.hash(certs.get(2)))).orElseThrow();
    assertThat(verifier.verify(answer(good), certs.get(2), Instant.now()).status())
        .isEqualTo("GOOD");
  }
}
