package org.ledgerpki.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Verdict;

class QuorumRuleTest {

  private static Endorsement verdict(String validator, Verdict v) {
    return Endorsement.newBuilder()
        .setSubmissionId("s")
        .setOperation(Operation.ISSUE)
        .setSubmitter("vendor-a")
        .setCertificateSha256(Evidence.buffer(new byte[32]))
        .setValidator(validator)
        .setVerdict(v)
        .setReasons(List.of())
        .setValidatedAt(java.time.Instant.EPOCH)
        .setSignature(Evidence.unsigned(validator))
        .build();
  }

  /** "E" endorse, "R" reject, one letter per organisation o0, o1, ... ("-" for none). */
  private static List<Endorsement> verdicts(String letters) {
    List<Endorsement> out = new ArrayList<>();
    for (int i = 0; i < letters.length(); i++) {
      char c = letters.charAt(i);
      if (c != '-') {
        out.add(verdict("o" + i, c == 'E' ? Verdict.ENDORSE : Verdict.REJECT));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "k={0} of n={1}: {2} -> {3}")
  @CsvSource({
    "2, 3, E, PENDING",
    "2, 3, EE, ACCEPTED",
    "2, 3, ER, PENDING",
    "2, 3, ERR, REJECTED",
    "2, 3, RR, REJECTED",
    "2, 3, R, PENDING",
    "1, 1, E, ACCEPTED",
    "1, 1, R, REJECTED",
    "3, 3, EER, REJECTED",
    "3, 3, EEE, ACCEPTED",
    "1, 3, RRE, ACCEPTED",
    "1, 3, RR, PENDING",
    "1, 3, RRR, REJECTED",
    "3, 5, RREE, PENDING",
    "3, 5, RRER, REJECTED",
  })
  void decidesOnDistinctOrganisations(int k, int n, String letters, QuorumRule.Standing want) {
    assertThat(new QuorumRule(k, n).decide(verdicts(letters)).standing()).isEqualTo(want);
  }

  @ParameterizedTest(name = "k={0} of n={1}")
  @CsvSource({"2, 3", "3, 5", "1, 1"})
  void oneOrganisationCountsOnceHoweverOftenItSpeaks(int k, int n) {
    List<Endorsement> same = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      same.add(verdict("o0", Verdict.ENDORSE));
      same.add(verdict("o1", Verdict.REJECT));
    }
    QuorumRule.Result r = new QuorumRule(k, n).decide(same);
    QuorumRule.Standing want = k <= 1 ? QuorumRule.Standing.ACCEPTED : QuorumRule.Standing.PENDING;
    assertThat(r.standing()).isEqualTo(want);
  }

  @ParameterizedTest
  @CsvSource({"2, 3, EEE", "2, 3, RRR"})
  void theDecidingVerdictsAreTheWinningSide(int k, int n, String letters) {
    QuorumRule.Result r = new QuorumRule(k, n).decide(verdicts(letters));
    assertThat(r.deciding())
        .hasSize(3)
        .extracting(Endorsement::getValidator)
        .containsExactly("o0", "o1", "o2");
  }

  @ParameterizedTest
  @CsvSource({"0, 3", "4, 3", "1, 0"})
  void aQuorumOutsideOneToNIsRefused(int k, int n) {
    assertThatThrownBy(() -> new QuorumRule(k, n))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=" + k);
  }
}
