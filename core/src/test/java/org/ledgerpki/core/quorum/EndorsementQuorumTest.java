package org.ledgerpki.core.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.evidence.SubmissionStatement;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.EndorsementQuorum.Reason;
import org.ledgerpki.core.quorum.EndorsementQuorum.Standing;
import org.ledgerpki.core.quorum.EndorsementQuorum.Subject;
import org.ledgerpki.core.quorum.EndorsementQuorum.Tally;
import org.ledgerpki.core.quorum.EndorsementQuorum.Verdict;
import org.ledgerpki.core.testkit.TestConsortium;

/** The one endorsement-quorum rule: each way a verdict is ignored, and each standing. */
class EndorsementQuorumTest {
  private static final TestConsortium C = TestConsortium.get();
  private static final TrustPolicy POLICY = C.policy(); // k = 2 of n = 3
  private static final BatchVerifier VERIFIER = new BatchVerifier();
  private static final byte[] CERT = Sha256.hash(new byte[] {1});
  private static final byte[] OTHER_CERT = Sha256.hash(new byte[] {2});
  private static final Subject ISSUE = new Subject("s-1", "ISSUE", "vendor-a", CERT);

  private static EndorsementStatement statement(
      String validator, String id, String op, String submitter, byte[] cert, String verdict) {
    return new EndorsementStatement(
        id, op, submitter, cert, validator, verdict, List.of(), 1_700_000_000_000L);
  }

  private static Verdict<String> signed(MemberKeys signer, EndorsementStatement s) {
    BatchSigner b =
        new BatchSigner(
            signer.id(), signer.endorsement().getPrivate(), signer.endorsement().getPublic());
    BatchEvidence ev = b.sign(EndorsementStatement.KIND, List.of(s.encode())).get(0);
    return Verdict.check(POLICY, VERIFIER, s, ev, s.validator());
  }

  private static Verdict<String> endorse(String validator) {
    return signed(
        C.member(validator), statement(validator, "s-1", "ISSUE", "vendor-a", CERT, "ENDORSE"));
  }

  private static Verdict<String> reject(String validator) {
    return signed(
        C.member(validator), statement(validator, "s-1", "ISSUE", "vendor-a", CERT, "REJECT"));
  }

  private static Tally<String> decide(List<Verdict<String>> verdicts) {
    return EndorsementQuorum.decide(POLICY, ISSUE, verdicts);
  }

  @Test
  void twoDistinctEndorsementsMeetTheQuorum() {
    Tally<String> t = decide(List.of(endorse("vendor-a"), endorse("operator-b")));
    assertEquals(Standing.MET, t.standing());
    assertEquals(Set.of("vendor-a", "operator-b"), t.organisations());
    assertEquals(List.of("vendor-a", "operator-b"), t.deciding());
    assertTrue(t.ignored().isEmpty(), t.ignored().toString());
  }

  @Test
  void oneEndorsementIsPending() {
    Tally<String> t = decide(List.of(endorse("vendor-a")));
    assertEquals(Standing.PENDING, t.standing());
    assertEquals(List.of(), t.deciding());
    assertTrue(t.shortfall().contains("1 valid endorsement(s)"), t.shortfall());
  }

  @Test
  void aDuplicateOrganisationCountsOnce() {
    Verdict<String> again =
        signed(
            C.member("vendor-a"),
            new EndorsementStatement(
                "s-1", "ISSUE", "vendor-a", CERT, "vendor-a", "ENDORSE", List.of(), 42L));
    Tally<String> t = decide(List.of(endorse("vendor-a"), again));
    assertEquals(Standing.PENDING, t.standing());
    assertEquals(1, t.ignored(Reason.DUPLICATE_ORGANISATION).size());
  }

  @Test
  void moreThanNMinusKRejectionsReject() {
    Tally<String> one = decide(List.of(reject("vendor-a")));
    assertEquals(Standing.PENDING, one.standing(), "1 reject of n - k = 1 is not yet decisive");
    Tally<String> t =
        decide(List.of(reject("vendor-a"), endorse("operator-b"), reject("operator-c")));
    assertEquals(Standing.REJECTED, t.standing());
    assertEquals(List.of("vendor-a", "operator-c"), t.deciding());
    assertEquals(2, t.ignored(Reason.REJECT_VERDICT).size());
  }

  @Test
  void aNonMemberIsIgnored() {
    MemberKeys mallory = C.outsider();
    Verdict<String> v =
        signed(mallory, statement(mallory.id(), "s-1", "ISSUE", "vendor-a", CERT, "ENDORSE"));
    Tally<String> t = decide(List.of(v, endorse("vendor-a")));
    assertEquals(Standing.PENDING, t.standing());
    assertEquals(Reason.NOT_A_MEMBER, t.ignored().get(0).reason());
  }

  @Test
  void aSignatureWithAnotherMembersKeyIsIgnored() {
    // operator-b's verdict, signed with vendor-a's endorsement key.
    EndorsementStatement s = statement("operator-b", "s-1", "ISSUE", "vendor-a", CERT, "ENDORSE");
    MemberKeys a = C.member("vendor-a");
    BatchEvidence forged =
        new BatchSigner("operator-b", a.endorsement().getPrivate(), a.endorsement().getPublic())
            .sign(EndorsementStatement.KIND, List.of(s.encode()))
            .get(0);
    Verdict<String> v = Verdict.check(POLICY, VERIFIER, s, forged, "forged");
    assertNotNull(v.signatureFault());
    Tally<String> t = decide(List.of(endorse("vendor-a"), v));
    assertEquals(Standing.PENDING, t.standing());
    assertEquals(Reason.BAD_SIGNATURE, t.ignored().get(0).reason());
    assertTrue(
        t.ignored().get(0).detail().contains("is not a endorsement key"), t.ignored().toString());
  }

  @Test
  void verdictsOnAnotherSubmissionDoNotCount() {
    List<Verdict<String>> foreign = new ArrayList<>();
    foreign.add(
        signed(
            C.member("vendor-a"),
            statement("vendor-a", "s-2", "ISSUE", "vendor-a", CERT, "ENDORSE")));
    foreign.add(
        signed(
            C.member("operator-b"),
            statement("operator-b", "s-1", "ISSUE", "operator-c", CERT, "ENDORSE")));
    foreign.add(
        signed(
            C.member("operator-c"),
            statement("operator-c", "s-1", "REVOKE", "vendor-a", CERT, "ENDORSE")));
    foreign.add(
        signed(
            C.member("operator-b"),
            statement("operator-b", "s-1", "ISSUE", "vendor-a", OTHER_CERT, "ENDORSE")));
    Tally<String> t = decide(foreign);
    assertEquals(Standing.PENDING, t.standing());
    assertEquals(
        List.of(
            Reason.WRONG_SUBMISSION,
            Reason.WRONG_SUBMITTER,
            Reason.WRONG_OPERATION,
            Reason.WRONG_CERTIFICATE),
        t.ignored().stream().map(EndorsementQuorum.Ignored::reason).toList());
    assertTrue(t.organisations().isEmpty());
  }

  @Test
  void anInvalidVerdictDoesNotBlockTheOrganisationsValidOne() {
    Verdict<String> wrong =
        signed(
            C.member("vendor-a"),
            statement("vendor-a", "s-9", "ISSUE", "vendor-a", CERT, "ENDORSE"));
    Tally<String> t = decide(List.of(wrong, endorse("vendor-a"), endorse("operator-c")));
    assertEquals(Standing.MET, t.standing());
    assertEquals(Set.of("vendor-a", "operator-c"), t.organisations());
  }

  @Test
  void theSubjectOfASubmissionIsItsCertificateOrItsTarget() {
    SubmissionStatement issue =
        new SubmissionStatement("i", "ISSUE", "vendor-a", CERT, null, null, 1L);
    assertEquals(
        new Subject("i", "ISSUE", "vendor-a", CERT).toString(), Subject.of(issue).toString());
    SubmissionStatement revoke =
        new SubmissionStatement("r", "REVOKE", "operator-b", null, OTHER_CERT, 1, 1L);
    assertTrue(java.util.Arrays.equals(OTHER_CERT, Subject.of(revoke).certificateSha256()));
    SubmissionStatement renew =
        new SubmissionStatement("n", "RENEW", "vendor-a", CERT, OTHER_CERT, 4, 1L);
    assertTrue(java.util.Arrays.equals(OTHER_CERT, Subject.of(renew).certificateSha256()));
    assertNull(endorse("vendor-a").signatureFault());
  }
}
