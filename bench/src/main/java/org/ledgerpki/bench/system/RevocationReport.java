package org.ledgerpki.bench.system;

import java.util.List;
import java.util.function.ToLongFunction;
import org.ledgerpki.bench.system.RevocationWatch.Pending;

/** What {@code bench revocation} prints of the revocations it saw propagate: P5, then by stage. */
final class RevocationReport {
  /** Prints a line (a format and its arguments), as the benchmark prints its own. */
  interface Say {
    void say(String fmt, Object... args);
  }

  private RevocationReport() {}

  /**
   * Propagation to every node, each node alone, the nodes' difference, and the pipeline's stages.
   *
   * @param done the revocations every node showed REVOKED
   * @param revocations how many were requested
   * @param offered the rate they were requested at, per second
   * @param nodes how many inquiry nodes were polled
   */
  static void propagation(Say say, List<Pending> done, int revocations, double offered, int nodes) {
    Percentiles lat = new Percentiles(done.stream().mapToLong(Pending::latency).toArray());
    say.say(
        "%d of %d revocations shown REVOKED at both nodes (offered %.2f/s)",
        done.size(), revocations, offered);
    say.say(
        "  propagation request → REVOKED at both nodes: p50 %d ms, p99 %d ms, max %d ms",
        lat.at(50) / 1_000_000, lat.at(99) / 1_000_000, lat.at(100) / 1_000_000);
    for (int n = 0; n < nodes; n++) {
      int node = n;
      Percentiles pn =
          new Percentiles(done.stream().mapToLong(p -> p.seen.get(node) - p.t0).toArray());
      say.say(
          "  node %d alone: p50 %d ms, p99 %d ms, max %d ms",
          n, pn.at(50) / 1_000_000, pn.at(99) / 1_000_000, pn.at(100) / 1_000_000);
    }
    Percentiles spread =
        new Percentiles(
            done.stream().mapToLong(p -> Math.abs(p.seen.get(0) - p.seen.get(1))).toArray());
    say.say(
        "  difference between the nodes: p50 %d ms, p99 %d ms",
        spread.at(50) / 1_000_000, spread.at(99) / 1_000_000);
    List<Pending> staged =
        done.stream()
            .filter(p -> p.sequencedAt > 0 && p.checkpointedAt > 0 && p.cosignedAt > 0)
            .toList();
    say.say(
        "  stages (%d revocations seen on every topic), p50 / p99 from the request:",
        staged.size());
    stage(
        say,
        "    on ledger.status (validators, quorum, sequencing)",
        staged,
        p -> p.sequencedAt - p.t0);
    stage(
        say,
        "    in a signed checkpoint on ledger.checkpoints",
        staged,
        p -> p.checkpointedAt - p.t0);
    stage(say, "    in a cosigned checkpoint on ledger.cosigned", staged, p -> p.cosignedAt - p.t0);
    stage(say, "    REVOKED at both nodes", staged, Pending::latency);
    say.say("  and between stages, p50 / p99:");
    List<Pending> keyed = staged.stream().filter(p -> p.endorsedAt > 0 && p.decidedAt > 0).toList();
    if (!keyed.isEmpty()) {
      stage(
          say, "    request → 2nd verdict on ledger.endorsements", keyed, p -> p.endorsedAt - p.t0);
      stage(say, "    2nd verdict → ledger.decisions", keyed, p -> p.decidedAt - p.endorsedAt);
      stage(say, "    ledger.decisions → ledger.status", keyed, p -> p.sequencedAt - p.decidedAt);
    }
    stage(say, "    request → ledger.status", staged, p -> p.sequencedAt - p.t0);
    stage(
        say,
        "    ledger.status → signed checkpoint",
        staged,
        p -> p.checkpointedAt - p.sequencedAt);
    stage(say, "    signed → cosigned checkpoint", staged, p -> p.cosignedAt - p.checkpointedAt);
    stage(
        say,
        "    cosigned → REVOKED at both nodes",
        staged,
        p -> p.latency() + p.t0 - p.cosignedAt);
  }

  private static void stage(Say say, String what, List<Pending> ps, ToLongFunction<Pending> f) {
    Percentiles p = new Percentiles(ps.stream().mapToLong(f).toArray());
    say.say("%-58s %6d ms / %6d ms", what, p.at(50) / 1_000_000, p.at(99) / 1_000_000);
  }
}
