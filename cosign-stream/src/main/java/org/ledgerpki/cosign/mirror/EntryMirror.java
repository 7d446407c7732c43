package org.ledgerpki.cosign.mirror;

import java.util.Arrays;
import java.util.Optional;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror of a log's entries: appends each entry to the cosigner's own tree after checking that
 * it has the next index and passes {@link EntryCheck} under the policy in force at its index. A
 * replay of a mirrored index with the same leaf is ignored; another leaf, a gap or a failed check
 * taints the log from there (logged, counted in {@code tainted-entries-total{reason}}). The leaf is
 * appended either way, so that the mirror follows the log. One per processor instance.
 */
public final class EntryMirror {
  private static final Logger LOG = LoggerFactory.getLogger(EntryMirror.class);

  private final MirrorStore store;
  private final EntryChecks checks;
  private final LedgerCounters counters;
  private final String service;
  private final MirrorProgress progress;

  /**
   * @param service the name that opens each log line, {@code cosigner/<org>}
   * @param progress told after each entry appended, before the state is saved
   */
  public EntryMirror(
      MirrorStore store,
      EntryChecks checks,
      LedgerCounters counters,
      String service,
      MirrorProgress progress) {
    this.store = store;
    this.checks = checks;
    this.counters = counters;
    this.service = service;
    this.progress = progress;
  }

  /** Mirrors {@code e}, an entry the policy's log signed, published at {@code timestamp}. */
  public void onEntry(LedgerEntry e, long timestamp) {
    String origin = e.getOrigin();
    MirrorState st = store.state(origin);
    MerkleTree tree = store.tree(origin, st);
    long index = e.getIndex();
    byte[] leaf = Rfc9162.leafHash(Evidence.bytes(e.getEntry()));
    if (index < 0) {
      taint(st, origin, tree.size(), "an entry has the negative index " + index);
    } else if (index < tree.size()) {
      byte[] mirrored = tree.leafHash(index);
      if (Arrays.equals(mirrored, leaf)) {
        LOG.debug("{}: entry {} of {} replayed, already mirrored", service, index, origin);
        return;
      }
      taint(
          st,
          origin,
          index,
          "entry "
              + index
              + " was published again with leaf hash "
              + Hex.encode(leaf)
              + ", the mirror has "
              + Hex.encode(mirrored));
    } else if (index > tree.size()) {
      taint(
          st,
          origin,
          tree.size(),
          "gap: the next entry must have index " + tree.size() + ", got index " + index);
    } else {
      append(st, tree, e, leaf, timestamp);
    }
    store.save(origin, st);
  }

  /** Checks and appends {@code e}, the next entry of the mirror. */
  private void append(MirrorState st, MerkleTree tree, LedgerEntry e, byte[] leaf, long timestamp) {
    String origin = e.getOrigin();
    long index = e.getIndex();
    MirrorIndex mirror = store.index(origin);
    EntryCheck entryCheck = checks.at(index);
    Optional<Fault> fault = entryCheck.check(e, mirror);
    if (fault.isPresent() && Fault.NO_QUORUM.equals(fault.get().tag())) {
      // The change that admits this evidence may not have reached this cosigner yet.
      checks.refresh();
      if (checks.at(index) != entryCheck) {
        entryCheck = checks.at(index);
        fault = entryCheck.check(e, mirror);
      }
    }
    fault.ifPresent(f -> taint(st, origin, index, f.tag(), "entry " + index + ": " + f.detail()));
    MirrorIndex.Passed passed = null;
    if (fault.isEmpty() && index > 0 && e.getSubmitter() != null) {
      byte[] cert = Evidence.bytes(e.getCertificateSha256());
      // The certificate, its key hash (for revocations) and its owner, which the status events
      // about it must name: one record with the entry's leaf hash.
      try {
        passed =
            new MirrorIndex.Passed(
                cert, EntryId.of(Evidence.bytes(e.getEntry())).spkiHash(), e.getSubmitter());
      } catch (MalformedInputException ex) {
        store.putOwner(origin, cert, e.getSubmitter());
        taint(st, origin, index, "entry " + index + ": " + ex.getMessage());
      }
    }
    entryCheck.remember(e, mirror, passed);
    // The mirror follows the log either way; a bad entry only taints what covers it.
    tree.append(leaf);
    st.frontier = tree.frontier();
    progress.advanced(origin, st, tree, timestamp);
  }

  private void taint(MirrorState st, String origin, long index, String reason) {
    taint(st, origin, index, Fault.INVALID, reason);
  }

  private void taint(MirrorState st, String origin, long index, String tag, String reason) {
    counters.count("tainted-entries", "Entries that failed the cosigner's checks", "reason", tag);
    if (st.taint(index, reason)) {
      LOG.warn(
          "{}: log {} is tainted from index {}: {}; no checkpoint or landmark covering it will be"
              + " cosigned",
          service,
          origin,
          index,
          reason);
    } else {
      LOG.warn(
          "{}: log {}: {} (already tainted from index {})",
          service,
          origin,
          reason,
          st.taintedFrom);
    }
  }
}
