package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.cli.RelyingPartyFixture.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.RelyingPartyFixture.FakeNode;
import org.ledgerpki.cli.RelyingPartyFixture.Run;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.mtc.MtcCertificate;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * {@code ledgerpki verify}: an MTC certificate is VALID only with a verified GOOD status for its
 * own log entry; with no revocation data it is not VALID unless the check is skipped on purpose,
 * and then the output says so.
 */
class VerifyCommandTest {
  private static final List<String> COSIGNERS = List.of("operator-b", "operator-c");
  private static final String ORG = TestConsortium.organization("vendor-a");

  @TempDir Path dir;
  private Path trust;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final byte[] a = TestPki.vendor(SignatureAlgorithm.ED25519, ORG, "amf-a", 0).der();
  private final byte[] b = TestPki.vendor(SignatureAlgorithm.ED25519, ORG, "amf-b", 1).der();
  private TestLog log;
  private long ia;
  private long ib;

  @BeforeEach
  void ledger() throws Exception {
    trust = RelyingPartyFixture.trust(dir);
    log = new TestLog();
    ia = log.add(a);
    ib = log.add(b);
  }

  private Path mtcFile(long index, byte[] der) throws Exception {
    Path p = Files.createTempFile(dir, "mtc", ".der");
    Files.write(p, RelyingPartyFixture.mtcCertificate(log, index, der, COSIGNERS));
    return p;
  }

  private Path answerFile(long index) throws Exception {
    String note = log.cosignedCheckpoint(COSIGNERS, now.getEpochSecond());
    StatusAnswer ans = log.goodAnswer(index, log.tree().size(), note, now, now.plusSeconds(300));
    Path p = Files.createTempFile(dir, "status", ".json");
    Files.writeString(p, ans.toJson());
    return p;
  }

  private Run verify(Path mtc, String... more) {
    List<String> args =
        new ArrayList<>(List.of("verify", mtc.toString(), "--trust", trust.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void withoutRevocationDataItIsNotValid() throws Exception {
    Run r = verify(mtcFile(ia, a));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(r.out()).startsWith("NOT VALID").contains("no revocation data");
    assertThat(r.out().lines()).noneMatch(l -> l.startsWith("VALID"));
    assertThat(r.err()).contains("no revocation data");
  }

  @Test
  void skippingTheRevocationCheckSaysThatNothingWasChecked() throws Exception {
    Run r = verify(mtcFile(ia, a), "--no-revocation-check");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("VALID (revocation NOT checked)").contains("may be revoked");
    Run both = verify(mtcFile(ia, a), "--no-revocation-check", "--status", "x.json");
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aVerifiedGoodStatusOfTheSameEntryMakesItValid() throws Exception {
    // The answer is about the submitted certificate; the MTC certificate maps to the same entry.
    Run r = verify(mtcFile(ia, a), "--status", answerFile(ia).toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .startsWith("VALID  ")
        .contains("revocation: GOOD, verified")
        .contains(Hex.encode(log.entryId(ia).leafHash()))
        .contains("signed at " + now);
  }

  @Test
  void aRevokedEntryIsNotValidEvenWithAValidProof() throws Exception {
    Path mtc = mtcFile(ia, a);
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, Lifecycle.REASON_SUPERSEDED, 1000);
    Run r = verify(mtc, "--status", answerFile(ia).toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(r.out())
        .startsWith("NOT VALID")
        .contains("REVOKED (verified)")
        .contains("REVOKE -> REVOKED, reason superseded");
  }

  @Test
  void aGoodAnswerAboutAnotherEntryIsRefused() throws Exception {
    Run r = verify(mtcFile(ia, a), "--status", answerFile(ib).toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(r.out()).startsWith("NOT VALID");
    assertThat(r.err())
        .contains("the revocation data did not verify")
        .contains("is not the MTC log entry of this certificate");
  }

  @Test
  void aStaleSavedAnswerIsRefused() throws Exception {
    long maxAge = TestConsortium.get().policy().checkpointMaxAge().toSeconds();
    Instant old = now.minusSeconds(maxAge + 60);
    String note = log.cosignedCheckpoint(COSIGNERS, old.getEpochSecond());
    Path p = dir.resolve("old.json");
    Files.writeString(
        p, log.goodAnswer(ia, log.tree().size(), note, now, now.plusSeconds(3600)).toJson());
    Run r = verify(mtcFile(ia, a), "--status", p.toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(r.err()).contains("stale checkpoint");
  }

  @Test
  void withNodeItPostsTheMtcCertificateAndSavesTheAnswer() throws Exception {
    Path mtc = mtcFile(ia, a);
    Path saved = dir.resolve("saved.json");
    String answer = Files.readString(answerFile(ia));
    try (FakeNode node = new FakeNode().serving(answer)) {
      Run r =
          verify(mtc, "--node", node.url(), "--save-status", saved.toString(), "--landmark-only");
      // --landmark-only: a standalone certificate cannot verify without its signatures.
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);

      Run ok = verify(mtc, "--node", node.url(), "--save-status", saved.toString());
      assertThat(ok.code()).as("%s", ok).isEqualTo(ExitCodes.OK);
      assertThat(node.last.get()).isEqualTo("POST /v1/status");
      assertThat(node.lastBody.get()).isEqualTo(Files.readAllBytes(mtc));
    }
    assertThat(Files.readString(saved)).isEqualTo(answer);
    // Offline, from the saved answer.
    assertThat(verify(mtc, "--status", saved.toString()).code()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void theMtcCertificateIsItsEntry() throws Exception {
    MtcCertificate mtc =
        MtcCertificate.parse(RelyingPartyFixture.mtcCertificate(log, ia, a, COSIGNERS));
    assertThat(mtc.entryHash()).isEqualTo(log.entryId(ia).leafHash());
  }
}
