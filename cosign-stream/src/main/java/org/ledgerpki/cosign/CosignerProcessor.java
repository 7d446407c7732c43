package org.ledgerpki.cosign;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.cosign.landmarks.LandmarkSigner;
import org.ledgerpki.cosign.mirror.EntryChecks;
import org.ledgerpki.cosign.mirror.EntryMirror;
import org.ledgerpki.cosign.mirror.MirrorState;
import org.ledgerpki.cosign.mirror.MirrorStore;
import org.ledgerpki.cosign.parking.Parked;
import org.ledgerpki.cosign.parking.ParkingLot;
import org.ledgerpki.cosign.status.StatusChecks;
import org.ledgerpki.cosign.status.StatusMirror;
import org.ledgerpki.cosign.witness.CheckpointCheck;
import org.ledgerpki.cosign.witness.CosignatureOut;
import org.ledgerpki.cosign.witness.Witness;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.Topics;
import org.ledgerpki.schemas.avro.Cosignature;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cosigner of one member organisation: routes each record of a log to the job that handles it,
 * so that a log's entries, status events, checkpoints and landmarks share the task's stores:
 * entries to the mirror ({@link EntryMirror}), status events to the status checker ({@link
 * StatusMirror}), checkpoints to the witness ({@link Witness}), allocated landmarks to the landmark
 * signer ({@link LandmarkSigner}); records that arrived before the mirror could handle them wait in
 * the parking lot ({@link ParkingLot}) and are handed back as the mirror moves on, or by a
 * punctuation once a second. Undecodable records go to the dead-letter topic, and so do entries and
 * status events of the log that do not carry its valid signature (docs/adr/0012): such a record is
 * not the log's, so it taints nothing and the mirror does not follow it. See {@link
 * CosignerTopology} for the rules; every decision is logged, and refusals are counted.
 */
final class CosignerProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(CosignerProcessor.class);

  private final String logOrigin;
  private final PublicKey logKey;
  private final MemberKeys member;
  private final Topics topics;
  private final Clock clock;
  private final PolicyHolder holder;
  private final EntryChecks entryChecks;
  private final StatusChecks statusChecks;
  private final CheckpointCheck checkpointCheck;
  private final String service;
  private final Deserializer<LedgerEntry> entryReader;
  private final Deserializer<org.ledgerpki.schemas.avro.Checkpoint> checkpointReader;
  private final Deserializer<Landmark> landmarkReader;
  private final Deserializer<StatusEntry> statusReader;

  private ProcessorContext<String, SpecificRecord> context;
  private PromptCommit prompt;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  private MirrorStore mirror;
  private ParkingLot parking;
  private EntryMirror entries;
  private StatusMirror statuses;
  private Witness witness;
  private LandmarkSigner landmarks;

  CosignerProcessor(
      PolicyHolder holder,
      MemberKeys member,
      Topics topics,
      Clock clock,
      EntryChecks entryChecks,
      StatusChecks statusChecks,
      CheckpointCheck checkpointCheck) {
    this.logOrigin = holder.history().genesis().log().origin();
    // The key the log signs its records with: its Ed25519 checkpoint key, the same in every policy
    // of the chain; adopted once, as every record is checked with it.
    this.logKey = Signatures.defaults().adopt(holder.history().genesis().log().ed25519());
    this.member = member;
    this.topics = topics;
    this.clock = clock;
    this.holder = holder;
    this.entryChecks = entryChecks;
    this.statusChecks = statusChecks;
    this.checkpointCheck = checkpointCheck;
    this.service = "cosigner/" + member.id();
    this.entryReader = topics.entries().valueSerde().deserializer();
    this.checkpointReader = topics.checkpoints().valueSerde().deserializer();
    this.landmarkReader = topics.landmarks().valueSerde().deserializer();
    this.statusReader = topics.status().valueSerde().deserializer();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.prompt = PromptCommit.of(context);
    this.counters =
        new LedgerCounters(context.metrics(), CosignerTopology.METRICS_SCOPE, member.id());
    this.dlq =
        DeadLetterOut.toChild(
            context,
            service,
            clock,
            LOG,
            () -> counters.count("dead-letters", "Records this cosigner could not read"),
            CosignerTopology.DLQ_SINK);
    this.mirror =
        new MirrorStore(
            context.getStateStore(CosignerTopology.MIRROR_STATE),
            context.getStateStore(CosignerTopology.MIRROR_NODES),
            context.getStateStore(CosignerTopology.STATUS));
    this.parking = new ParkingLot(context.getStateStore(CosignerTopology.PARKED));
    CosignatureOut out = new CosignatureOut(member, service, this::forward);
    this.entries = new EntryMirror(mirror, entryChecks, counters, service, this::drainParked);
    this.statuses = new StatusMirror(mirror, statusChecks, counters, service, this::drainParked);
    this.witness =
        new Witness(mirror, parking, checkpointCheck, holder, out, counters, clock, service);
    this.landmarks = new LandmarkSigner(mirror, parking, out, logOrigin, counters, service);
    // Checkpoints parked for a policy change this cosigner had not read yet: tried again.
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::retryParked);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    if (topic.equals(topics.entries().name())) {
      LedgerEntry e = dlq.decode(record, entryReader, topic, "a LedgerEntry");
      if (e != null
          && isOurLog(e.getOrigin(), "entry " + e.getIndex())
          && isLogSigned(record, "entry", "entry " + e.getIndex(), LogRecords.problem(e, logKey))) {
        entries.onEntry(e, record.timestamp());
      }
    } else if (topic.equals(topics.checkpoints().name())) {
      org.ledgerpki.schemas.avro.Checkpoint c =
          dlq.decode(record, checkpointReader, topic, "a Checkpoint");
      if (c != null) {
        witness.onCheckpoint(c, record.timestamp());
      }
    } else if (topic.equals(topics.status().name())) {
      StatusEntry e = dlq.decode(record, statusReader, topic, "a StatusEntry");
      String what = e == null ? null : "status event " + e.getSequence();
      if (e != null
          && isOurLog(e.getOrigin(), what)
          && isLogSigned(record, "status-event", what, LogRecords.problem(e, logKey))) {
        statuses.onStatus(e, record.timestamp());
      }
    } else if (topic.equals(topics.landmarks().name())) {
      Landmark l = dlq.decode(record, landmarkReader, topic, "a Landmark");
      if (l != null) {
        landmarks.onLandmark(l, record.timestamp());
      }
    } else {
      throw new IllegalStateException("record from unexpected topic '" + topic + "'");
    }
  }

  /** Hands the parked records the mirror has now caught up with, in order, to their job. */
  private void drainParked(String origin, MirrorState st, MerkleTree tree, long timestamp) {
    parking.drain(
        origin,
        tree.size(),
        (p, release) -> {
          switch (p) {
            case Parked.Checkpoint c -> witness.onParked(st, tree, c, timestamp, release);
            case Parked.Landmark l -> {
              release.run();
              landmarks.sign(st, tree, l, timestamp);
            }
          }
        });
  }

  private void retryParked(long now) {
    if (!parking.any(logOrigin) || !mirror.has(logOrigin)) {
      return;
    }
    MirrorState st = mirror.state(logOrigin);
    drainParked(logOrigin, st, mirror.tree(logOrigin, st), now);
    mirror.save(logOrigin, st);
  }

  private void forward(Cosignature c, long timestamp) {
    context.forward(
        new Record<String, SpecificRecord>(c.getOrigin(), c, timestamp),
        CosignerTopology.COSIGNATURES_SINK);
    prompt.forwarded();
  }

  private boolean isOurLog(String origin, String what) {
    if (origin.equals(logOrigin)) {
      return true;
    }
    LOG.warn(
        "{}: ignoring {} of {}: not the log of the trust policy ({})",
        service,
        what,
        origin,
        logOrigin);
    return false;
  }

  /**
   * Whether the record, {@code what} of the policy's log, carries the log's valid signature ({@code
   * problem}, from {@link LogRecords}, is null). If not it is not the log's record: a writer
   * without the log's key (a mirrored cluster, an ACL mistake) wrote it, so it is dead-lettered
   * with the reason and counted in {@code unauthenticated-records-total{kind}}, and it neither
   * taints the log nor moves the mirror; the log's own record for that position is mirrored as
   * usual.
   *
   * @param kind {@code entry} or {@code status-event}, the counter's tag
   */
  private boolean isLogSigned(
      Record<String, byte[]> record, String kind, String what, String problem) {
    if (problem == null) {
      return true;
    }
    counters.count(
        "unauthenticated-records",
        "Entries and status events without the log's valid signature, dead-lettered",
        "kind",
        kind);
    dlq.send(record, what + " of " + logOrigin + " is not the log's: " + problem);
    return false;
  }
}
