package org.ledgerpki.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.HeldCheckpoints;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.TrustBundle;
import picocli.CommandLine;

/**
 * The answer-size bench measures only answers that verify: with keyCompromise events in the map
 * (each at its entry key and its compromised-key key), the GOOD answer's two proofs of absence
 * still lead to the checkpoint's map root; the P4 forms verify as their clients verify them, and
 * their sizes differ by exactly what each leaves out.
 */
class AnswerSizeBenchTest {
  private static SizedLedger.Setup setup;
  private static SizedLedger.State[] states;

  @BeforeAll
  static void setUp() throws Exception {
    setup = SizedLedger.setUp(40, 3, "ecdsa-p256");
    states = SizedLedger.states(setup, 25);
  }

  @Test
  void everyMeasuredAnswerVerifies() {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          new CommandLine(new AnswerSizeBench())
              .execute("--certs", "40", "--events", "0,25", "--samples", "20", "--cosigners", "2");
    } finally {
      System.setOut(out);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text).contains("| 0 | **").contains("| 25 | **");
    // Per event count, six forms each of GOOD and REVOKED, with the goal and whether it is met.
    assertThat(text.lines().filter(l -> l.matches("\\| GOOD \\| \\(\\d\\) .*met \\|"))).hasSize(12);
    assertThat(text.lines().filter(l -> l.matches("\\| REVOKED \\| \\(\\d\\) .*met \\|")))
        .hasSize(12);
    assertThat(text).contains("| GOOD | (6) compact + held, query carries the certificate | **");
    assertThat(text).contains("≤ 700 | met |").contains("≤ 1,500 | not met |");
  }

  @Test
  void eachFormVerifiesWithTheAnswersStatus() throws Exception {
    for (SizedLedger.State st : states) {
      List<AnswerFormSizes.Form> forms = AnswerFormSizes.forms(setup, st, 2);
      String status = st.revocation() == null ? "GOOD" : "REVOKED";
      assertThat(forms).hasSize(6);
      assertThat(forms).allSatisfy(f -> assertThat(f.verifiedAs()).isEqualTo(status));
      assertThat(forms).allSatisfy(f -> assertThat(f.status()).isEqualTo(status));
      // A held form's checkpoint is left out, so it verified against the held checkpoint.
      assertThat(forms)
          .allSatisfy(
              f -> {
                StatusAnswer a =
                    f.compact()
                        ? CompactAnswer.decode(f.body())
                        : StatusAnswer.fromJson(new String(f.body(), StandardCharsets.UTF_8));
                assertThat(a.checkpoint() == null).as(f.form()).isEqualTo(f.held());
              });
    }
  }

  @Test
  void theHeldFormsAreSmallerByExactlyTheNoteAndCompactIsSmallerThanJson() throws Exception {
    for (SizedLedger.State st : states) {
      String full = SizedLedger.note(setup, st, 2);
      int statusNote = StatusCheckpoints.statusForm(full).getBytes(StandardCharsets.UTF_8).length;
      int der = setup.der().length;
      List<AnswerFormSizes.Form> f = AnswerFormSizes.forms(setup, st, 2);
      // JSON: the note's string literal (at least the note's bytes, plus escapes) becomes null.
      assertThat(f.get(0).bytes() - f.get(1).bytes())
          .isEqualTo(f.get(0).note() - "null".length())
          .isGreaterThanOrEqualTo(full.getBytes(StandardCharsets.UTF_8).length - 2);
      // Compact: the status-form note, behind a length prefix that stays.
      assertThat(f.get(2).bytes() - f.get(4).bytes()).isEqualTo(statusNote);
      assertThat(f.get(3).bytes() - f.get(5).bytes()).isEqualTo(statusNote);
      // Carrying the certificate in the query saves its DER.
      assertThat(f.get(2).bytes() - f.get(3).bytes()).isEqualTo(der);
      assertThat(f.get(4).bytes() - f.get(5).bytes()).isEqualTo(der);
      // The status form keeps the Ed25519 lines only: far smaller than the full note.
      assertThat(statusNote).isLessThan(full.length() / 10);
      // Compact is smaller than JSON with the same checkpoint knowledge.
      assertThat(f.get(2).bytes()).isLessThan(f.get(0).bytes());
      assertThat(f.get(4).bytes()).isLessThan(f.get(1).bytes());
    }
  }

  @Test
  void aHeldFormDoesNotVerifyForAClientThatDoesNotHoldTheCheckpoint() throws Exception {
    byte[] target = Sha256.hash(setup.der());
    for (SizedLedger.State st : states) {
      List<AnswerFormSizes.Form> f = AnswerFormSizes.forms(setup, st, 2);
      StatusAnswer byHash = CompactAnswer.decode(f.get(4).body());
      StatusAnswer carrying = CompactAnswer.decode(f.get(5).body());
      assertThatThrownBy(() -> setup.verifier().verifyByHash(byHash, target, setup.now(), null))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("holds no checkpoints");
      HeldCheckpoints none = new HeldCheckpoints(TrustBundle.fromPolicy(setup.policy()));
      assertThatThrownBy(() -> setup.verifier().verify(carrying, setup.der(), setup.now(), none))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("does not hold");
      // The form without the certificate cannot be checked by hash alone.
      assertThatThrownBy(
              () ->
                  setup
                      .verifier()
                      .verifyByHash(CompactAnswer.decode(f.get(3).body()), target, setup.now()))
          .hasMessageContaining("carries no certificate");
    }
  }

  @Test
  void theRevokedAnswerProvesItsOwnKeyCompromiseEventAtBothKeys() throws Exception {
    SizedLedger.State revoked = states[1];
    assertThat(revoked.revocation()).isNotNull();
    assertThat(revoked.commitment().count()).isEqualTo(26);
    StatusAnswer a = CompactAnswer.decode(AnswerFormSizes.forms(setup, revoked, 2).get(5).body());
    assertThat(a.statusProof().event()).isNotNull().isEqualTo(a.statusProof().keyEvent());
    assertThat(states[0].commitment().count()).isEqualTo(25);
    // Against the GOOD answer, it carries the event at both keys and its own proofs' siblings.
    SizedLedger.State good = states[0];
    int siblings =
        revoked.entryProof().siblings().size()
            + revoked.keyProof().siblings().size()
            - good.entryProof().siblings().size()
            - good.keyProof().siblings().size();
    assertThat(
            AnswerFormSizes.forms(setup, revoked, 2).get(5).bytes()
                - AnswerFormSizes.forms(setup, good, 2).get(5).bytes())
        .isEqualTo(2 * revoked.revocation().encode().length + 32 * siblings);
  }
}
