package org.ledgerpki.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldBoundsTest {
  private static final byte[] HASH = new byte[32];

  private static SubmissionStatement statement(String submitter, Integer reason) {
    return new SubmissionStatement("id-1", "REVOKE", submitter, null, HASH, reason, 0L);
  }

  private static BatchEvidence evidence(long size, long index, int proofHashes) {
    return new BatchEvidence(
        "vendor-a",
        "0011223344556677",
        size,
        index,
        java.util.Collections.nCopies(proofHashes, new byte[32]),
        new byte[64]);
  }

  @Test
  void theEncoderRefusesAnOutOfRangeFieldByName() {
    assertThatThrownBy(() -> statement("a".repeat(70_000), 1).encode())
        .isInstanceOf(StatementEncodingException.class)
        .hasMessageContaining(
            "field 'submitter' is 70000 bytes; the encoding allows at most 65535");
    assertThatThrownBy(() -> statement("vendor-a", 70_000).encode())
        .isInstanceOf(StatementEncodingException.class)
        .hasMessageContaining("field 'reasonCode' must be a uint16 (0..65535), found 70001");
  }

  @Test
  void unsignableNamesTheField() {
    assertThat(FieldBounds.unsignable("id", "vendor-a", HASH)).isEmpty();
    assertThat(FieldBounds.unsignable("", "vendor-a", HASH))
        .hasValue("submissionId must be 1 to 128 bytes, found 0");
    assertThat(FieldBounds.unsignable("id", "v".repeat(64), HASH))
        .hasValue("submitter must be a member id of 1 to 63 bytes, found 64");
    assertThat(FieldBounds.unsignable("id", "vendor-a", new byte[33]))
        .hasValue("the certificate hash must be 32 bytes, found 33");
  }

  @Test
  void submissionProblemsListEveryFieldOutOfBounds() {
    assertThat(FieldBounds.submissionProblems(statement("vendor-a", 1), evidence(2, 1, 1)))
        .isEmpty();
    List<String> p = FieldBounds.submissionProblems(statement("vendor-a", 11), evidence(2, 2, 65));
    assertThat(p)
        .containsExactly(
            "reasonCode must be an RFC 5280 CRLReason (0..10), found 11",
            "signature.leafIndex must be 0..1, found 2",
            "signature.proof must have at most 64 hashes, found 65");
  }

  @Test
  void aLongDetailIsCutOnACharacterBoundary() {
    String d = "é".repeat(5000);
    String cut = FieldBounds.boundedDetail(d);
    assertThat(FieldBounds.utf8Length(cut))
        .isLessThanOrEqualTo(FieldBounds.MAX_REASON_DETAIL_BYTES);
    assertThat(cut).startsWith("éé").endsWith("…");
    assertThat(FieldBounds.boundedDetail("short")).isEqualTo("short");
  }
}
