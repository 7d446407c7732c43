package org.ledgerpki.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.CertificateBuilder;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;

/**
 * Verifiable status, tried as a lying inquiry node would: proofs of revocation, suspension and of
 * their absence; replayed old answers; answers about another encoding or another certificate; a key
 * reported compromised through another entry.
 */
class StatusProofVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
  private static final List<String> COSIGNERS = List.of("operator-b", "operator-c");
  private static final long MAX_AGE = TestConsortium.get().policy().checkpointMaxAge().toSeconds();

  private static StatusVerifier verifier() throws Exception {
    return new StatusVerifier(
        TrustBundle.fromPolicy(TestConsortium.get().policy()), Duration.ofSeconds(60));
  }

  private static StatusAnswer answer(TestLog log, long index) {
    return answerAt(log, index, NOW);
  }

  private static StatusAnswer answerAt(TestLog log, long index, Instant cosignedAt) {
    String note = log.cosignedCheckpoint(COSIGNERS, cosignedAt.getEpochSecond());
    return log.goodAnswer(index, log.tree().size(), note, cosignedAt, cosignedAt.plusSeconds(300));
  }

  private static StatusAnswer with(StatusAnswer a, String status, StatusAnswer.StatusProof proof) {
    return new StatusAnswer(
        a.certificateSha256(),
        status,
        a.log(),
        a.index(),
        a.entry(),
        a.inclusionProof(),
        a.checkpoint(),
        a.revocation(),
        a.reasons(),
        proof,
        a.certificate(),
        a.producedAt(),
        a.nextUpdate());
  }

  private static StatusAnswer withTimes(StatusAnswer a, Instant produced, Instant next) {
    return new StatusAnswer(
        a.certificateSha256(),
        a.status(),
        a.log(),
        a.index(),
        a.entry(),
        a.inclusionProof(),
        a.checkpoint(),
        a.revocation(),
        a.reasons(),
        a.statusProof(),
        a.certificate(),
        produced.toString(),
        next.toString());
  }

  private static StatusAnswer withCertificate(StatusAnswer a, String sha256, byte[] der) {
    return new StatusAnswer(
        sha256,
        a.status(),
        a.log(),
        a.index(),
        a.entry(),
        a.inclusionProof(),
        a.checkpoint(),
        a.revocation(),
        a.reasons(),
        a.statusProof(),
        der == null ? null : Base64.getEncoder().encodeToString(der),
        a.producedAt(),
        a.nextUpdate());
  }

  /** Two DER encodings of one MTC log entry: the same key, subject and validity, two serials. */
  private static byte[][] twoEncodings(int slot) {
    KeyPair kp = TestPki.keyPair(SignatureAlgorithm.ECDSA_P256, slot);
    CertificateBuilder b = TestPki.builder(kp, "Org vendor-a", "amf-" + slot);
    byte[] first = TestPki.issue(b.serial(BigInteger.valueOf(1000 + slot)), kp).der();
    byte[] second = TestPki.issue(b.serial(BigInteger.valueOf(2000 + slot)), kp).der();
    return new byte[][] {first, second};
  }

  @Test
  void revocationSuspensionAndResumptionAreProven() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 80).der();
    byte[] b = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "b", 81).der();
    long ia = log.add(a);
    long ib = log.add(b);
    StatusVerifier.Verified good = verifier().verify(answer(log, ia), a, NOW);
    assertThat(good.event()).isNull();
    assertThat(good.compromise()).isNull();
    assertThat(good.signedAt()).isEqualTo(NOW);

    log.lifecycle(ia, Lifecycle.Operation.REVOKE, Lifecycle.REASON_SUPERSEDED, NOW.toEpochMilli());
    log.lifecycle(
        ib, Lifecycle.Operation.SUSPEND, Lifecycle.REASON_CERTIFICATE_HOLD, NOW.toEpochMilli());
    StatusVerifier.Verified revoked = verifier().verify(answer(log, ia), a, NOW);
    assertThat(revoked.status()).isEqualTo("REVOKED");
    assertThat(revoked.event().reasonCode()).isEqualTo(Lifecycle.REASON_SUPERSEDED);
    assertThat(verifier().verify(answer(log, ib), b, NOW).status()).isEqualTo("SUSPENDED");

    log.lifecycle(ib, Lifecycle.Operation.RESUME, null, NOW.toEpochMilli());
    StatusVerifier.Verified resumed = verifier().verify(answer(log, ib), b, NOW);
    assertThat(resumed.status()).isEqualTo("GOOD");
    assertThat(resumed.event().state()).isEqualTo(CertificateState.GOOD);
  }

  @Test
  void aNonRevocationProofFromBeforeTheRevocationIsRejected() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 82).der();
    long ia = log.add(a);
    StatusAnswer before = answer(log, ia);
    verifier().verify(before, a, NOW);
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, 1, NOW.toEpochMilli());
    StatusAnswer after = answer(log, ia);
    // An edge node claims GOOD with the new checkpoint and the old proof of absence.
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", before.statusProof()), a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the checkpoint commits to 1");
    // Or with the old proofs of absence relabelled with the new count: the map root gives it away.
    StatusAnswer.StatusProof b = before.statusProof();
    StatusAnswer.StatusProof forged =
        new StatusAnswer.StatusProof(
            1, null, b.bitmap(), b.siblings(), null, b.keyBitmap(), b.keySiblings());
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", forged), a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("status map proof at the entry key does not lead to");
    // Or it hides the revocation by claiming GOOD with the true proof.
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", after.statusProof()), a, NOW))
        .hasMessageContaining("the answer says GOOD but the status map proves REVOKED");
  }

  @Test
  void aReplayedPreRevocationAnswerWithNewHintsIsStale() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 85).der();
    long ia = log.add(a);
    StatusAnswer monthOld = answerAt(log, ia, NOW.minus(Duration.ofDays(30)));
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, 1, NOW.toEpochMilli());
    // The node keeps the month-old GOOD answer and rewrites producedAt and nextUpdate.
    StatusAnswer replayed = withTimes(monthOld, NOW.minusSeconds(1), NOW.plusSeconds(3600));
    assertThatThrownBy(() -> verifier().verify(replayed, a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stale checkpoint: 0 trusted cosigner(s)")
        .hasMessageContaining("within the last " + MAX_AGE + " s");
    // Just within the bound it is fresh; just past it, not.
    StatusAnswer recent = answerAt(log, ia, NOW.minusSeconds(MAX_AGE));
    assertThat(verifier().verify(recent, a, NOW).status()).isEqualTo("REVOKED");
    StatusAnswer old = answerAt(log, ia, NOW.minusSeconds(MAX_AGE + 1));
    assertThatThrownBy(() -> verifier().verify(old, a, NOW)).hasMessageContaining("stale");
    // A cosignature from the far future does not make an answer fresh either.
    StatusAnswer future = answerAt(log, ia, NOW.plusSeconds(3600));
    assertThatThrownBy(() -> verifier().verify(future, a, NOW)).hasMessageContaining("stale");
  }

  @Test
  void theStatusMustBeCommittedAndCoveredByEnoughBodyCosignatures() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 83).der();
    long ia = log.add(a);
    StatusAnswer good = answer(log, ia);
    assertThatThrownBy(() -> verifier().verify(with(good, "GOOD", null), a, NOW))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("must carry a statusProof");
    String oneCosigner = log.cosignedCheckpoint(List.of("operator-b"), NOW.getEpochSecond());
    StatusAnswer weak =
        log.goodAnswer(ia, log.tree().size(), oneCosigner, NOW, NOW.plusSeconds(300));
    assertThatThrownBy(() -> verifier().verify(weak, a, NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("valid cosignatures from 1 cosigner(s)");
  }

  @Test
  void statusIsAPropertyOfTheEntryNotOfOneEncoding() throws Exception {
    TestLog log = new TestLog();
    byte[][] enc = twoEncodings(86);
    long i = log.add(enc[0]);
    // Not keyCompromise: the compromised-key proof would refuse the lie below by itself.
    log.lifecycle(i, Lifecycle.Operation.REVOKE, Lifecycle.REASON_SUPERSEDED, NOW.toEpochMilli());
    StatusAnswer revoked = answer(log, i);
    // A lying node claims GOOD for the new encoding, with a true proof from the real status map:
    // there is no event at the key of the re-encoded certificate's hash (the key the old format
    // used). The proof leads to the checkpoint's map root, so only the key, derived from the
    // proven entry and not from a hash in the answer, refuses it.
    SmtProof absent = log.status().proveEntry(Sha256.hash(enc[1]));
    StatusAnswer.StatusProof t = revoked.statusProof();
    StatusAnswer.StatusProof atOtherKey =
        new StatusAnswer.StatusProof(
            t.count(),
            null,
            absent.bitmapBase64(),
            base64(absent.siblings()),
            t.keyEvent(),
            t.keyBitmap(),
            t.keySiblings());
    StatusAnswer lie =
        withCertificate(with(revoked, "GOOD", atOtherKey), Hex.encode(Sha256.hash(enc[1])), enc[1]);
    assertThatThrownBy(() -> verifier().verify(lie, enc[1], NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("status map proof at the entry key");
    assertThatThrownBy(() -> verifier().verifyByHash(lie, Sha256.hash(enc[1]), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("status map proof at the entry key");

    // The relying party holds the other encoding: the node's answer about the admitted one proves
    // the entry REVOKED, and says that the ledger holds another encoding.
    StatusVerifier.Verified v = verifier().verify(revoked, enc[1], NOW);
    assertThat(v.status()).isEqualTo("REVOKED");
    assertThat(v.notes()).anyMatch(n -> n.contains("another encoding"));
  }

  @Test
  void aKeyReportedCompromisedRevokesEveryEntryOfIt() throws Exception {
    TestLog log = new TestLog();
    TestPki.Vendor first = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "x", 87);
    TestPki.Vendor second = TestPki.reusingKeyOf(first, "Org vendor-a", "y");
    long i1 = log.add(first.der());
    long i2 = log.add(second.der());
    StatusAnswer before = answer(log, i2);
    assertThat(verifier().verify(before, second.der(), NOW).status()).isEqualTo("GOOD");

    log.lifecycle(
        i1, Lifecycle.Operation.REVOKE, Lifecycle.REASON_KEY_COMPROMISE, NOW.toEpochMilli());
    StatusAnswer after = answer(log, i2);
    assertThat(after.status()).isEqualTo("REVOKED");
    StatusVerifier.Verified v = verifier().verify(after, second.der(), NOW);
    assertThat(v.status()).isEqualTo("REVOKED");
    assertThat(v.event()).isNull();
    assertThat(v.compromise().sequence()).isZero();
    assertThat(v.decidingEvent().reasonCode()).isEqualTo(Lifecycle.REASON_KEY_COMPROMISE);
    assertThat(v.notes())
        .anyMatch(
            n ->
                n.contains("key was reported compromised")
                    && n.contains(Hex.encode(first.sha256())));

    // A node hides the report: GOOD with the old proof of the key's absence.
    StatusAnswer.StatusProof a = after.statusProof();
    StatusAnswer.StatusProof b = before.statusProof();
    StatusAnswer.StatusProof hidden =
        new StatusAnswer.StatusProof(
            a.count(), a.event(), a.bitmap(), a.siblings(), null, b.keyBitmap(), b.keySiblings());
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", hidden), second.der(), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("status map proof at the compromised-key key");
    // Or it claims GOOD with the true proofs.
    assertThatThrownBy(() -> verifier().verify(with(after, "GOOD", a), second.der(), NOW))
        .hasMessageContaining("GOOD but the status map proves REVOKED")
        .hasMessageContaining("reported compromised");

    // A revocation for another reason does not touch the key's other entries.
    TestLog other = new TestLog();
    TestPki.Vendor c = TestPki.vendor(SignatureAlgorithm.ECDSA_P256, "Org vendor-a", "z", 88);
    TestPki.Vendor d = TestPki.reusingKeyOf(c, "Org vendor-a", "w");
    long j1 = other.add(c.der());
    long j2 = other.add(d.der());
    other.lifecycle(j1, Lifecycle.Operation.REVOKE, Lifecycle.REASON_SUPERSEDED, 0);
    assertThat(verifier().verify(answer(other, j2), d.der(), NOW).status()).isEqualTo("GOOD");
  }

  @Test
  void aQueryByHashIsBoundToTheHashAsked() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 89).der();
    byte[] b = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "b", 90).der();
    long ia = log.add(a);
    long ib = log.add(b);
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, 1, NOW.toEpochMilli());
    assertThat(verifier().verifyByHash(answer(log, ia), Sha256.hash(a), NOW).status())
        .isEqualTo("REVOKED");
    // Asked about a, the node answers with b's valid GOOD answer.
    assertThatThrownBy(() -> verifier().verifyByHash(answer(log, ib), Sha256.hash(a), NOW))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not the hash asked " + Hex.encode(Sha256.hash(a)));
    // Or with b's answer carrying a's certificate and hash: the entry is not a's.
    StatusAnswer swapped = withCertificate(answer(log, ib), Hex.encode(Sha256.hash(a)), a);
    assertThatThrownBy(() -> verifier().verifyByHash(swapped, Sha256.hash(a), NOW))
        .hasMessageContaining("is not the MTC log entry of this certificate");
    // Or without the certificate.
    StatusAnswer bare = withCertificate(answer(log, ia), Hex.encode(Sha256.hash(a)), null);
    assertThatThrownBy(() -> verifier().verifyByHash(bare, Sha256.hash(a), NOW))
        .hasMessageContaining("carries no certificate");
  }

  @Test
  void malformedAnswersAreMalformedNotRevoked() throws Exception {
    TestLog log = new TestLog();
    byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, "Org vendor-a", "a", 91).der();
    long ia = log.add(a);
    StatusAnswer good = answer(log, ia);
    List<String> withNull = new ArrayList<>(good.inclusionProof());
    withNull.set(0, null);
    StatusAnswer nullHash =
        new StatusAnswer(
            good.certificateSha256(),
            "GOOD",
            good.log(),
            good.index(),
            good.entry(),
            withNull,
            good.checkpoint(),
            null,
            null,
            good.statusProof(),
            good.certificate(),
            null,
            null);
    assertThatThrownBy(() -> verifier().verify(nullHash, a, NOW))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("inclusionProof[0] is null");
    StatusAnswer noEntry =
        new StatusAnswer(
            good.certificateSha256(),
            "GOOD",
            good.log(),
            good.index(),
            null,
            good.inclusionProof(),
            good.checkpoint(),
            null,
            null,
            good.statusProof(),
            good.certificate(),
            null,
            null);
    assertThatThrownBy(() -> verifier().verify(noEntry, a, NOW))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("must carry");
  }

  private static List<String> base64(List<byte[]> hashes) {
    List<String> out = new ArrayList<>();
    for (byte[] h : hashes) {
      out.add(Base64.getEncoder().encodeToString(h));
    }
    return out;
  }
}
