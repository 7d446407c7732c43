package org.ledgerpki.schemas.inquiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.mtc.RevokedRange;

class InquiryJsonTest {

  private static final List<Landmark> LANDMARKS =
      List.of(
          new Landmark(
              1,
              8,
              0,
              List.of(
                  new Landmark.Subtree(
                      0, 8, "aGFzaA==", List.of(new Landmark.Cosignature("b", "1.2", "c2ln"))))));

  @Test
  void landmarksAreWrittenInTheDocumentedShapeAndReadBack() throws Exception {
    String json = new String(InquiryJson.write(LANDMARKS), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "[{\"number\":1,\"treeSize\":8,\"previousTreeSize\":0,\"subtrees\":[{\"start\":0,"
                + "\"end\":8,\"hash\":\"aGFzaA==\",\"signatures\":[{\"cosigner\":\"b\","
                + "\"cosignerId\":\"1.2\",\"signature\":\"c2ln\"}]}]}]");
    assertThat(InquiryJson.landmarks(json)).isEqualTo(LANDMARKS);
  }

  @Test
  void aLandmarkWithoutItsSignaturesIsRefusedNamingTheField() {
    String json =
        "[{\"number\":1,\"treeSize\":8,\"previousTreeSize\":0,\"subtrees\":[{\"start\":0,"
            + "\"end\":8,\"hash\":\"aGFzaA==\"}]}]";

    assertThatThrownBy(() -> InquiryJson.landmarks(json))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("missing field 'signatures'");
    assertThatThrownBy(() -> InquiryJson.landmarks("{}"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessage("expected a JSON array of landmarks");
  }

  @Test
  void aRevocationListIsReadBackAsWritten() throws Exception {
    RevocationList.Entry e =
        new RevocationList.Entry(
            3, BigInteger.valueOf(3), "ab", "SUSPENDED", null, 7, "2026-01-01T00:00:00Z");
    RevocationList list =
        new RevocationList(
            "oid/1.2", 1, 10, 7, "note", RevocationList.ranges(List.of(e)), List.of(e));

    String json = new String(InquiryJson.write(list), StandardCharsets.UTF_8);

    assertThat(json).contains("\"revokedRanges\":[{\"start\":3,\"end\":4}]", "\"reason\":null");
    assertThat(InquiryJson.revocations(json)).isEqualTo(list);
    assertThat(list.revokedRanges()).containsExactly(RevokedRange.of(3, 4));
  }
}
