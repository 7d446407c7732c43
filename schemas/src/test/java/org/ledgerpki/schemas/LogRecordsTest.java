package org.ledgerpki.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.crypto.Keys;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;

/** The log's signature on ledger.entries, ledger.status and ledger.decisions records (ADR 0012). */
class LogRecordsTest {
  private static final KeyPair LOG = Keys.generate(SignatureAlgorithm.ED25519);

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSignedEntryVerifiesAndEveryFieldTheReaderUsesIsBound() {
    LedgerEntry signed = LogRecords.sign(SampleRecords.entry(7), LOG.getPrivate());
    assertThat(LogRecords.problem(signed, LOG.getPublic())).isNull();
    List<Consumer<LedgerEntry>> changes =
        List.of(
            e -> e.setOrigin("oid/9.9"),
            e -> e.setLogNumber(2),
            e -> e.setIndex(8),
            e -> e.setEntry(bytes("another entry")),
            e -> e.setCertificate(bytes("another DER")),
            e -> e.setCertificate(null),
            e -> e.setCertificateSha256(bytes("another sha")),
            e -> e.setSubmissionId("sub-other"),
            e -> e.setSubmitter("vendor-b"),
            e -> e.setSequencedAt(Instant.ofEpochMilli(1)),
            e -> e.setEvidence(List.of()),
            e -> e.getEvidence().get(0).setValidator("ca-c"),
            e -> e.getEvidence().get(0).getSignature().setSignature(bytes("another signature")));
    for (int i = 0; i < changes.size(); i++) {
      LedgerEntry e = LogRecords.sign(SampleRecords.entry(7), LOG.getPrivate());
      changes.get(i).accept(e);
      assertThat(LogRecords.problem(e, LOG.getPublic()))
          .as("change %d", i)
          .isEqualTo("its log signature does not verify with the key of log " + e.getOrigin());
    }
  }

  @Test
  void anEntryWithoutASignatureOrByAnotherKeyIsRefused() {
    assertThat(LogRecords.problem(SampleRecords.entry(7), LOG.getPublic()))
        .isEqualTo("it carries no log signature");
    KeyPair other = Keys.generate(SignatureAlgorithm.ED25519);
    LedgerEntry forged = LogRecords.sign(SampleRecords.entry(7), other.getPrivate());
    assertThat(LogRecords.problem(forged, LOG.getPublic())).contains("does not verify");
    forged.setLogSignature(ByteBuffer.allocate(0));
    assertThat(LogRecords.problem(forged, LOG.getPublic())).contains("does not verify");
  }

  @Test
  void aSignedStatusEventVerifiesAndEveryFieldIsBound() {
    StatusEntry signed = LogRecords.sign(SampleRecords.status(3), LOG.getPrivate());
    assertThat(LogRecords.problem(signed, LOG.getPublic())).isNull();
    List<Consumer<StatusEntry>> changes =
        List.of(
            s -> s.setOrigin("oid/9.9"),
            s -> s.setLogNumber(2),
            s -> s.setSequence(4),
            s -> s.setEvent(bytes("another event")),
            s -> s.setCertificateSha256(bytes("sha 8")),
            s -> s.setOperation(Operation.SUSPEND),
            s -> s.setReasonCode(null),
            s -> s.setSupersededBy(bytes("sha 9")),
            s -> s.setOwner("vendor-b"),
            s -> s.setSequencedAt(Instant.ofEpochMilli(1)),
            s -> s.setRequests(List.of()),
            s -> s.getRequests().get(0).setSubmitter("operator-b"),
            s -> s.setEvidence(List.of()),
            s -> s.getEvidence().get(0).getSignature().setKeyId("ffffffffffffffff"));
    for (int i = 0; i < changes.size(); i++) {
      StatusEntry s = LogRecords.sign(SampleRecords.status(3), LOG.getPrivate());
      changes.get(i).accept(s);
      assertThat(LogRecords.problem(s, LOG.getPublic())).as("change %d", i).contains("not verify");
    }
    assertThat(LogRecords.problem(SampleRecords.status(3), LOG.getPublic()))
        .isEqualTo("it carries no log signature");
  }

  @Test
  void anEntrySignatureIsNotAStatusSignature() {
    LedgerEntry e = LogRecords.sign(SampleRecords.entry(3), LOG.getPrivate());
    StatusEntry s = SampleRecords.status(3);
    s.setLogSignature(e.getLogSignature());
    assertThat(LogRecords.problem(s, LOG.getPublic())).contains("not verify");
  }

  private static Decision decision() {
    Decision d = SampleRecords.decision();
    d.setOrigin(SampleRecords.ORIGIN);
    return d;
  }

  @Test
  void aSignedDecisionVerifiesAndEveryFieldIsBound() {
    Decision signed = LogRecords.sign(decision(), LOG.getPrivate());
    assertThat(LogRecords.problem(signed, LOG.getPublic())).isNull();
    List<Consumer<Decision>> changes =
        List.of(
            d -> d.setOrigin("oid/9.9"),
            d -> d.setSubmissionId("sub-2"),
            d -> d.setOperation(Operation.REVOKE),
            d -> d.setSubmitter("vendor-b"),
            d -> d.setCertificateSha256(bytes("another sha")),
            d -> d.setOutcome(Outcome.REJECTED),
            d -> d.setReasons(List.of()),
            d -> d.setReasons(List.of(new Reason(ReasonCode.OTHER, "other"))),
            d -> d.setReasons(List.of(new Reason(ReasonCode.DUPLICATE, "none"))),
            d -> d.setEvidence(List.of()),
            d -> d.getEvidence().get(1).setVerdict(org.ledgerpki.schemas.avro.Verdict.ENDORSE),
            d -> d.getEvidence().get(0).getSignature().setSignature(bytes("another signature")),
            d -> d.setDecidedAt(Instant.ofEpochMilli(1)));
    for (int i = 0; i < changes.size(); i++) {
      Decision d = LogRecords.sign(decision(), LOG.getPrivate());
      changes.get(i).accept(d);
      assertThat(LogRecords.problem(d, LOG.getPublic())).as("change %d", i).contains("not verify");
    }
  }

  @Test
  void aDecisionWithoutASignatureOrByAnotherKeyOrWithAnEntrysSignatureIsRefused() {
    assertThat(LogRecords.problem(decision(), LOG.getPublic()))
        .isEqualTo("it carries no log signature");
    KeyPair other = Keys.generate(SignatureAlgorithm.ED25519);
    assertThat(LogRecords.problem(LogRecords.sign(decision(), other.getPrivate()), LOG.getPublic()))
        .contains("does not verify");
    Decision d = decision();
    d.setLogSignature(LogRecords.sign(SampleRecords.entry(3), LOG.getPrivate()).getLogSignature());
    assertThat(LogRecords.problem(d, LOG.getPublic())).contains("does not verify");
  }
}
