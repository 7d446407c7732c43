package org.ledgerpki.cosign.aggregator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.CosignatureCheck;
import org.ledgerpki.cosign.witness.Covering;
import org.ledgerpki.cosign.witness.SignatureLines;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint quorum: keeps the checkpoints whose note opens under the log's keys, collects the
 * valid CHECKPOINT cosignatures on each (a cosignature that arrives before its checkpoint waits for
 * it), counted with the cosigners and {@code m} of the policy the checkpoint names, and publishes a
 * {@code CosignedCheckpoint} once {@code m} distinct cosigners signed it (again, with fresh
 * signatures, once {@code m} of them re-cosigned it: a heartbeat). Each publication may allocate a
 * landmark ({@link LandmarkPublisher}). One per processor instance.
 */
final class CheckpointQuorum {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointQuorum.class);
  private static final String SERVICE = AggregatorProcessor.SERVICE;

  private final AggregatorStores stores;
  private final SubtreeSignatures subtrees;
  private final LandmarkPublisher landmarks;
  private final CheckpointCheck checkpointCheck;
  private final CosignatureChecks checks;
  private final PolicyHolder holder;
  private final LedgerCounters counters;
  private final Clock clock;
  private final ObjLongConsumer<CosignedCheckpoint> forward;
  private final BiConsumer<Cosignature, String> invalid;

  /**
   * @param clock the source of {@code publishedAt}
   * @param forward publishes a cosigned checkpoint with the timestamp of the record that caused it
   * @param invalid logs and counts a cosignature found invalid, with the reason
   */
  CheckpointQuorum(
      AggregatorStores stores,
      SubtreeSignatures subtrees,
      LandmarkPublisher landmarks,
      CheckpointCheck checkpointCheck,
      CosignatureChecks checks,
      PolicyHolder holder,
      LedgerCounters counters,
      Clock clock,
      ObjLongConsumer<CosignedCheckpoint> forward,
      BiConsumer<Cosignature, String> invalid) {
    this.stores = stores;
    this.subtrees = subtrees;
    this.landmarks = landmarks;
    this.checkpointCheck = checkpointCheck;
    this.checks = checks;
    this.holder = holder;
    this.counters = counters;
    this.clock = clock;
    this.forward = forward;
    this.invalid = invalid;
  }

  /** Keeps {@code c} if its note opens, with the cosignatures that waited for it. */
  void onCheckpoint(org.ledgerpki.schemas.avro.Checkpoint c, long timestamp) {
    String origin = c.getOrigin();
    String what = "checkpoint of size " + c.getSize() + " of " + origin;
    Checkpoint body;
    try {
      body = checkpointCheck.open(c);
    } catch (CheckpointCheck.Rejected e) {
      counters.count(
          "ignored-checkpoints",
          "Checkpoints the aggregator ignored, by reason",
          "reason",
          e.reason().tag());
      LOG.warn("{}: ignoring {} ({}): {}", SERVICE, what, e.reason().tag(), e.getMessage());
      return;
    }
    AggregatorState st = stores.state(origin);
    if (body.size() < st.publishedSize) {
      LOG.debug("{}: {} is older than the cosigned size {}", SERVICE, what, st.publishedSize);
      return;
    }
    byte[] bodyHash = CheckpointCheck.bodySha256(body);
    Bytes key = AggregatorStores.checkpointKey(origin, body.size(), body.rootHash(), bodyHash);
    if (stores.hasCheckpoint(key)) {
      return;
    }
    CheckpointEntry entry =
        new CheckpointEntry(c.getPreviousSize(), c.getNote(), c.getTimestamp().toEpochMilli());
    // Cosignatures that arrived before the checkpoint.
    for (Cosignature pending : stores.takePending(origin, body.size(), body.rootHash(), bodyHash)) {
      addCosignature(entry, body, pending);
    }
    stores.putCheckpoint(key, entry);
    maybePublish(st, body, entry, key, timestamp);
    stores.save(origin, st);
  }

  /** Takes CHECKPOINT cosignature {@code c} of the policy's log, or keeps it for its checkpoint. */
  void onCosignature(Cosignature c, long timestamp) {
    String origin = c.getOrigin();
    byte[] root = Evidence.bytes(c.getHash());
    if (root.length != 32 || c.getEnd() < 0) {
      invalid.accept(c, "malformed: end " + c.getEnd() + ", hash of " + root.length + " bytes");
      return;
    }
    AggregatorState st = stores.state(origin);
    if (c.getEnd() < st.publishedSize) {
      LOG.debug(
          "{}: late cosignature of {} on size {} (cosigned size {})",
          SERVICE,
          c.getCosigner(),
          c.getEnd(),
          st.publishedSize);
      return;
    }
    byte[] bodyHash = Evidence.bytes(c.getBodySha256());
    if (bodyHash == null || bodyHash.length != 32) {
      invalid.accept(
          c, "a CHECKPOINT cosignature names the SHA-256 of the checkpoint body it cosigns");
      return;
    }
    Bytes key = AggregatorStores.checkpointKey(origin, c.getEnd(), root, bodyHash);
    CheckpointEntry entry = stores.checkpoint(key);
    if (entry == null) {
      // The checkpoint is on another topic and may come later: keep the cosignature until then.
      try {
        stores.putPending(c, root, bodyHash);
      } catch (IllegalArgumentException e) {
        invalid.accept(c, e.getMessage());
      }
      return;
    }
    Checkpoint body = body(entry);
    addCosignature(entry, body, c);
    stores.putCheckpoint(key, entry);
    maybePublish(st, body, entry, key, timestamp);
    stores.save(origin, st);
  }

  /**
   * The policy a checkpoint names (docs/governance.md), if this aggregator holds it with that hash:
   * its cosigners' keys and {@code m} count the checkpoint's cosignatures (cosigner keys rotate by
   * governance). Empty if the checkpoint names none or one the verified chain does not hold.
   */
  private Optional<TrustPolicy> named(Checkpoint body) {
    PolicyCommitment c;
    try {
      c = PolicyCommitment.find(body.extensions()).orElse(null);
    } catch (MalformedInputException e) {
      return Optional.empty();
    }
    if (c == null) {
      return Optional.empty();
    }
    if (holder.history().bySerial(c.serial()).isEmpty()) {
      holder.refresh();
    }
    return holder.history().bySerial(c.serial()).map(PolicyHistory.Entry::policy).filter(c::names);
  }

  private void addCosignature(CheckpointEntry entry, Checkpoint body, Cosignature c) {
    Optional<TrustPolicy> policy = named(body);
    if (policy.isEmpty()) {
      invalid.accept(c, "the checkpoint names a policy this aggregator cannot verify");
      return;
    }
    try {
      checks.of(policy.get()).checkCheckpoint(c, body.body(), body.size(), body.rootHash());
    } catch (CosignatureCheck.Invalid e) {
      invalid.accept(c, e.getMessage());
      return;
    }
    entry.take(c.getCosigner(), c.getLines(), c.getTimestamp());
  }

  private void maybePublish(
      AggregatorState st, Checkpoint body, CheckpointEntry entry, Bytes key, long timestamp) {
    Optional<TrustPolicy> named = named(body);
    if (named.isEmpty()) {
      return;
    }
    int m = named.get().cosignerQuorum();
    boolean heartbeat = entry.published && entry.refreshed.size() >= m;
    if (entry.published && !heartbeat || entry.cosignatures.size() < m) {
      return;
    }
    String origin = body.origin();
    Note note;
    try {
      note = Note.parse(entry.note);
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a stored checkpoint note no longer parses", e);
    }
    for (List<String> lines : entry.cosignatures.values()) {
      for (String line : lines) {
        try {
          note = note.withSignature(SignatureLines.parse(line));
        } catch (MalformedInputException e) {
          throw new IllegalStateException("a verified cosignature line no longer parses", e);
        }
      }
    }
    List<SignedSubtree> signed = new ArrayList<>();
    for (Subtree s : Covering.subtrees(entry.previousSize, body.size())) {
      signed.add(subtrees.signed(origin, s, entry.cosignatures.keySet(), 0));
    }
    CosignedCheckpoint out =
        CosignedCheckpoint.newBuilder()
            .setOrigin(origin)
            .setSize(body.size())
            .setRootHash(Evidence.buffer(body.rootHash()))
            .setPreviousSize(entry.previousSize)
            .setNote(note.format())
            .setCosigners(List.copyOf(entry.cosignatures.keySet()))
            .setSubtrees(signed)
            .setPublishedAt(clock.instant())
            .build();
    forward.accept(out, timestamp);
    entry.published = true;
    entry.refreshed.clear();
    stores.putCheckpoint(key, entry);
    if (heartbeat) {
      counters.count(
          "recosigned-checkpoints", "Cosigned checkpoints published again with fresh cosignatures");
      LOG.debug(
          "{}: published the checkpoint of size {} of {} again, re-cosigned by {}",
          SERVICE,
          body.size(),
          origin,
          entry.cosignatures.keySet());
      // A heartbeat is a cosigned checkpoint of now: in quiet periods it is what lets a landmark
      // window close and a landmark cover the entries admitted before it.
      landmarks.allocate(st, origin, body.size(), clock.millis(), timestamp);
      stores.prune(origin, st);
      return;
    }
    counters.count("cosigned-checkpoints", "Cosigned checkpoints published");
    counters.touch(
        "cosigned-checkpoint", "Seconds since the aggregator last published a cosigned checkpoint");
    LOG.info(
        "{}: published the cosigned checkpoint of size {} of {} with cosigners {}",
        SERVICE,
        body.size(),
        origin,
        entry.cosignatures.keySet());
    st.publishedSize = Math.max(st.publishedSize, body.size());
    landmarks.allocate(st, origin, body.size(), entry.timestampMillis, timestamp);
    stores.prune(origin, st);
  }

  private static Checkpoint body(CheckpointEntry entry) {
    try {
      return Checkpoint.fromNote(Note.parse(entry.note));
    } catch (MalformedInputException e) {
      throw new IllegalStateException("a stored checkpoint note no longer parses", e);
    }
  }
}
