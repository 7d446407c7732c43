package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.policy.GovernanceQuorum;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestGovernance;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.avro.GovernanceAct;

/**
 * {@code ledgerpki policy propose | approve | show} against an in-memory {@code ledger.governance}:
 * what they write is an act that counts, and bad input (a wrong serial, a document that cannot
 * follow, a key that is not the member's) is refused with a message that says why.
 */
class PolicyCommandTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final MemberKeys A = TC.member("vendor-a");
  private static final MemberKeys B = TC.member("operator-b");

  @TempDir Path dir;
  private final TrustPolicy p1 = TC.policy();
  private final TrustPolicy p2 = TestGovernance.adding(p1, TC.outsider());

  /** ledger.governance in memory. */
  static final class Ledger implements GovernanceLedger {
    final List<GovernanceAct> acts = new ArrayList<>();

    @Override
    public List<GovernanceAct> acts() {
      return List.copyOf(acts);
    }

    @Override
    public long write(GovernanceAct act) {
      acts.add(act);
      return acts.size() - 1;
    }

    @Override
    public String governanceTopic() {
      return "ledger.governance";
    }
  }

  record Out(int code, String out, String err) {}

  private static Out capture(Callable<Integer> c) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = c.call();
      return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private PolicyCommand.Propose propose(String org, Path file) {
    PolicyCommand.Propose p = new PolicyCommand.Propose();
    p.org = org;
    p.file = file;
    return p;
  }

  private PolicyCommand.Approve approve(String org, String serial) {
    PolicyCommand.Approve a = new PolicyCommand.Approve();
    a.org = org;
    a.serial = serial;
    return a;
  }

  private Path file(TrustPolicy p) throws Exception {
    Path f = Files.createTempFile(dir, "policy-" + p.serial() + "-", ".yaml");
    Files.write(f, p.documentBytes());
    return f;
  }

  @Test
  void aProposalCarriesTheExactDocumentAndTheProposersApproval() throws Exception {
    Ledger ledger = new Ledger();
    Path f = file(p2);
    Out r = capture(() -> propose("vendor-a", f).act(p1, A.submission(), ledger));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("member added: mallory")
        .contains("Proposed policy serial 2")
        .contains("It takes effect once 2 of the 3 current members approved it");
    assertThat(ledger.acts).hasSize(1);
    GovernanceAct act = ledger.acts.get(0);
    assertThat(Evidence.bytes(act.getDocument())).isEqualTo(Files.readAllBytes(f));
    assertThat(
            GovernanceQuorum.check(
                p1, 2, p2.sha256(), Governance.approval(act), Signatures.defaults()))
        .as("the proposer's approval counts")
        .isEmpty();
  }

  @Test
  void aDocumentThatCannotFollowIsRefusedWithTheRule() throws Exception {
    Ledger ledger = new Ledger();
    TrustPolicy skipping = TestGovernance.next(p2, d -> d); // serial 3 after serial 1
    Out r = capture(() -> propose("vendor-a", file(skipping)).act(p1, A.submission(), ledger));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("cannot follow the current policy (serial 1")
        .contains("wrong-serial: expected serial 2, found 3");
    assertThat(ledger.acts).isEmpty();
  }

  @Test
  void approveShowsTheDiffAndWritesAnApprovalThatCounts() throws Exception {
    Ledger ledger = new Ledger();
    ledger.write(
        Governance.act(p1, p2, "vendor-a", A.submission().getPrivate(), true, Instant.now()));
    Out r = capture(() -> approve("operator-b", "2").act(p1, B.submission(), ledger));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("Proposal of policy serial 2 by vendor-a")
        .contains("member added: mallory")
        .contains("Approvals so far: 1 of 2 members approved [vendor-a]")
        .contains("2 of 2; the quorum is reached");
    assertThat(ledger.acts).hasSize(2);
    GovernanceAct approval = ledger.acts.get(1);
    assertThat(approval.getDocument()).isNull();
    assertThat(
            GovernanceQuorum.tally(
                    p1,
                    2,
                    p2.sha256(),
                    ledger.acts.stream().map(Governance::approval).toList(),
                    Signatures.defaults())
                .reached())
        .isTrue();

    Out again = capture(() -> approve("operator-b", "2").act(p1, B.submission(), ledger));
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("'operator-b' has already approved it; nothing written");
    assertThat(ledger.acts).hasSize(2);
  }

  @Test
  void approveRefusesAWrongSerialByName() throws Exception {
    Ledger ledger = new Ledger();
    ledger.write(
        Governance.act(p1, p2, "vendor-a", A.submission().getPrivate(), true, Instant.now()));
    Out past = capture(() -> approve("operator-b", "1").act(p1, B.submission(), ledger));
    assertThat(past.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(past.err())
        .contains("policy serial 1 is already in force or past: the current policy is serial 1");
    Out ahead = capture(() -> approve("operator-b", "3").act(p1, B.submission(), ledger));
    assertThat(ahead.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(ahead.err())
        .contains(
            "serial 3 cannot be approved yet: the current policy is serial 1, so the next is 2");
    Out junk = capture(() -> approve("operator-b", "two").act(p1, B.submission(), ledger));
    assertThat(junk.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(junk.err()).contains("SERIAL must be a decimal number, got 'two'");
    Out none = capture(() -> approve("operator-b", "2").act(p1, B.submission(), new Ledger()));
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("no proposal of serial 2 following the current policy");
    assertThat(ledger.acts).hasSize(1);
  }

  @Test
  void aProposalNamingAnotherPreviousPolicyIsIgnoredWithItsReason() throws Exception {
    Ledger ledger = new Ledger();
    TrustPolicy elsewhere = TC.policy(2, 1, "seed"); // not the current policy
    ledger.write(
        Governance.act(
            elsewhere, p2, "vendor-a", A.submission().getPrivate(), true, Instant.now()));
    Out r = capture(() -> approve("operator-b", "2").act(p1, B.submission(), ledger));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("ignored a proposal by vendor-a").contains("wrong-previous");
  }

  @Test
  void aKeyThatIsNotTheMembersIsRefused() {
    assertThat(PolicyCommand.signerFault(p1, "vendor-a", A.submission())).isEmpty();
    assertThat(PolicyCommand.signerFault(p1, "vendor-a", B.submission()))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("the key is not one of vendor-a's 1 submission key(s)")
                    .contains("(serial 1)"));
    assertThat(PolicyCommand.signerFault(p1, "mallory", TC.outsider().submission()))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("'mallory' is not a member of the current policy (serial 1)"));
  }

  @Test
  void showPrintsEachSerialWithWhatItChanged() throws Exception {
    PolicyHistory h =
        PolicyHistory.genesis(p1)
            .extend(
                PolicyNodeDouble.change(
                    p1,
                    p2,
                    List.of(TestGovernance.approve(A, p1, p2), TestGovernance.approve(B, p1, p2)),
                    5),
                Signatures.defaults());
    Out r =
        capture(
            () -> {
              PolicyCommand.Show.print(h);
              return 0;
            });
    assertThat(r.out())
        .contains("serial 1  sha256 ")
        .contains("genesis")
        .contains("serial 2  sha256 ")
        .contains("in force from index 5 / status 0, approved by [vendor-a, operator-b]")
        .contains("    member added: mallory")
        .contains("governance quorum 3");
  }
}
