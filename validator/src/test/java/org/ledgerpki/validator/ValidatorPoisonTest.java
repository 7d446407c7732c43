package org.ledgerpki.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.validator.ValidatorHarness.codes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.FieldBounds;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.Submissions;
import org.ledgerpki.schemas.avro.DeadLetter;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.Submission;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * A hostile member's poison records (issue 9, item 6): each is rejected MALFORMED_SUBMISSION or
 * dead-lettered with its reason, and the validator then still decides an honest submission (the
 * barrier). Each case runs on a fresh validator.
 */
class ValidatorPoisonTest {
  private static final String VENDOR_O = TestConsortium.organization("vendor-a");
  private static int serial;

  private ValidatorHarness h;

  @BeforeEach
  void start() {
    h = new ValidatorHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static byte[] cert() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "poison-" + serial++).der();
  }

  /** The barrier: an honest submission after the poison is still endorsed. */
  private void honestSubmissionIsStillDecided() {
    Endorsement e = h.judge(ValidatorHarness.issue("vendor-a", cert()));
    assertThat(e.getVerdict()).isEqualTo(Verdict.ENDORSE);
  }

  private Endorsement rejectedMalformed(Submission poison, String detail) {
    Endorsement e = h.judge(poison);
    assertThat(e.getVerdict()).isEqualTo(Verdict.REJECT);
    assertThat(codes(e)).contains(ReasonCode.MALFORMED_SUBMISSION);
    assertThat(e.getReasons().get(0).getDetail()).contains(detail);
    assertThat(h.deadLetters()).isEmpty();
    honestSubmissionIsStillDecided();
    return e;
  }

  private DeadLetter deadLettered(String key, byte[] value, String reason) {
    h.pipe(key, value);
    assertThat(h.verdicts()).as("no verdict on a dead-lettered record").isEmpty();
    List<DeadLetter> dead = h.deadLetters();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getReason()).contains(reason);
    assertThat(dead.get(0).getService()).isEqualTo("validator/operator-b");
    honestSubmissionIsStillDecided();
    return dead.get(0);
  }

  private static String repeat(int bytes) {
    return "x".repeat(bytes);
  }

  @Test
  void aReasonCodeOutOfRangeIsRejectedMalformed() {
    byte[] t = h.inLedger(cert(), "vendor-a");
    Submission s = ValidatorHarness.request("vendor-a", Operation.REVOKE, t, 1, null);
    s.setReasonCode(70000);
    rejectedMalformed(s, "reasonCode must be an RFC 5280 CRLReason (0..10), found 70000");
  }

  @Test
  void aNegativeReasonCodeIsRejectedMalformed() {
    byte[] t = h.inLedger(cert(), "vendor-a");
    Submission s = ValidatorHarness.request("vendor-a", Operation.SUSPEND, t, 6, null);
    s.setReasonCode(-2);
    rejectedMalformed(s, "found -2");
  }

  @Test
  void anOversizeSubmitterIsDeadLettered() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    s.setSubmitter(repeat(70_000));
    deadLettered(
        Submissions.keyOf(s),
        h.bytes(s),
        "submitter must be a member id of 1 to 63 bytes, found 70000");
  }

  @Test
  void aSubmitterJustOverTheMemberIdBoundIsDeadLettered() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    s.setSubmitter(repeat(FieldBounds.MAX_MEMBER_ID_BYTES + 1));
    deadLettered(Submissions.keyOf(s), h.bytes(s), "found 64");
  }

  @Test
  void anOversizeSubmissionIdIsDeadLettered() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    s.setSubmissionId(repeat(70_000));
    deadLettered(
        Submissions.keyOf(s), h.bytes(s), "submissionId must be 1 to 128 bytes, found 70000");
  }

  @Test
  void anOversizeTargetHashIsDeadLettered() {
    byte[] target = new byte[70_000];
    Submission s =
        ValidatorHarness.request("vendor-a", Operation.REVOKE, Sha256.hash(cert()), 1, null);
    s.setTargetCertificateSha256(ByteBuffer.wrap(target));
    deadLettered(
        Hex.encode(target), h.bytes(s), "the certificate hash must be 32 bytes, found 70000");
  }

  @Test
  void anOversizeProofListIsRejectedMalformed() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    List<ByteBuffer> proof = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      proof.add(ByteBuffer.wrap(new byte[32]));
    }
    s.getSignature().setProof(proof);
    rejectedMalformed(s, "signature.proof must have at most 64 hashes, found 1000");
  }

  @Test
  void anOversizeKeyIdAndBatchSizeAreRejectedMalformed() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    s.getSignature().setKeyId(repeat(70_000));
    s.getSignature().setBatchSize(-1);
    Endorsement e = rejectedMalformed(s, "signature.keyId must be at most 64 bytes, found 70000");
    assertThat(e.getReasons())
        .anySatisfy(r -> assertThat(r.getDetail()).contains("signature.batchSize"));
  }

  @Test
  void anUnknownOperationSymbolIsDeadLettered() {
    Submission s = ValidatorHarness.issue("vendor-a", cert());
    byte[] bytes = h.bytes(s);
    // Confluent framing (5 bytes), then submissionId (zig-zag varint length + UTF-8), then the
    // operation's enum index: make it 9, a symbol no reader knows.
    int at = 5;
    int len = 0;
    int shift = 0;
    int b;
    do {
      b = bytes[at++] & 0xff;
      len |= (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    at += (len >>> 1) ^ -(len & 1);
    assertThat(bytes[at]).as("ISSUE is index 0").isEqualTo((byte) 0);
    bytes[at] = 18; // zig-zag of 9
    deadLettered(Submissions.keyOf(s), bytes, "cannot decode a Submission");
  }

  @Test
  void garbageIsDeadLettered() {
    DeadLetter d =
        deadLettered(
            "k",
            "\u0000\u0000\u0000\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8),
            "cannot decode");
    assertThat(d.getValue()).isNotNull();
  }

  @Test
  void aLongRejectionDetailIsCutSoTheVerdictCanBeSigned() {
    // A certificate whose subject O is 30,000 characters: the ORGANIZATION_MISMATCH detail quotes
    // it; the verdict keeps it within the bound.
    byte[] der =
        TestPki.vendor(SignatureAlgorithm.ED25519, repeat(30_000), "long-o-" + serial++).der();
    Endorsement e = h.judge(ValidatorHarness.issue("vendor-a", der));
    assertThat(e.getVerdict()).isEqualTo(Verdict.REJECT);
    assertThat(codes(e)).contains(ReasonCode.ORGANIZATION_MISMATCH);
    assertThat(FieldBounds.utf8Length(e.getReasons().get(0).getDetail()))
        .isLessThanOrEqualTo(FieldBounds.MAX_REASON_DETAIL_BYTES);
    assertThat(e.getReasons().get(0).getDetail()).endsWith("…");
    honestSubmissionIsStillDecided();
  }
}
