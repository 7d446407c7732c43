package org.ledgerpki.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgerpki.cli.ConsortiumFiles;
import org.ledgerpki.cli.GeneratedConsortium;
import org.ledgerpki.client.SubmissionClient;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.policy.PolicyDocument;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.cosign.CosignerTopology;
import org.ledgerpki.embedded.JvmService;
import org.ledgerpki.embedded.KafkaFixture;
import org.ledgerpki.launcher.demo.LocalConsortium;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LedgerSerdes;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignatureKind;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.streams.ServiceConfig;
import org.ledgerpki.streams.StreamsRuntime;

/**
 * A cosign-stream ({@code ledgerpki run cosigner}: one member's cosigner and the only instance of
 * the shared aggregator) runs in its own JVM and is killed with SIGKILL in the middle of a load,
 * then restarted on the same state directory. The other two cosigners run in this JVM as bare
 * cosigner applications (no aggregator instance), so the kill is a crash of a cosigner and of the
 * aggregator at once. Exactly-once v2 and the stores must keep every output single and right: the
 * restarted cosigner signs only the mirror's roots and never one size twice with different roots,
 * the aggregator publishes each checkpoint body once (again only as a heartbeat, with fresh
 * cosignatures), allocates each landmark once, and every entry ends up under a cosigned checkpoint
 * and a cosigned landmark.
 */
class CosignCrashIT {
  static final List<String> IDS = List.of("vendor-a", "operator-b", "operator-c");
  static final String VICTIM = "operator-c";
  static final int LOAD = 600;
  static final int BATCH = 25;
  static final int KILL_AT = 120;
  static final Duration TIMEOUT = Duration.ofSeconds(150);

  @TempDir Path dir;

  @Test
  void aKilledCosignerAndAggregatorResumeWithoutLosingOrDuplicatingAnything() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String prefix = KafkaFixture.uniquePrefix("cosign-crash");
    GeneratedConsortium base =
        GeneratedConsortium.generate("cosign-crash", IDS, "32473.1", 2, 2, "seed", "200ms", "3s");
    // Heartbeats every 2 s, so that re-publications of one body happen around the crash.
    PolicyDocument doc =
        base.document().withCheckpoints(new PolicyDocument.Checkpoints("200ms", 5000, "2s", "10s"));
    GeneratedConsortium g = new GeneratedConsortium(base.log(), base.members(), doc);
    ConsortiumFiles files = new ConsortiumFiles(dir.resolve("consortium"));
    TrustPolicy policy = files.write(g.log(), g.members(), g.document());
    int m = policy.cosignerQuorum();
    String org = policy.member("vendor-a").orElseThrow().organization();

    Path home = Path.of(System.getProperty("ledgerpki.home", "..")).toAbsolutePath().normalize();
    Path launcherJar = home.resolve("launcher/target/ledgerpki.jar");
    assertThat(launcherJar)
        .as("the launcher is packaged before the integration tests run")
        .exists();
    LocalConsortium.Connection conn =
        new LocalConsortium.Connection(
            kafka.bootstrapServers(), kafka.registryUrl(), prefix, dir.resolve("state"));
    Map<String, String> env =
        Map.of(
            "LEDGERPKI_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
            "LEDGERPKI_REGISTRY_URL", kafka.registryUrl(),
            "LEDGERPKI_POLICY", files.policy().toString(),
            "LEDGERPKI_TOPICS_PREFIX", prefix,
            "LEDGERPKI_STATE_DIR", dir.resolve("state").resolve("cosigner-" + VICTIM).toString(),
            "LEDGERPKI_ORG", VICTIM,
            "LEDGERPKI_KEYS_COSIGNER_ED25519", files.cosignerEd25519Key(VICTIM).toString(),
            "LEDGERPKI_KEYS_COSIGNER_MLDSA44", files.cosignerMlDsaKey(VICTIM).toString());

    List<byte[]> certs = new ArrayList<>();
    for (int i = 0; i < LOAD; i++) {
      certs.add(IssuanceCrashIT.cert(org, i));
    }
    List<AutoCloseable> inProcess = new ArrayList<>();
    try (LocalConsortium ledger =
            LocalConsortium.start(
                conn,
                files.policy(),
                g.log(),
                g.members(),
                EnumSet.of(LocalConsortium.Service.VALIDATORS, LocalConsortium.Service.ISSUANCE),
                TIMEOUT);
        LedgerSerdes serdes = LedgerSerdes.registry(kafka.registryUrl())) {
      Topics topics = LocalConsortium.config(conn, files.policy(), "observer").topics(serdes);
      for (MemberKeys member : g.members()) {
        if (!member.id().equals(VICTIM)) {
          inProcess.add(bareCosigner(conn, files.policy(), member, inProcess));
        }
      }
      JvmService first = startCosignStream(launcherJar, env, dir.resolve("cosign-1.log"));
      JvmService second = null;
      try (LedgerReader<LedgerEntry> entries =
              new LedgerReader<>(kafka.bootstrapServers(), topics.entries());
          LedgerReader<Cosignature> cosignatures =
              new LedgerReader<>(kafka.bootstrapServers(), topics.cosignatures());
          LedgerReader<CosignedCheckpoint> cosigned =
              new LedgerReader<>(kafka.bootstrapServers(), topics.cosigned());
          LedgerReader<Landmark> landmarks =
              new LedgerReader<>(kafka.bootstrapServers(), topics.landmarks());
          LedgerReader<org.ledgerpki.schemas.avro.Checkpoint> checkpoints =
              new LedgerReader<>(kafka.bootstrapServers(), topics.checkpoints())) {
        KeyPair submitKey = g.members().get(0).submission();
        // A first batch warms the whole pipeline up: the kill must come while the load runs, not
        // after a slow start of the cosign-stream JVM let the load finish.
        SubmissionClient.submit(
            "vendor-a",
            submitKey,
            certs.subList(0, BATCH),
            kafka.bootstrapServers(),
            kafka.registryUrl(),
            prefix,
            null);
        await(
            first,
            "the first batch cosigned by " + VICTIM + " and published by its aggregator",
            () ->
                maxCheckpointCosigned(cosignatures.poll(), VICTIM) == BATCH + 1
                    && maxSize(cosigned.poll()) == BATCH + 1);
        CompletableFuture<Void> load =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    for (int i = BATCH; i < LOAD; i += BATCH) {
                      SubmissionClient.submit(
                          "vendor-a",
                          submitKey,
                          certs.subList(i, i + BATCH),
                          kafka.bootstrapServers(),
                          kafka.registryUrl(),
                          prefix,
                          null);
                      Thread.sleep(500);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        await(
            first,
            "checkpoints of " + KILL_AT + " entries cosigned by " + VICTIM + " and published",
            () ->
                maxCheckpointCosigned(cosignatures.poll(), VICTIM) >= KILL_AT
                    && maxSize(cosigned.poll()) >= KILL_AT);
        first.kill();
        // What the killed JVM committed (read_committed stops before its open transactions).
        int entriesAtKill = entries.untilEnd(TIMEOUT).size();
        long victimAtKill = maxCheckpointCosigned(cosignatures.untilEnd(TIMEOUT), VICTIM);
        List<CosignedCheckpoint> beforeKill = cosigned.untilEnd(TIMEOUT);
        long cosignedAtKill = maxSize(beforeKill);
        int publishedAtKill = beforeKill.size();
        int cosignaturesAtKill = cosignatures.poll().size();
        second = startCosignStream(launcherJar, env, dir.resolve("cosign-2.log"));
        load.join();
        List<LedgerEntry> all = entries.until(l -> l.size() >= LOAD + 1, TIMEOUT);
        assertThat(all).as("every certificate was sequenced").hasSize(LOAD + 1);
        final long last = LOAD + 1;
        JvmService restarted = second;
        // Barriers: the restarted cosigner cosigned the whole log, the aggregator published it,
        // re-published it on a heartbeat, and a cosigned landmark covers every entry.
        await(
            restarted,
            "the restarted "
                + VICTIM
                + " cosigns size "
                + last
                + ", the aggregator publishes it"
                + " and re-publishes it on a heartbeat, and a landmark of that size is cosigned",
            () -> {
              List<CosignedCheckpoint> cs = cosigned.poll();
              return maxCheckpointCosigned(cosignatures.poll(), VICTIM) == last
                  && cs.stream().filter(c -> c.getSize() == last).count() >= 2
                  && landmarks.poll().stream()
                      .anyMatch(
                          l -> l.getState() == LandmarkState.COSIGNED && l.getTreeSize() == last);
            });
        List<Cosignature> sigs = cosignatures.untilEnd(TIMEOUT);
        List<CosignedCheckpoint> published = cosigned.untilEnd(TIMEOUT);
        List<Landmark> lms = landmarks.untilEnd(TIMEOUT);
        List<org.ledgerpki.schemas.avro.Checkpoint> logCheckpoints = checkpoints.untilEnd(TIMEOUT);
        System.out.printf(
            "cosign crash: killed at %d entries, %s's cosignatures up to size %d, cosigned up to"
                + " %d; afterwards %d cosignatures (%d before), %d cosigned, %d landmark"
                + " records%n",
            entriesAtKill,
            VICTIM,
            victimAtKill,
            cosignedAtKill,
            sigs.size(),
            cosignaturesAtKill,
            published.size(),
            lms.size());

        assertThat(entriesAtKill)
            .as(
                "killed inside the load: after some certificates were sequenced, before all %d",
                LOAD)
            .isGreaterThan(1)
            .isLessThan(LOAD + 1);
        assertThat(victimAtKill)
            .as("killed while %s still had checkpoints to cosign", VICTIM)
            .isGreaterThan(1)
            .isLessThan(last);
        assertThat(cosignedAtKill)
            .as("killed while the aggregator still had checkpoints to publish")
            .isGreaterThan(1)
            .isLessThan(last);

        MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.get(i).getIndex()).as("contiguous entries").isEqualTo(i);
          tree.append(Rfc9162.leafHash(Evidence.bytes(all.get(i).getEntry())));
        }
        // The restarted JVM resumed from its stores: it neither re-cosigned nor re-published
        // below what it had done before the kill.
        for (Cosignature c : sigs.subList(cosignaturesAtKill, sigs.size())) {
          if (c.getCosigner().equals(VICTIM) && c.getKind() == CosignatureKind.CHECKPOINT) {
            assertThat(c.getEnd())
                .as("%s after the restart cosigns no size below %d", VICTIM, victimAtKill)
                .isGreaterThanOrEqualTo(victimAtKill);
          }
        }
        for (CosignedCheckpoint c : published.subList(publishedAtKill, published.size())) {
          assertThat(c.getSize())
              .as("the restarted aggregator publishes no size below %d", cosignedAtKill)
              .isGreaterThanOrEqualTo(cosignedAtKill);
        }
        checkCosignatures(sigs, logCheckpoints, tree, last);
        checkPublished(published, policy, tree, m, last);
        checkLandmarks(lms, tree, last);
      } finally {
        if (second != null) {
          second.close();
        }
        first.close();
      }
    } finally {
      for (int i = inProcess.size() - 1; i >= 0; i--) {
        inProcess.get(i).close();
      }
    }
  }

  /**
   * Every cosigner (the restarted one included) signs only the mirror's roots and subtree hashes,
   * never one size with two roots, and cosigns a checkpoint body at most as often as the log issued
   * it, each time with another timestamp.
   */
  private static void checkCosignatures(
      List<Cosignature> sigs,
      List<org.ledgerpki.schemas.avro.Checkpoint> logCheckpoints,
      MerkleTree tree,
      long last) {
    Map<String, Integer> issued = new HashMap<>();
    for (var c : logCheckpoints) {
      issued.merge(c.getSize() + "/" + Hex.encode(bodySha256(c.getNote())), 1, Integer::sum);
    }
    Map<String, String> rootBySize = new HashMap<>();
    Map<String, List<Long>> timesByBody = new HashMap<>();
    Map<String, String> hashBySubtree = new HashMap<>();
    for (Cosignature c : sigs) {
      String who = c.getCosigner();
      byte[] hash = Evidence.bytes(c.getHash());
      if (c.getKind() == CosignatureKind.CHECKPOINT) {
        assertThat(c.getEnd()).as("a cosigned size of %s within the log", who).isBetween(1L, last);
        assertThat(Hex.encode(hash))
            .as("the root %s cosigned at size %d is the mirror's", who, c.getEnd())
            .isEqualTo(Hex.encode(tree.rootAt(c.getEnd())));
        String earlier = rootBySize.putIfAbsent(who + "@" + c.getEnd(), Hex.encode(hash));
        assertThat(earlier == null ? Hex.encode(hash) : earlier)
            .as("%s cosigned size %d with one root only", who, c.getEnd())
            .isEqualTo(Hex.encode(hash));
        String body = c.getEnd() + "/" + Hex.encode(Evidence.bytes(c.getBodySha256()));
        // Not asserted: distinct timestamps. A checkpoint parked until the mirror catches up and
        // its heartbeat re-issue parked behind it are both cosigned when the mirror drains, in
        // the same second (the "twice within a second is a replay" rule is only applied on
        // arrival), crash or not.
        List<Long> times = timesByBody.computeIfAbsent(who + "@" + body, k -> new ArrayList<>());
        times.add(c.getTimestamp());
        assertThat(times.size())
            .as("%s cosigned checkpoint %s at most as often as the log issued it", who, body)
            .isLessThanOrEqualTo(issued.getOrDefault(body, 0));
      } else {
        assertThat(Hex.encode(hash))
            .as("the subtree [%d, %d) %s signed is the mirror's", c.getStart(), c.getEnd(), who)
            .isEqualTo(Hex.encode(tree.subtreeHash(c.getStart(), c.getEnd())));
        String earlier =
            hashBySubtree.putIfAbsent(
                who + "@" + c.getStart() + "-" + c.getEnd(), Hex.encode(hash));
        assertThat(earlier == null ? Hex.encode(hash) : earlier)
            .as("%s signed subtree [%d, %d) with one hash only", who, c.getStart(), c.getEnd())
            .isEqualTo(Hex.encode(hash));
      }
    }
  }

  /**
   * Each published checkpoint verifies with the mirror's root; one size has one root; a body is
   * published again only as a heartbeat, with at least m cosignatures newer than its previous
   * publication (a replay after the crash would repeat the old ones).
   */
  private static void checkPublished(
      List<CosignedCheckpoint> published, TrustPolicy policy, MerkleTree tree, int m, long last)
      throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(TrustBundle.fromPolicy(policy));
    Map<Long, String> rootBySize = new HashMap<>();
    Map<String, VerifiedCheckpoint> previous = new HashMap<>();
    int republished = 0;
    for (CosignedCheckpoint c : published) {
      VerifiedCheckpoint v = verifier.verify(c.getNote());
      long size = v.checkpoint().size();
      String root = Hex.encode(v.checkpoint().rootHash());
      assertThat(root)
          .as("published root at size %d", size)
          .isEqualTo(Hex.encode(tree.rootAt(size)));
      String held = rootBySize.putIfAbsent(size, root);
      assertThat(held == null ? root : held).as("one root for size %d", size).isEqualTo(root);
      String body = size + "/" + Hex.encode(bodySha256(c.getNote()));
      VerifiedCheckpoint before = previous.put(body, v);
      if (before != null) {
        republished++;
        long newer =
            v.bodyCosignatureTimes().entrySet().stream()
                .filter(
                    e -> {
                      Long t = before.bodyCosignatureTimes().get(e.getKey());
                      return t == null || e.getValue() > t;
                    })
                .count();
        assertThat(newer)
            .as(
                "checkpoint %s published again as a heartbeat (cosignature times %s, before %s)",
                body, v.bodyCosignatureTimes(), before.bodyCosignatureTimes())
            .isGreaterThanOrEqualTo(m);
      }
    }
    assertThat(maxSize(published)).as("the whole log is cosigned").isEqualTo(last);
    assertThat(republished).as("heartbeat re-publications seen").isPositive();
  }

  /**
   * Landmark numbers are allocated once each with one size, follow each other without a gap or an
   * overlap, and every cosigned one carries the mirror's subtree hashes.
   */
  private static void checkLandmarks(List<Landmark> lms, MerkleTree tree, long last) {
    TreeMap<Long, Landmark> allocated = new TreeMap<>();
    java.util.Set<Long> cosignedNumbers = new java.util.HashSet<>();
    for (Landmark l : lms) {
      if (l.getState() == LandmarkState.ALLOCATED) {
        Landmark held = allocated.putIfAbsent(l.getNumber(), l);
        assertThat(held)
            .as(
                "landmark %d allocated once (sizes %s and %d)",
                l.getNumber(), held == null ? "-" : held.getTreeSize(), l.getTreeSize())
            .isNull();
      } else {
        assertThat(cosignedNumbers.add(l.getNumber()))
            .as("landmark %d published COSIGNED once", l.getNumber())
            .isTrue();
        for (SignedSubtree s : l.getSubtrees()) {
          assertThat(Hex.encode(Evidence.bytes(s.getHash())))
              .as("landmark %d's subtree [%d, %d)", l.getNumber(), s.getStart(), s.getEnd())
              .isEqualTo(Hex.encode(tree.subtreeHash(s.getStart(), s.getEnd())));
        }
      }
    }
    for (Landmark l : lms) {
      if (l.getState() == LandmarkState.COSIGNED) {
        assertThat(allocated.get(l.getNumber()))
            .as("cosigned landmark %d was allocated", l.getNumber())
            .isNotNull();
        assertThat(l.getTreeSize())
            .as("landmark %d is cosigned at its allocated size", l.getNumber())
            .isEqualTo(allocated.get(l.getNumber()).getTreeSize());
      }
    }
    assertThat(allocated.size()).as("landmarks allocated during the run").isGreaterThan(1);
    Landmark before = null;
    for (Landmark l : allocated.values()) {
      if (before != null) {
        assertThat(l.getNumber()).as("landmark numbers").isEqualTo(before.getNumber() + 1);
        assertThat(l.getPreviousTreeSize())
            .as("landmark %d starts where %d ends", l.getNumber(), before.getNumber())
            .isEqualTo(before.getTreeSize());
        assertThat(l.getTreeSize()).as("landmark sizes grow").isGreaterThan(before.getTreeSize());
      }
      before = l;
    }
    assertThat(before.getTreeSize()).as("the last landmark covers every entry").isEqualTo(last);
  }

  private static byte[] bodySha256(String note) {
    try {
      return Sha256.hash(
          Checkpoint.fromNote(Note.parse(note)).body().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException("a checkpoint note that does not parse: " + e, e);
    }
  }

  private static long maxCheckpointCosigned(List<Cosignature> sigs, String cosigner) {
    return sigs.stream()
        .filter(c -> c.getKind() == CosignatureKind.CHECKPOINT && c.getCosigner().equals(cosigner))
        .mapToLong(Cosignature::getEnd)
        .max()
        .orElse(0);
  }

  private static long maxSize(List<CosignedCheckpoint> cps) {
    return cps.stream().mapToLong(CosignedCheckpoint::getSize).max().orElse(0);
  }

  /** Polls {@code done} until it holds; fails if {@code child} dies or on the timeout. */
  private static void await(JvmService child, String what, BooleanSupplier done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!done.getAsBoolean()) {
      if (!child.isAlive()) {
        throw new AssertionError(
            "waiting for: " + what + "; the cosign-stream JVM exited:\n" + child.logTail(40));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "expected within "
                + TIMEOUT
                + ": "
                + what
                + "; the cosign-stream log ends with:\n"
                + child.logTail(40));
      }
      Thread.sleep(50);
    }
  }

  /** A member's cosigner application alone, as its cosign-stream runs it but with no aggregator. */
  private static AutoCloseable bareCosigner(
      LocalConsortium.Connection conn, Path policyFile, MemberKeys member, List<AutoCloseable> out)
      throws InterruptedException {
    ServiceConfig config = LocalConsortium.config(conn, policyFile, "cosigner-" + member.id());
    LedgerSerdes serdes = config.openSerdes();
    out.add(serdes);
    Topics topics = config.topics(serdes);
    StreamsRuntime.provision(config, topics);
    StreamsRuntime rt =
        StreamsRuntime.start(
            "cosigner/" + member.id(),
            CosignerTopology.build(config.policy(), member, topics, Clock.systemUTC()),
            StreamsRuntime.properties(
                config,
                CosignerTopology.applicationId(conn.topicPrefix(), member.id()),
                Duration.ofMillis(100)));
    if (!rt.awaitRunning(TIMEOUT)) {
      rt.close();
      throw new IllegalStateException("the cosigner of " + member.id() + " did not start");
    }
    return rt;
  }

  private static JvmService startCosignStream(Path launcherJar, Map<String, String> env, Path log) {
    return JvmService.start(
        "cosign-stream",
        log.getParent(),
        List.of("-Xmx512m"),
        List.of(launcherJar.toString()),
        "org.ledgerpki.launcher.LedgerPki",
        List.of("run", "cosigner"),
        env,
        log);
  }
}
