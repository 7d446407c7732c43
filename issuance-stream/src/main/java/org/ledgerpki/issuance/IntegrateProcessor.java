package org.ledgerpki.issuance;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integration: gives each accepted certificate on {@code ledger.sequence} the next index of its
 * log, appends its MTC log entry to the log's Merkle tree and publishes the {@link LedgerEntry} on
 * {@code ledger.entries} (key = origin), then tells {@code checkpoint} the new tree head. One task
 * per log (the sequencing topic has one partition per log).
 *
 * <p>State, all committed with the output and the input offset (exactly-once v2):
 *
 * <ul>
 *   <li>{@code log-state}: origin → the tree's frontier ({@link CompactRange#toBytes()}, which
 *       holds the size: the next index);
 *   <li>{@code tree-nodes}: every perfect node of the tree ({@link KeyValueNodeStore});
 *   <li>{@code sequenced}: certificate hash → its index, so that a replayed or duplicated record on
 *       the sequencing topic is never appended twice.
 * </ul>
 *
 * <p>Index 0 of every log is the MTC {@code null_entry}, appended and published before the first
 * certificate. Indices are contiguous and never come from Kafka offsets. A certificate the MTC
 * encoder cannot encode goes to {@code ledger.dlq} and consumes no index.
 */
final class IntegrateProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrateProcessor.class);

  static final String ENTRIES_SEQUENCED = "entries-sequenced";
  static final String SEQUENCE_REPLAYED = "sequence-replayed";
  static final String ENTRIES_UNENCODABLE = "entries-unencodable";
  static final String DEAD_LETTERS = "dead-letters";
  static final String STATUS_SEQUENCED = "status-sequenced";
  static final String STATUS_REPLAYED = "status-replayed";

  /** Key prefix in {@code log-state} of the status log's event count. */
  static final String STATUS_COUNT_PREFIX = "status-count/";

  private final TrustPolicy.LogIdentity log;
  private final Topic<String, LedgerEntry> sequenceTopic;
  private final Topic<String, StatusEntry> statusSequenceTopic;
  private final Clock clock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, byte[]> logState;
  private KeyValueNodeStore nodes;
  private KeyValueStore<String, Long> sequenced;
  private KeyValueStore<Long, byte[]> statusEvents;
  private KeyValueStore<String, Long> statusSequenced;
  private KeyValueStore<String, byte[]> entryIds;
  private Counters counters;
  // A cache of the status log the stores hold; rebuilt from status-events when its count is not
  // the stored count (and on every init, so a revived task never trusts an aborted cache).
  private StatusLog statusLog;
  // A cache of the tree the stores hold, and the log-state bytes it was read from or last wrote.
  // The stores are the truth: the cache is used only while log-state still holds those bytes.
  private MerkleTree tree;
  private byte[] treeState;

  IntegrateProcessor(
      TrustPolicy.LogIdentity log,
      Topic<String, LedgerEntry> sequenceTopic,
      Topic<String, StatusEntry> statusSequenceTopic,
      Clock clock) {
    this.log = log;
    this.sequenceTopic = sequenceTopic;
    this.statusSequenceTopic = statusSequenceTopic;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.logState = context.getStateStore(IssuanceTopology.LOG_STATE_STORE);
    KeyValueStore<Bytes, byte[]> nodeStore =
        context.getStateStore(IssuanceTopology.TREE_NODES_STORE);
    this.nodes = new KeyValueNodeStore(nodeStore);
    this.sequenced = context.getStateStore(IssuanceTopology.SEQUENCED_STORE);
    this.statusEvents = context.getStateStore(IssuanceTopology.STATUS_EVENTS_STORE);
    this.statusSequenced = context.getStateStore(IssuanceTopology.STATUS_SEQUENCED_STORE);
    this.entryIds = context.getStateStore(IssuanceTopology.ENTRY_IDS_STORE);
    this.statusLog = null;
    Map<String, String> events = new LinkedHashMap<>();
    events.put(ENTRIES_SEQUENCED, "Certificates given an index and appended to the log.");
    events.put(SEQUENCE_REPLAYED, "Sequencing records skipped: the certificate has an index.");
    events.put(ENTRIES_UNENCODABLE, "Accepted certificates the MTC encoder cannot encode.");
    events.put(DEAD_LETTERS, "Input records sent to the dead-letter topic.");
    events.put(STATUS_SEQUENCED, "Lifecycle events given a sequence number in the status log.");
    events.put(STATUS_REPLAYED, "Status sequencing records skipped: already sequenced.");
    this.counters = new Counters(context, IssuanceTopology.INTEGRATE, events);
    MerkleTree t = current();
    if (t != null) {
      LOG.info(
          "log {} (task {}) resumes at size {}, root {}",
          log.origin(),
          context.taskId(),
          t.size(),
          Hex.encode(t.root()));
    }
  }

  /** The tree as the stores hold it, or null if the log is still empty. */
  private MerkleTree current() {
    byte[] state = logState.get(log.origin());
    if (state == null) {
      tree = null;
      treeState = null;
    } else if (tree == null || !Arrays.equals(state, treeState)) {
      try {
        tree = MerkleTree.open(nodes, CompactRange.fromBytes(state));
        treeState = state;
      } catch (MalformedInputException e) {
        throw new IllegalStateException(
            "store "
                + IssuanceTopology.LOG_STATE_STORE
                + " holds no frontier for "
                + log.origin()
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return tree;
  }

  /** The status log as the stores hold it. */
  private StatusLog statusLog() {
    byte[] c = logState.get(STATUS_COUNT_PREFIX + log.origin());
    long count = c == null ? 0 : java.nio.ByteBuffer.wrap(c).getLong();
    if (statusLog == null || statusLog.count() != count) {
      StatusLog s = new StatusLog();
      for (long i = 0; i < count; i++) {
        byte[] e = statusEvents.get(i);
        try {
          s.apply(StatusEvent.decode(e));
        } catch (MalformedInputException | RuntimeException ex) {
          throw new IllegalStateException(
              "store "
                  + IssuanceTopology.STATUS_EVENTS_STORE
                  + ": status event "
                  + i
                  + " of "
                  + log.origin()
                  + " cannot be replayed: "
                  + ex.getMessage(),
              ex);
        }
      }
      statusLog = s;
    }
    return statusLog;
  }

  private TreeHead head() {
    MerkleTree t = current();
    return new TreeHead(
        log.origin(),
        t == null ? 0 : t.size(),
        t == null ? Rfc9162.emptyRoot() : t.root(),
        statusLog().commitment());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    if (meta != null && statusSequenceTopic.name().equals(meta.topic())) {
      processStatus(record, meta);
      return;
    }
    LedgerEntry in = decode(record, meta);
    if (in == null) {
      return;
    }
    byte[] cert = Evidence.bytes(in.getCertificate());
    byte[] hash = Evidence.bytes(in.getCertificateSha256());
    if (cert == null || hash == null || !MessageDigest.isEqual(Sha256.hash(cert), hash)) {
      dead(record, meta, "the entry's certificateSha256 is not the SHA-256 of its certificate");
      return;
    }
    String certHash = Hex.encode(hash);
    Long index = sequenced.get(certHash);
    if (index != null) {
      counters.inc(SEQUENCE_REPLAYED);
      LOG.info(
          "certificate {} already has index {} in {}; sequencing record {} skipped",
          certHash,
          index,
          log.origin(),
          DeadLetters.where(meta));
      return;
    }
    byte[] entry;
    try {
      entry =
          TbsCertificateLogEntry.fromSubmittedCertificate(cert, log.caId())
              .toMtcLogEntry(List.of())
              .encode();
    } catch (MalformedInputException | IllegalArgumentException e) {
      counters.inc(ENTRIES_UNENCODABLE);
      dead(
          record,
          meta,
          "accepted certificate "
              + certHash
              + " (submission "
              + in.getSubmissionId()
              + ") cannot be encoded as an MTC log entry; it gets no index: "
              + e.getMessage());
      return;
    }
    try {
      if (current() == null) {
        tree = MerkleTree.open(nodes, new CompactRange());
        append(MtcLogEntry.nullEntry().encode(), null, record.timestamp());
        LOG.info("log {} starts: index 0 is the null_entry", log.origin());
      }
      long assigned = append(entry, in, record.timestamp());
      sequenced.put(certHash, assigned);
      EntryId id = EntryId.of(entry);
      byte[] idBytes = new byte[64];
      System.arraycopy(id.leafHash(), 0, idBytes, 0, 32);
      System.arraycopy(id.spkiHash(), 0, idBytes, 32, 32);
      entryIds.put(certHash, idBytes);
      counters.inc(ENTRIES_SEQUENCED);
      LOG.debug("certificate {} is entry {} of {}", certHash, assigned, log.origin());
    } catch (MalformedInputException e) {
      throw new IllegalStateException("an entry this stream encoded does not decode", e);
    } catch (RuntimeException e) {
      // The in-memory frontier may be ahead of the stores now; the task will be retried from the
      // last commit, and reloads the tree from its stores.
      tree = null;
      treeState = null;
      throw e;
    }
    context.forward(
        new Record<>(log.origin(), (Object) head(), record.timestamp()),
        IssuanceTopology.CHECKPOINT);
  }

  // ---- status ----------------------------------------------------------------------------------

  /**
   * Gives a granted lifecycle request the next sequence number of the status log, applies it and
   * publishes it on {@code ledger.status} with its evidence. The quorum already checked the
   * transition; this re-checks it against the status log, so the log never holds an impossible one:
   * a record that fails goes to the dead-letter topic and consumes no sequence number.
   */
  private void processStatus(Record<String, byte[]> record, RecordMetadata meta) {
    StatusEntry in;
    try {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value");
      }
      in =
          statusSequenceTopic
              .valueSerde()
              .deserializer()
              .deserialize(statusSequenceTopic.name(), record.value());
    } catch (RuntimeException e) {
      dead(record, meta, "cannot decode a StatusEntry: " + e.getMessage());
      return;
    }
    if (!log.origin().equals(in.getOrigin()) || log.number() != in.getLogNumber()) {
      dead(
          record,
          meta,
          "the status request is for log "
              + in.getLogNumber()
              + " ("
              + in.getOrigin()
              + "); this issuance stream sequences log "
              + log.number());
      return;
    }
    byte[] cert = Evidence.bytes(in.getCertificateSha256());
    if (cert == null || cert.length != 32 || in.getRequests().isEmpty()) {
      dead(record, meta, "the status request names no certificate or carries no request");
      return;
    }
    String certHash = Hex.encode(cert);
    String first = in.getRequests().get(0).getSubmissionId();
    Long done = statusSequenced.get(first);
    if (done != null) {
      counters.inc(STATUS_REPLAYED);
      LOG.info(
          "lifecycle request {} on {} already is status event {}; record {} skipped",
          first,
          certHash,
          done,
          DeadLetters.where(meta));
      return;
    }
    byte[] idBytes = entryIds.get(certHash);
    if (sequenced.get(certHash) == null || idBytes == null) {
      dead(record, meta, "certificate " + certHash + " is not in " + log.origin());
      return;
    }
    EntryId id =
        new EntryId(
            java.util.Arrays.copyOfRange(idBytes, 0, 32),
            java.util.Arrays.copyOfRange(idBytes, 32, 64));
    Lifecycle.Operation op;
    try {
      op = Lifecycle.Operation.valueOf(in.getOperation().name());
    } catch (IllegalArgumentException e) {
      dead(record, meta, in.getOperation() + " is not a lifecycle operation");
      return;
    }
    Integer reason = in.getReasonCode();
    if (reason != null && !Lifecycle.isReasonCode(reason)) {
      dead(record, meta, "reason code " + reason + " is not an RFC 5280 CRLReason");
      return;
    }
    byte[] supersededBy = Evidence.bytes(in.getSupersededBy());
    if ((op == Lifecycle.Operation.RENEW)
        != (supersededBy != null
            && supersededBy.length == 32
            && sequenced.get(Hex.encode(supersededBy)) != null)) {
      dead(
          record,
          meta,
          "a RENEW names the admitted certificate that supersedes the old one, and only a RENEW"
              + " does");
      return;
    }
    StatusLog sl = statusLog();
    CertificateState now = sl.state(id.leafHash());
    Lifecycle.Result r = Lifecycle.apply(now, op);
    if (!r.allowed()) {
      dead(record, meta, op + " of " + certHash + " (" + now + "): " + r.refusal());
      return;
    }
    long seq = sl.count();
    StatusEvent e =
        new StatusEvent(
            seq,
            id.leafHash(),
            id.spkiHash(),
            cert,
            r.state().get(),
            op,
            reason,
            clock.millis(),
            supersededBy);
    byte[] encoded = e.encode();
    try {
      sl.apply(e);
      statusEvents.put(seq, encoded);
      logState.put(
          STATUS_COUNT_PREFIX + log.origin(),
          java.nio.ByteBuffer.allocate(8).putLong(seq + 1).array());
      statusSequenced.put(first, seq);
    } catch (RuntimeException ex) {
      statusLog = null;
      throw ex;
    }
    counters.inc(STATUS_SEQUENCED);
    StatusEntry out =
        StatusEntry.newBuilder(in)
            .setSequence(seq)
            .setEvent(Evidence.buffer(encoded))
            .setSequencedAt(Instant.ofEpochMilli(clock.millis()))
            .build();
    context.forward(
        new Record<>(log.origin(), (Object) out, record.timestamp()), IssuanceTopology.STATUS_SINK);
    LOG.info(
        "status event {} of {}: {} of {} by {} ({}), now {}",
        seq,
        log.origin(),
        op,
        certHash,
        in.getRequests().stream().map(x -> x.getSubmitter()).toList(),
        reason == null ? "no reason code" : "reason " + reason,
        e.state());
    context.forward(
        new Record<>(log.origin(), (Object) head(), record.timestamp()),
        IssuanceTopology.CHECKPOINT);
  }

  /**
   * Appends one entry at the next index, persists the frontier and publishes the ledger entry.
   *
   * @param accepted the accepted certificate's sequencing record; null for the null entry
   * @return the index
   */
  private long append(byte[] entry, LedgerEntry accepted, long timestamp) {
    long index = tree.size();
    tree.append(Rfc9162.leafHash(entry));
    treeState = tree.frontier().toBytes();
    logState.put(log.origin(), treeState);
    LedgerEntry.Builder out =
        LedgerEntry.newBuilder()
            .setOrigin(log.origin())
            .setLogNumber(log.number())
            .setIndex(index)
            .setEntry(Evidence.buffer(entry))
            .setSequencedAt(Instant.ofEpochMilli(clock.millis()));
    if (accepted == null) {
      out.setCertificate(null)
          .setCertificateSha256(null)
          .setSubmissionId(null)
          .setSubmitter(null)
          .setEvidence(List.of());
    } else {
      out.setCertificate(Evidence.buffer(Evidence.bytes(accepted.getCertificate())))
          .setCertificateSha256(Evidence.buffer(Evidence.bytes(accepted.getCertificateSha256())))
          .setSubmissionId(accepted.getSubmissionId())
          .setSubmitter(accepted.getSubmitter())
          .setEvidence(accepted.getEvidence());
    }
    context.forward(
        new Record<>(log.origin(), (Object) out.build(), timestamp), IssuanceTopology.ENTRIES_SINK);
    return index;
  }

  private LedgerEntry decode(Record<String, byte[]> record, RecordMetadata meta) {
    if (record.value() == null) {
      dead(record, meta, "the record has no value");
      return null;
    }
    LedgerEntry in;
    try {
      in =
          sequenceTopic
              .valueSerde()
              .deserializer()
              .deserialize(sequenceTopic.name(), record.value());
    } catch (RuntimeException e) {
      dead(record, meta, "cannot decode a LedgerEntry: " + e.getMessage());
      return null;
    }
    if (!log.origin().equals(in.getOrigin()) || log.number() != in.getLogNumber()) {
      dead(
          record,
          meta,
          "the entry is for log "
              + in.getLogNumber()
              + " ("
              + in.getOrigin()
              + "); this issuance stream sequences log "
              + log.number()
              + " ("
              + log.origin()
              + ")");
      return null;
    }
    return in;
  }

  private void dead(Record<String, byte[]> record, RecordMetadata meta, String reason) {
    LOG.warn("dead-lettering {}: {}", DeadLetters.where(meta), reason);
    counters.inc(DEAD_LETTERS);
    context.forward(
        new Record<>(
            meta == null ? "?" : meta.topic(),
            (Object) DeadLetters.of(record, meta, reason, clock.instant()),
            record.timestamp()),
        IssuanceTopology.INTEGRATE_DLQ_SINK);
  }

  @Override
  public void close() {
    if (counters != null) {
      counters.close();
    }
  }
}
