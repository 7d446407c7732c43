package org.ledgerpki.cosign.landmarks;

import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.mirror.MirrorStore;
import org.ledgerpki.cosign.parking.Parked;
import org.ledgerpki.cosign.parking.ParkingLot;
import org.ledgerpki.cosign.witness.CosignatureOut;
import org.ledgerpki.cosign.witness.Refusal;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cosigner's landmark signer: for each ALLOCATED landmark of the policy's log, it signs each
 * landmark subtree with the hash of its own mirror (timestamp 0, ML-DSA-44 only), once the mirror
 * has reached the landmark (it is parked until then) and unless the log is tainted below it. A
 * refusal is logged and counted in {@code refused-landmarks-total{reason}}. One per processor
 * instance.
 */
public final class LandmarkSigner {
  private static final Logger LOG = LoggerFactory.getLogger(LandmarkSigner.class);

  private final MirrorStore store;
  private final ParkingLot parking;
  private final CosignatureOut out;
  private final String logOrigin;
  private final LedgerCounters counters;
  private final String service;

  /**
   * @param logOrigin the origin of the trust policy's log, the only one whose landmarks are signed
   * @param service the name that opens each log line, {@code cosigner/<org>}
   */
  public LandmarkSigner(
      MirrorStore store,
      ParkingLot parking,
      CosignatureOut out,
      String logOrigin,
      LedgerCounters counters,
      String service) {
    this.store = store;
    this.parking = parking;
    this.out = out;
    this.logOrigin = logOrigin;
    this.counters = counters;
    this.service = service;
  }

  /** Signs, refuses or parks {@code l}, published at {@code timestamp}; ignores other states. */
  public void onLandmark(Landmark l, long timestamp) {
    String origin = l.getOrigin();
    String what = "landmark " + l.getNumber() + " (size " + l.getTreeSize() + ") of " + origin;
    if (l.getState() != LandmarkState.ALLOCATED) {
      return;
    }
    if (!origin.equals(logOrigin)) {
      refuse(Refusal.UNKNOWN_LOG, what, "its origin is not the log of the trust policy");
      return;
    }
    if (!out.signsSubtrees()) {
      out.warnNoMlDsa("subtrees for standalone certificates and no landmarks");
      refuse(Refusal.NO_MLDSA_KEY, what, "this cosigner has no ML-DSA-44 key");
      return;
    }
    if (l.getPreviousTreeSize() < 0
        || l.getTreeSize() <= l.getPreviousTreeSize()
        || l.getSubtrees().isEmpty()) {
      refuse(
          Refusal.MALFORMED,
          what,
          "it must grow the tree from previousTreeSize "
              + l.getPreviousTreeSize()
              + " and name its subtrees");
      return;
    }
    List<Subtree> subtrees = new ArrayList<>();
    for (SignedSubtree s : l.getSubtrees()) {
      long start = s.getStart();
      long end = s.getEnd();
      if (start < 0 || end <= start || end > l.getTreeSize() || !Subtrees.isValid(start, end)) {
        refuse(
            Refusal.MALFORMED,
            what,
            "[" + start + ", " + end + ") is not a non-empty valid subtree within the landmark");
        return;
      }
      subtrees.add(new Subtree(start, end));
    }
    MirrorState st = store.state(origin);
    Parked.Landmark p = new Parked.Landmark(origin, l.getNumber(), l.getTreeSize(), subtrees);
    MerkleTree tree = store.tree(origin, st);
    if (tree.size() < p.size()) {
      LOG.info("{}: {} waits for the mirror, which has {} entries", service, what, tree.size());
      parking.park(st, p);
      store.save(origin, st);
    } else {
      sign(st, tree, p, timestamp);
    }
  }

  /**
   * Signs the subtrees of landmark {@code l}, which the mirror has reached, unless the log is
   * tainted below it.
   */
  public void sign(MirrorState st, MerkleTree tree, Parked.Landmark l, long timestamp) {
    String what = "landmark " + l.number() + " (size " + l.size() + ") of " + l.origin();
    if (st.taintedBelow(l.size())) {
      refuse(
          Refusal.TAINTED,
          what,
          "the log is tainted from index " + st.taintedFrom + ": " + st.taintReason);
      return;
    }
    for (Subtree s : l.subtrees()) {
      out.subtree(l.origin(), s, tree.subtreeHash(s.start(), s.end()), timestamp);
    }
    counters.count("signed-landmarks", "Landmarks whose subtrees this cosigner signed");
    LOG.info("{}: signed the subtrees {} of {}", service, l.subtrees(), what);
  }

  private void refuse(Refusal reason, String what, String detail) {
    counters.count(
        "refused-landmarks",
        "Landmarks this cosigner refused to sign, by reason",
        "reason",
        reason.tag());
    LOG.warn("{}: refusing to sign {} ({}): {}", service, what, reason.tag(), detail);
  }
}
