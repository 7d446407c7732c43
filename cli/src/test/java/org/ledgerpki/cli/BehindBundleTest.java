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
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.tlog.Checkpoint;

/**
 * {@code ledgerpki status} and {@code verify} say when the answer's checkpoint names a policy
 * serial above the trust bundle's, and say it again in the failure when the answer then does not
 * verify (cosigned by a cosigner the old bundle does not know).
 */
class BehindBundleTest {
  private static final TestConsortium TC = TestConsortium.get();
  private static final byte[] HASH = new byte[32];

  @TempDir Path dir;
  private Path trust;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final byte[] cert =
      TestPki.vendor(
              SignatureAlgorithm.ED25519, TestConsortium.organization("vendor-a"), "nf-gov", 0)
          .der();

  @BeforeEach
  void bundle() throws Exception {
    trust = RelyingPartyFixture.trust(dir); // policy serial 1
  }

  /**
   * The log's checkpoint with its status line and a policy line naming {@code serial}, cosigned
   * (cosignature/v1) by {@code cosigners}, who may include the outsider "mallory".
   */
  private static String checkpoint(TestLog log, long serial, List<String> cosigners, long t) {
    Checkpoint cp =
        new Checkpoint(
            log.origin(),
            log.tree().size(),
            log.tree().rootAt(log.tree().size()),
            List.of(
                log.status().commitment().extensionLine(),
                new PolicyCommitment(serial, HASH).extensionLine()));
    List<NoteSigner> signers = new ArrayList<>();
    signers.add(TC.log().noteSigner());
    StringBuilder sb = new StringBuilder(Notes.sign(cp.body(), signers));
    for (String id : cosigners) {
      MemberKeys m = id.equals("mallory") ? TC.outsider() : TC.member(id);
      sb.append(m.ed25519Cosigner().cosign(cp, t).line()).append('\n');
    }
    return sb.toString();
  }

  private String answer(long serial, List<String> cosigners) {
    TestLog log = new TestLog();
    long i = log.add(cert);
    String note = checkpoint(log, serial, cosigners, now.getEpochSecond());
    return log.goodAnswer(i, log.tree().size(), note, now, now.plusSeconds(300)).toJson();
  }

  private Run status(FakeNode node) throws Exception {
    Path f = Files.createTempFile(dir, "cert", ".der");
    Files.write(f, cert);
    return run("status", f.toString(), "--trust", trust.toString(), "--node", node.url());
  }

  @Test
  void aVerifiedAnswerUnderANewerPolicySaysTheBundleIsBehind() throws Exception {
    try (FakeNode node = new FakeNode().serving(answer(2, List.of("operator-b", "operator-c")))) {
      Run r = status(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.err())
          .contains(
              "the trust bundle is behind (serial 1, the answer needs 2): run ledgerpki trust"
                  + " update");
    }
  }

  @Test
  void aFailureUnderANewerPolicySaysTheBundleIsBehind() throws Exception {
    // Cosigned by a member admitted at serial 2: the serial-1 bundle counts one cosigner of two.
    try (FakeNode node = new FakeNode().serving(answer(2, List.of("operator-b", "mallory")))) {
      Run r = status(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("ledgerpki status: not verified:")
          .contains("valid cosignatures from 1 cosigner(s)")
          .contains(
              "; the trust bundle is behind (serial 1, the answer needs 2): run ledgerpki trust"
                  + " update");
    }
  }

  @Test
  void noNoticeWhenTheBundleIsCurrent() throws Exception {
    try (FakeNode node = new FakeNode().serving(answer(1, List.of("operator-b", "operator-c")))) {
      Run r = status(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.err()).doesNotContain("behind");
    }
    try (FakeNode node = new FakeNode().serving(answer(1, List.of("operator-b", "mallory")))) {
      Run r = status(node);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("valid cosignatures from 1 cosigner(s)")
          .doesNotContain("behind");
    }
  }

  @Test
  void verifySaysTheBundleIsBehindWhenTheRevocationDataFails() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(cert);
    String note = checkpoint(log, 3, List.of("operator-b", "mallory"), now.getEpochSecond());
    Path status = Files.createTempFile(dir, "status", ".json");
    Files.writeString(
        status, log.goodAnswer(i, log.tree().size(), note, now, now.plusSeconds(300)).toJson());
    byte[] mtc =
        RelyingPartyFixture.mtcCertificate(log, i, cert, List.of("operator-b", "operator-c"));
    Path mtcFile = Files.createTempFile(dir, "mtc", ".der");
    Files.write(mtcFile, mtc);
    Run r =
        run(
            "verify",
            mtcFile.toString(),
            "--trust",
            trust.toString(),
            "--status",
            status.toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
    assertThat(r.out()).contains("NOT VALID").contains("the revocation data did not verify");
    assertThat(r.err())
        .contains(
            "the trust bundle is behind (serial 1, the answer needs 3): run ledgerpki trust"
                + " update");
  }
}
