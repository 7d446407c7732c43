package org.ledgerpki.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgerpki.cli.RelyingPartyFixture.run;

import java.net.ServerSocket;
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
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestLog;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.core.verify.CompactAnswer;
import org.ledgerpki.core.verify.StatusAnswer;
import org.ledgerpki.core.verify.StatusCheckpoints;
import org.ledgerpki.core.verify.TrustBundle;

/**
 * {@code ledgerpki status} against an inquiry node double: verified statuses map to their exit
 * codes, and every answer a lying node can make up (malformed, about another certificate, a stale
 * replay, an older checkpoint) exits NOT_VERIFIED with its reason on stderr, never with REVOKED's
 * code.
 */
class StatusCommandTest {
  private static final List<String> COSIGNERS = List.of("operator-b", "operator-c");
  private static final String ORG = TestConsortium.organization("vendor-a");

  @TempDir Path dir;
  private Path trust;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final byte[] a = cert("nf-a", 0);
  private final byte[] b = cert("nf-b", 1);

  private static byte[] cert(String cn, int slot) {
    return TestPki.vendor(SignatureAlgorithm.ED25519, ORG, cn, slot).der();
  }

  @BeforeEach
  void bundle() throws Exception {
    trust = RelyingPartyFixture.trust(dir);
  }

  private Path file(byte[] der) throws Exception {
    Path p = Files.createTempFile(dir, "cert", ".der");
    Files.write(p, der);
    return p;
  }

  private static String hex(byte[] der) {
    return Hex.encode(Sha256.hash(der));
  }

  /**
   * An answer about {@code index}, against a checkpoint of the log as it is, cosigned at {@code t}.
   */
  private static StatusAnswer answer(TestLog log, long index, Instant t) {
    String note = log.cosignedCheckpoint(COSIGNERS, t.getEpochSecond());
    return log.goodAnswer(index, log.tree().size(), note, t, t.plusSeconds(300));
  }

  /** Makes the trust bundle require the ML-DSA-44 status cosignatures (ADR 0010). */
  private void requirePqStatusCosignatures() throws Exception {
    Files.writeString(
        trust,
        TrustBundle.fromPolicy(TestConsortium.get().policy())
            .withStatusCosignatures(TrustBundle.STATUS_ED25519_ML_DSA_44)
            .toJson());
  }

  private Run status(FakeNode node, String what, String... more) {
    List<String> args = new ArrayList<>(List.of("status", what, "--trust", trust.toString()));
    args.addAll(List.of("--node", node.url()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void aVerifiedGoodAnswerExitsZeroAndShowsItsSignedFreshness() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(a);
    try (FakeNode node = new FakeNode().serving(answer(log, i, now).toJson())) {
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .startsWith("GOOD  " + hex(a))
          .contains("signed at " + now)
          .contains("maxAgeSeconds " + TestConsortium.get().policy().checkpointMaxAge().toSeconds())
          .contains("no lifecycle event")
          .doesNotContain("nextUpdate");
      // With the certificate in hand it is POSTed, so the node can find its entry by any encoding.
      assertThat(node.last.get()).isEqualTo("POST /v1/status");
    }
  }

  @Test
  void byHashTheAnswerMustCarryTheCertificateAskedAbout() throws Exception {
    TestLog log = new TestLog();
    long ia = log.add(a);
    long ib = log.add(b);
    try (FakeNode node = new FakeNode().serving(answer(log, ia, now).toJson())) {
      Run good = status(node, hex(a));
      assertThat(good.code()).as("%s", good).isEqualTo(ExitCodes.OK);
      assertThat(good.out()).contains("whose SHA-256 is the one asked");

      // Asked about b, the node answers with a's valid GOOD answer.
      Run other = status(node, hex(b));
      assertThat(other.code()).as("%s", other).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(other.out()).startsWith("NOT VERIFIED").doesNotContain("GOOD  ");
      assertThat(other.err())
          .contains("whose SHA-256 is " + hex(a))
          .contains("not the hash asked " + hex(b));

      // The same with the certificate in hand: a's entry is not b's.
      Run held = status(node, file(b).toString());
      assertThat(held.code()).as("%s", held).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(held.err()).contains("is not the MTC log entry of this certificate");
      assertThat(ib).isEqualTo(2);
    }
  }

  @Test
  void aKeyCompromisedThroughAnotherEntryIsRevokedAndNamesThatEntry() throws Exception {
    byte[] sameKey = cert("nf-a-renewed", 0);
    TestLog log = new TestLog();
    long ia = log.add(a);
    long is = log.add(sameKey);
    log.lifecycle(ia, Lifecycle.Operation.REVOKE, Lifecycle.REASON_KEY_COMPROMISE, 1000);
    try (FakeNode node = new FakeNode().serving(answer(log, is, now).toJson())) {
      Run r = status(node, file(sameKey).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.REVOKED);
      assertThat(r.out())
          .startsWith("REVOKED  " + hex(sameKey))
          .contains("deciding event: status event 0: REVOKE -> REVOKED, reason keyCompromise")
          .contains("reported compromised")
          .contains(Hex.encode(log.entryId(ia).leafHash()))
          .contains(hex(a));
    }
  }

  @Test
  void aNullInAProofListIsMalformedNotRevoked() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(a);
    StatusAnswer g = answer(log, i, now);
    List<String> proof = new ArrayList<>(g.inclusionProof());
    proof.set(0, null);
    StatusAnswer bad =
        new StatusAnswer(
            g.certificateSha256(),
            "REVOKED",
            g.log(),
            g.index(),
            g.entry(),
            proof,
            g.checkpoint(),
            null,
            null,
            g.statusProof(),
            g.certificate(),
            g.producedAt(),
            g.nextUpdate());
    try (FakeNode node = new FakeNode().serving(bad.toJson())) {
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("malformed").contains("inclusionProof[0] is null");
      assertThat(r.err().strip().lines()).hasSize(1);
    }
    try (FakeNode node = new FakeNode().serving("{\"status\":\"REVOKED\",\"index\":\"x\"}")) {
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("not a status answer");
    }
  }

  @Test
  void aStaleReplayWithAFreshNextUpdateIsRefused() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(a);
    long maxAge = TestConsortium.get().policy().checkpointMaxAge().toSeconds();
    Instant old = now.minusSeconds(maxAge + 600);
    StatusAnswer replay = answer(log, i, old);
    StatusAnswer refreshed =
        new StatusAnswer(
            replay.certificateSha256(),
            replay.status(),
            replay.log(),
            replay.index(),
            replay.entry(),
            replay.inclusionProof(),
            replay.checkpoint(),
            null,
            null,
            replay.statusProof(),
            replay.certificate(),
            now.toString(),
            now.plusSeconds(3600).toString());
    try (FakeNode node = new FakeNode().serving(refreshed.toJson())) {
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("stale checkpoint").contains(Long.toString(maxAge));
    }
  }

  @Test
  void withStateAnOlderCheckpointIsARollback() throws Exception {
    Path state = dir.resolve("state/rp.json");
    TestLog log = new TestLog();
    long i = log.add(a);
    StatusAnswer small = answer(log, i, now);
    log.add(b);
    StatusAnswer large = answer(log, i, now);
    try (FakeNode node = new FakeNode().serving(large.toJson())) {
      Run first = status(node, file(a).toString(), "--state", state.toString());
      assertThat(first.code()).as("%s", first).isEqualTo(ExitCodes.OK);
      assertThat(Files.readString(state)).contains(log.origin()).contains("\"size\" : 3");

      node.serving(small.toJson());
      Run back = status(node, file(a).toString(), "--state", state.toString());
      assertThat(back.code()).as("%s", back).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(back.err()).contains("rollback").contains("tree size 2, older than the size 3");
      // Without the state the same answer verifies: it is the remembered checkpoint that refuses.
      assertThat(status(node, file(a).toString()).code()).isEqualTo(ExitCodes.OK);
      assertThat(Files.readString(state)).contains("\"size\" : 3");
    }
  }

  @Test
  void withStateAFreshCheckpointWithFewerStatusEventsIsARollback() throws Exception {
    Path state = dir.resolve("rp.json");
    TestLog log = new TestLog();
    long ia = log.add(a);
    long ib = log.add(b);
    StatusAnswer before = answer(log, ia, now);
    log.lifecycle(ib, Lifecycle.Operation.REVOKE, Lifecycle.REASON_SUPERSEDED, 1000);
    StatusAnswer after = answer(log, ia, now);
    try (FakeNode node = new FakeNode().serving(after.toJson())) {
      assertThat(status(node, file(a).toString(), "--state", state.toString()).code())
          .isEqualTo(ExitCodes.OK);
      node.serving(before.toJson());
      Run r = status(node, file(a).toString(), "--state", state.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err())
          .contains("rollback")
          .contains("commits to 0 status events, fewer than the 1");
    }
  }

  @Test
  void withStateAnotherRootAtTheSameSizeIsASplitView() throws Exception {
    Path state = dir.resolve("rp.json");
    byte[] c = cert("nf-c", 2);
    TestLog one = new TestLog();
    long i = one.add(a);
    one.add(b);
    TestLog two = new TestLog();
    two.add(a);
    two.add(c);
    try (FakeNode node = new FakeNode().serving(answer(one, i, now).toJson())) {
      assertThat(status(node, file(a).toString(), "--state", state.toString()).code())
          .isEqualTo(ExitCodes.OK);
      node.serving(answer(two, i, now).toJson());
      Run r = status(node, file(a).toString(), "--state", state.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("rollback: split view").contains("at tree size 3");
    }
  }

  @Test
  void aBadStateFileIsAUsageError() throws Exception {
    Path state = dir.resolve("rp.json");
    Files.writeString(state, "{\"logs\": 7}");
    TestLog log = new TestLog();
    long i = log.add(a);
    try (FakeNode node = new FakeNode().serving(answer(log, i, now).toJson())) {
      Run r = status(node, file(a).toString(), "--state", state.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("--state").contains("not a ledgerpki state file");
    }
  }

  /** A loopback port nothing listens on. */
  private static String deadNode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port;
  }

  @Test
  void anUnreachableNodeFailsHardByDefault() throws Exception {
    Run r = run("status", "ab".repeat(32), "--trust", "trust.json", "--node", deadNode());
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.out()).contains("HARD-FAIL").contains("could not be reached");
  }

  @Test
  void softFailIsExplicitAndHasItsOwnExitCode() throws Exception {
    Run r =
        run(
            "status",
            "ab".repeat(32),
            "--trust",
            "trust.json",
            "--node",
            deadNode(),
            "--fail-mode",
            "soft");
    assertThat(r.code()).isEqualTo(ExitCodes.SOFT_FAIL);
    assertThat(r.out()).contains("SOFT-FAIL").contains("WITHOUT a verified answer");
  }

  @Test
  void aBadFailModeIsAUsageError() {
    Run r = run("status", "ab".repeat(32), "--trust", "t.json", "--fail-mode", "maybe");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--fail-mode must be hard or soft");
  }

  /** An answer about {@code index} that names its checkpoint {@code note}. */
  private static StatusAnswer named(TestLog log, long index, String note) throws Exception {
    return log.goodAnswer(index, log.tree().size(), note, Instant.EPOCH, Instant.EPOCH)
        .withCheckpointSha256(StatusCheckpoints.sha256(note));
  }

  @Test
  void aCompactAnswerAgainstAHeldCheckpointVerifies() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(a);
    String note = log.cosignedCheckpoint(COSIGNERS, now.getEpochSecond());
    Path held = dir.resolve("checkpoint.txt");
    Files.writeString(held, note);
    try (FakeNode node = new FakeNode().serving(named(log, i, note).toJson())) {
      node.compact.set(CompactAnswer.encode(named(log, i, note).withoutCheckpoint()));
      Run r = status(node, file(a).toString(), "--compact", "--checkpoint", held.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).startsWith("GOOD  " + hex(a)).contains("signed at " + now);
      assertThat(r.err()).contains("compact answer").contains("against the checkpoint held");
      assertThat(node.lastHeld.get()).isEqualTo(StatusCheckpoints.sha256(note));

      // Without the held checkpoint the same answer cannot be checked: not verified, not GOOD.
      Run bare = status(node, file(a).toString(), "--compact");
      assertThat(bare.code()).as("%s", bare).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(bare.err()).contains("holds no checkpoints");
      assertThat(node.lastHeld.get()).isNull();
    }
  }

  @Test
  void aLyingNodeCannotPassProofsForAnotherCheckpointOffAsTheHeldOne() throws Exception {
    TestLog log = new TestLog();
    long i = log.add(a);
    String older = log.cosignedCheckpoint(COSIGNERS, now.getEpochSecond());
    log.add(b);
    String newer = log.cosignedCheckpoint(COSIGNERS, now.getEpochSecond());
    Path held = dir.resolve("older.txt");
    Files.writeString(held, older);
    StatusAnswer forNewer = named(log, i, newer);
    StatusAnswer misnamed =
        forNewer.withCheckpoint(null).withCheckpointSha256(StatusCheckpoints.sha256(older));
    try (FakeNode node = new FakeNode().serving(misnamed.toJson())) {
      Run r = status(node, file(a).toString(), "--checkpoint", held.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(r.err()).contains("inclusion proof");
    }
  }

  @Test
  void aCheckpointFileThatDoesNotVerifyIsBadUsage() throws Exception {
    TestLog log = new TestLog();
    log.add(a);
    Path forged = dir.resolve("forged.txt");
    Files.writeString(forged, log.cosignedCheckpoint(List.of("operator-b"), now.getEpochSecond()));
    try (FakeNode node = new FakeNode().serving("{}")) {
      Run r = status(node, file(a).toString(), "--checkpoint", forged.toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("does not verify").contains("requires 2");
      assertThat(node.requests.get()).isZero();
    }
  }

  @Test
  void aBundleRequiringPqStatusCosignaturesFetchesAndHoldsTheFullCheckpoint() throws Exception {
    requirePqStatusCosignatures();
    TestLog log = new TestLog();
    long i = log.add(a);
    String edOnly = log.fullyCosignedCheckpoint(COSIGNERS, now.getEpochSecond());
    String full = log.withStatusCosignatures(edOnly, COSIGNERS, now.getEpochSecond());
    // The answer carries the note as JSON answers do: without the PQ status lines.
    try (FakeNode node = new FakeNode().serving(named(log, i, edOnly).toJson())) {
      node.checkpoint.set(full);
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.out())
          .startsWith("GOOD  " + hex(a))
          .contains("cosignature/v1 and ML-DSA-44 status cosignature timestamps");
      assertThat(r.err()).contains("requires ML-DSA-44 status cosignatures").contains("holding");
      assertThat(node.fetched.get()).isEqualTo(1);
      assertThat(node.lastHeld.get()).isEqualTo(StatusCheckpoints.sha256(full));

      // A node whose /v1/checkpoint lacks them: the status claim is not verified.
      node.checkpoint.set(edOnly);
      Run lacking = status(node, file(a).toString());
      assertThat(lacking.code()).as("%s", lacking).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(lacking.err())
          .contains("requires ML-DSA-44 status cosignatures")
          .contains("found 0 []");
    }
  }

  @Test
  void aNodeThatTakesANewerCheckpointBetweenFetchAndAnswerIsAskedAgainBoundedly() throws Exception {
    requirePqStatusCosignatures();
    TestLog log = new TestLog();
    long i = log.add(a);
    long t = now.getEpochSecond();
    String older =
        log.withStatusCosignatures(log.fullyCosignedCheckpoint(COSIGNERS, t), COSIGNERS, t);
    log.add(b);
    String newerEdOnly = log.fullyCosignedCheckpoint(COSIGNERS, t);
    String newer = log.withStatusCosignatures(newerEdOnly, COSIGNERS, t);
    try (FakeNode node = new FakeNode().serving(named(log, i, newerEdOnly).toJson())) {
      // The first /v1/checkpoint serves the older checkpoint; the answer is against the newer.
      node.nextCheckpoints.add(older);
      node.checkpoint.set(newer);
      Run r = status(node, file(a).toString());
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).startsWith("GOOD  " + hex(a));
      assertThat(r.err()).contains("answered against a newer checkpoint");
      assertThat(node.fetched.get()).isEqualTo(2);
      assertThat(node.requests.get()).isEqualTo(2);
      assertThat(node.lastHeld.get()).contains(StatusCheckpoints.sha256(newer));

      // A node that answers against a checkpoint it never serves: a bounded number of requests,
      // and the answer is not verified.
      node.requests.set(0);
      node.fetched.set(0);
      node.checkpoint.set(older);
      Run lying = status(node, file(a).toString());
      assertThat(lying.code()).as("%s", lying).isEqualTo(ExitCodes.NOT_VERIFIED);
      assertThat(node.requests.get()).isEqualTo(FullNoteFetch.ATTEMPTS);
      assertThat(node.fetched.get()).isEqualTo(FullNoteFetch.ATTEMPTS);
    }
  }
}
