package org.ledgerpki.cosign.witness;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.mirror.MirrorStore;
import org.ledgerpki.cosign.parking.Parked;
import org.ledgerpki.cosign.parking.ParkingLot;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness: decides whether to cosign a checkpoint. It must open under the log's keys ({@link
 * CheckpointCheck}) and extend the last checkpoint seen ({@code previousSize}); once the mirror
 * reaches its size and its status commitment, it must not shrink below the last cosigned size, its
 * root must be the mirror's, no entry below its size may be tainted, its status line must be this
 * cosigner's own commitment, and it must name a policy of the chain this cosigner verified. Then
 * the cosignatures are published ({@link CosignatureOut}); a refusal is logged and counted in
 * {@code refused-checkpoints-total{reason}}, never published. A checkpoint beyond the mirror, or
 * naming a policy change not read yet, is parked. One per processor instance.
 */
public final class Witness {
  private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

  /** A heartbeat identical to the last checkpoint cosigned is cosigned again after this long. */
  private static final long RECOSIGN_AFTER_SECONDS = 1;

  private final MirrorStore store;
  private final ParkingLot parking;
  private final CheckpointCheck checkpointCheck;
  private final PolicyHolder holder;
  private final CosignatureOut out;
  private final LedgerCounters counters;
  private final Clock clock;
  private final String service;

  /**
   * @param holder the policy history a checkpoint's policy line is checked against
   * @param clock the source of cosignature timestamps
   * @param service the name that opens each log line, {@code cosigner/<org>}
   */
  public Witness(
      MirrorStore store,
      ParkingLot parking,
      CheckpointCheck checkpointCheck,
      PolicyHolder holder,
      CosignatureOut out,
      LedgerCounters counters,
      Clock clock,
      String service) {
    this.store = store;
    this.parking = parking;
    this.checkpointCheck = checkpointCheck;
    this.holder = holder;
    this.out = out;
    this.counters = counters;
    this.clock = clock;
    this.service = service;
  }

  /** Cosigns, refuses or parks {@code c}, published at {@code timestamp}. */
  public void onCheckpoint(org.ledgerpki.schemas.avro.Checkpoint c, long timestamp) {
    String origin = c.getOrigin();
    String what = "checkpoint of size " + c.getSize() + " of " + origin;
    Checkpoint body;
    try {
      body = checkpointCheck.open(c);
    } catch (CheckpointCheck.Rejected e) {
      refuse(e.reason(), what, e.getMessage());
      return;
    }
    MirrorState st = store.state(origin);
    long previous = c.getPreviousSize();
    if (cosignedJustNow(st, body)) {
      LOG.debug("{}: {} was cosigned less than a second ago", service, what);
      return;
    }
    if (previous != st.lastCheckpointSize) {
      refuse(
          Refusal.PREVIOUS_SIZE_MISMATCH,
          what,
          "it extends size "
              + previous
              + ", but the last checkpoint this cosigner saw has size "
              + st.lastCheckpointSize
              + " (rival sequencer?)");
      return;
    }
    if (body.size() < previous) {
      refuse(
          Refusal.SHRINKING,
          what,
          "the log shrinks from size " + previous + " to " + body.size() + " (append-only)");
      return;
    }
    st.lastCheckpointSize = body.size();
    MerkleTree tree = store.tree(origin, st);
    Optional<String> unproven = policyUnproven(body);
    if (unproven.isPresent() && !unproven.get().isEmpty()) {
      refuse(Refusal.POLICY_UNPROVEN, what, unproven.get());
      store.save(origin, st);
      return;
    }
    if (unproven.isPresent()) {
      LOG.info(
          "{}: {} names a policy this cosigner cannot verify yet; parked until it can",
          service,
          what);
      parking.park(st, new Parked.Checkpoint(origin, body.size(), previous, c.getNote()));
    } else if (tree.size() < body.size() || statusAhead(body, st)) {
      LOG.info(
          "{}: {} waits for the mirror, which has {} entries and {} status events",
          service,
          what,
          tree.size(),
          st.statusCount);
      parking.park(st, new Parked.Checkpoint(origin, body.size(), previous, c.getNote()));
    } else {
      witness(st, tree, body, previous, timestamp);
    }
    store.save(origin, st);
  }

  /**
   * Handles the parked checkpoint {@code c}, which the mirror has reached in size: if it still
   * waits for status events or for the policy change it names, it stays parked; otherwise {@code
   * release} is called and it is refused or cosigned. {@code st} is saved by the caller.
   */
  public void onParked(
      MirrorState st, MerkleTree tree, Parked.Checkpoint c, long timestamp, Runnable release) {
    Checkpoint body;
    try {
      body = Checkpoint.fromNote(Note.parse(c.note()));
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a parked checkpoint no longer parses", e);
    }
    if (statusAhead(body, st)) {
      return; // it waits for more status events
    }
    Optional<String> unproven = policyUnproven(body);
    if (unproven.isPresent() && unproven.get().isEmpty()) {
      return; // it waits for the policy change it names
    }
    release.run();
    if (unproven.isPresent()) {
      refuse(
          Refusal.POLICY_UNPROVEN,
          "checkpoint of size " + body.size() + " of " + c.origin(),
          unproven.get());
      return;
    }
    witness(st, tree, body, c.previousSize(), timestamp);
  }

  /**
   * Whether this checkpoint body was cosigned less than {@link #RECOSIGN_AFTER_SECONDS} ago. A
   * heartbeat (the same checkpoint re-issued, whatever its {@code previousSize}) is cosigned again
   * with a fresh timestamp, so relying parties keep taking it as fresh; the same body twice within
   * a second, on arrival or out of the parking lot, adds nothing and is not cosigned again.
   */
  private boolean cosignedJustNow(MirrorState st, Checkpoint body) {
    return st.lastCosignedRoot != null
        && body.size() == st.lastCosignedSize
        && Arrays.equals(body.rootHash(), st.lastCosignedRoot)
        && Arrays.equals(CheckpointCheck.bodySha256(body), st.lastCosignedBody)
        && clock.instant().getEpochSecond() - st.lastCosignedAt < RECOSIGN_AFTER_SECONDS;
  }

  /** The checks that need the mirror at the checkpoint's size, then the cosignatures. */
  private void witness(
      MirrorState st, MerkleTree tree, Checkpoint body, long previous, long timestamp) {
    String origin = body.origin();
    String what = "checkpoint of size " + body.size() + " of " + origin;
    if (cosignedJustNow(st, body)) {
      LOG.debug("{}: {} (parked) was cosigned less than a second ago", service, what);
      return;
    }
    if (body.size() < st.lastCosignedSize) {
      refuse(
          Refusal.SHRINKING,
          what,
          "this cosigner already cosigned size " + st.lastCosignedSize + " (append-only)");
      return;
    }
    byte[] mine = tree.rootAt(body.size());
    if (!Arrays.equals(mine, body.rootHash())) {
      refuse(
          Refusal.ROOT_MISMATCH,
          what,
          "the checkpoint's root is "
              + Hex.encode(body.rootHash())
              + ", the mirror's root at that size is "
              + Hex.encode(mine));
      return;
    }
    if (st.taintedBelow(body.size())) {
      refuse(
          Refusal.TAINTED,
          what,
          "the log is tainted from index " + st.taintedFrom + ": " + st.taintReason);
      return;
    }
    if (!statusAgrees(st, body, what)) {
      return;
    }
    // Subtree signatures first: the aggregator then has them when the checkpoint reaches quorum.
    List<Subtree> subtrees = Covering.subtrees(previous, body.size());
    if (out.signsSubtrees()) {
      for (Subtree s : subtrees) {
        out.subtree(origin, s, tree.subtreeHash(s.start(), s.end()), timestamp);
      }
    } else if (!subtrees.isEmpty()) {
      out.warnNoMlDsa("subtrees for standalone certificates and no landmarks");
    }
    long now = clock.instant().getEpochSecond();
    out.checkpoint(body, now, timestamp);
    st.lastCosignedSize = body.size();
    st.lastCosignedRoot = body.rootHash();
    st.lastCosignedPrevious = previous;
    st.lastCosignedBody = CheckpointCheck.bodySha256(body);
    st.lastCosignedAt = now;
    try {
      st.lastCosignedStatusCount =
          StatusCommitment.find(body.extensions()).map(StatusCommitment::count).orElse(0L);
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a status line that statusAgrees accepted does not parse", e);
    }
    counters.count("cosigned-checkpoints", "Checkpoints this cosigner cosigned");
    counters.touch("cosigned-checkpoint", "Seconds since this cosigner last cosigned a checkpoint");
    LOG.info(
        "{}: cosigned {} (root {}, extends {}, {} subtree signature(s))",
        service,
        what,
        Hex.encode(body.rootHash()),
        previous,
        out.signsSubtrees() ? subtrees.size() : 0);
  }

  /**
   * Whether this cosigner can vouch for the policy the checkpoint names (docs/governance.md): empty
   * if it holds a chain verified from the genesis policy up to that serial with that hash, and the
   * policy applies from a position within the checkpoint; an empty string if it does not hold that
   * serial yet (park: the change may still be on its way); otherwise why it refuses ({@code
   * policy-unproven}).
   */
  private Optional<String> policyUnproven(Checkpoint body) {
    PolicyCommitment named;
    try {
      named = PolicyCommitment.find(body.extensions()).orElse(null);
    } catch (MalformedInputException e) {
      return Optional.of(e.getMessage());
    }
    if (named == null) {
      return Optional.of("it names no policy (no " + PolicyCommitment.PREFIX.trim() + " line)");
    }
    PolicyHistory h = holder.history();
    if (h.bySerial(named.serial()).isEmpty()) {
      holder.refresh();
      h = holder.history();
    }
    Optional<PolicyHistory.Entry> held = h.bySerial(named.serial());
    if (held.isEmpty()) {
      return Optional.of("");
    }
    if (!Arrays.equals(held.get().policy().sha256(), named.policySha256())) {
      return Optional.of(
          "it names policy serial "
              + named.serial()
              + " with hash "
              + Hex.encode(named.policySha256())
              + ", the chain this cosigner verified has "
              + Hex.encode(held.get().policy().sha256()));
    }
    if (held.get().effectiveIndex() > body.size()) {
      return Optional.of(
          "it names policy serial "
              + named.serial()
              + ", in force from index "
              + held.get().effectiveIndex()
              + ", beyond its size "
              + body.size());
    }
    return Optional.empty();
  }

  /** Whether the checkpoint commits to more status events than this cosigner has mirrored. */
  private static boolean statusAhead(Checkpoint body, MirrorState st) {
    try {
      return StatusCommitment.find(body.extensions())
          .map(c -> c.count() > st.statusCount && st.statusTaintedFrom < 0)
          .orElse(false);
    } catch (MalformedInputException e) {
      return false; // refused in witness
    }
  }

  /** The status checks of {@code witness}: refuses and returns false if one fails. */
  private boolean statusAgrees(MirrorState st, Checkpoint body, String what) {
    StatusCommitment claimed;
    try {
      claimed = StatusCommitment.find(body.extensions()).orElse(null);
    } catch (MalformedInputException e) {
      refuse(Refusal.STATUS_MISMATCH, what, e.getMessage());
      return false;
    }
    if (claimed == null) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "it commits to no certificate status (no " + StatusCommitment.PREFIX.trim() + " line)");
      return false;
    }
    if (st.statusTaintedFrom >= 0 && claimed.count() > st.statusTaintedFrom) {
      refuse(
          Refusal.STATUS_TAINTED,
          what,
          "it commits to "
              + claimed.count()
              + " status events; the status log is tainted from event "
              + st.statusTaintedFrom
              + ": "
              + st.statusTaintReason);
      return false;
    }
    if (claimed.count() > st.statusCount) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "it commits to " + claimed.count() + " status events, the mirror has " + st.statusCount);
      return false;
    }
    if (claimed.count() < st.lastCosignedStatusCount) {
      refuse(
          Refusal.STATUS_ROLLBACK,
          what,
          "it commits to "
              + claimed.count()
              + " status events; this cosigner already cosigned a checkpoint committing to "
              + st.lastCosignedStatusCount
              + " (the status log never shrinks: a checkpoint from before a revocation?)");
      return false;
    }
    StatusCommitment mine = store.commitmentAt(body.origin(), claimed.count());
    if (!mine.equals(claimed)) {
      refuse(
          Refusal.STATUS_MISMATCH,
          what,
          "the checkpoint says '"
              + claimed.extensionLine()
              + "', this cosigner's status log gives '"
              + mine.extensionLine()
              + "'");
      return false;
    }
    return true;
  }

  private void refuse(Refusal reason, String what, String detail) {
    counters.count(
        "refused-checkpoints",
        "Checkpoints this cosigner refused to cosign, by reason",
        "reason",
        reason.tag());
    LOG.warn("{}: refusing to cosign {} ({}): {}", service, what, reason.tag(), detail);
  }
}
