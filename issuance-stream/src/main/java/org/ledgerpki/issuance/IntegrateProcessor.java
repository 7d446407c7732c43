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
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.LedgerEntry;
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

  private final TrustPolicy.LogIdentity log;
  private final Topic<String, LedgerEntry> sequenceTopic;
  private final Clock clock;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, byte[]> logState;
  private KeyValueNodeStore nodes;
  private KeyValueStore<String, Long> sequenced;
  private Counters counters;
  // A cache of the tree the stores hold, and the log-state bytes it was read from or last wrote.
  // The stores are the truth: the cache is used only while log-state still holds those bytes.
  private MerkleTree tree;
  private byte[] treeState;

  IntegrateProcessor(
      TrustPolicy.LogIdentity log, Topic<String, LedgerEntry> sequenceTopic, Clock clock) {
    this.log = log;
    this.sequenceTopic = sequenceTopic;
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
    Map<String, String> events = new LinkedHashMap<>();
    events.put(ENTRIES_SEQUENCED, "Certificates given an index and appended to the log.");
    events.put(SEQUENCE_REPLAYED, "Sequencing records skipped: the certificate has an index.");
    events.put(ENTRIES_UNENCODABLE, "Accepted certificates the MTC encoder cannot encode.");
    events.put(DEAD_LETTERS, "Input records sent to the dead-letter topic.");
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

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
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
      counters.inc(ENTRIES_SEQUENCED);
      LOG.debug("certificate {} is entry {} of {}", certHash, assigned, log.origin());
    } catch (RuntimeException e) {
      // The in-memory frontier may be ahead of the stores now; the task will be retried from the
      // last commit, and reloads the tree from its stores.
      tree = null;
      treeState = null;
      throw e;
    }
    context.forward(
        new Record<>(
            log.origin(),
            (Object) new TreeHead(log.origin(), tree.size(), tree.root()),
            record.timestamp()),
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
