package org.ledgerpki.issuance.integrate;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.evidence.BatchVerifier;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.quorum.Readmission;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.issuance.checkpoint.LogSigner;
import org.ledgerpki.issuance.checkpoint.TreeHead;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.Outcome;
import org.ledgerpki.schemas.avro.Reason;
import org.ledgerpki.schemas.avro.ReasonCode;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.PromptCommit;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.ledgerpki.streams.store.KeyValueNodeStore;
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
 *       the sequencing topic is never appended twice;
 *   <li>{@code admission}: what {@link Readmission} needs of the log: {@code leaf/<leaf hash>} →
 *       index, {@code key/<certificate hash>} → the entry's subjectPublicKeyInfoHash and owner,
 *       {@code compromised/<spki hash>} and {@code revoked/<spki hash>} → the revoked certificate,
 *       its reason and owner.
 * </ul>
 *
 * <p>The decision on an accepted ISSUE is published here, once the log has taken it: ACCEPTED with
 * its index, or REJECTED when the log refuses the entry ({@code ENTRY_ALREADY_IN_LOG}, {@code
 * KEY_COMPROMISED}, {@code KEY_REUSE_REFUSED}, or {@code MALFORMED_CERTIFICATE} when it has no MTC
 * encoding); a refused entry consumes no index.
 *
 * <p>Index 0 of every log is the MTC {@code null_entry}, appended and published before the first
 * certificate. Indices are contiguous and never come from Kafka offsets. A certificate the MTC
 * encoder cannot encode goes to {@code ledger.dlq} and consumes no index.
 */
public final class IntegrateProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrateProcessor.class);

  public static final String ENTRIES_SEQUENCED = "entries-sequenced";
  public static final String SEQUENCE_REPLAYED = "sequence-replayed";
  public static final String ENTRIES_UNENCODABLE = "entries-unencodable";
  public static final String DEAD_LETTERS = "dead-letters";
  public static final String STATUS_SEQUENCED = "status-sequenced";
  public static final String STATUS_REPLAYED = "status-replayed";
  public static final String ENTRIES_REFUSED_DUPLICATE = "entries-refused-duplicate";
  public static final String ENTRIES_REFUSED_KEY_COMPROMISED = "entries-refused-key-compromised";
  public static final String ENTRIES_REFUSED_KEY_REUSE = "entries-refused-key-reuse";

  public static final String ENTRIES_REFUSED_POLICY = "entries-refused-policy";
  public static final String STATUS_REFUSED_POLICY = "status-refused-policy";

  private final TrustPolicy.LogIdentity log;
  private final PolicyHolder holder;
  private final BatchVerifier verifier;
  private final LogSigner signer;
  private final Topic<String, LedgerEntry> sequenceTopic;
  private final Topic<String, StatusEntry> statusSequenceTopic;
  private final Clock clock;

  private ProcessorContext<String, Object> context;
  private PromptCommit prompt;
  private KeyValueStore<String, byte[]> logState;
  private KeyValueNodeStore nodes;
  private SequencedCertificates certificates;
  private Admission admission;
  private PolicyRecheck recheck;
  private StatusIntegration status;
  private LedgerCounters counters;
  private DeadLetterOut dlq;
  // A cache of the tree the stores hold, and the log-state bytes it was read from or last wrote.
  // The stores are the truth: the cache is used only while log-state still holds those bytes.
  private MerkleTree tree;
  private byte[] treeState;

  /**
   * @param log the log this task sequences
   * @param holder the policy in force and its history, to re-check what the quorum decided
   * @param signer the log's signer, which signs every entry and status event it publishes
   */
  public IntegrateProcessor(
      TrustPolicy.LogIdentity log,
      PolicyHolder holder,
      BatchVerifier verifier,
      LogSigner signer,
      Topic<String, LedgerEntry> sequenceTopic,
      Topic<String, StatusEntry> statusSequenceTopic,
      Clock clock) {
    this.log = log;
    this.signer = signer;
    this.holder = holder;
    this.verifier = verifier;
    this.sequenceTopic = sequenceTopic;
    this.statusSequenceTopic = statusSequenceTopic;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.prompt = PromptCommit.of(context);
    this.logState = context.getStateStore(IssuanceTopology.LOG_STATE_STORE);
    KeyValueStore<Bytes, byte[]> nodeStore =
        context.getStateStore(IssuanceTopology.TREE_NODES_STORE);
    this.nodes = new KeyValueNodeStore(nodeStore);
    this.certificates = new SequencedCertificates(context);
    this.admission = new Admission(context.getStateStore(IssuanceTopology.ADMISSION_STORE));
    this.recheck = new PolicyRecheck(holder, verifier);
    Map<String, String> events = new LinkedHashMap<>();
    events.put(ENTRIES_SEQUENCED, "Certificates given an index and appended to the log.");
    events.put(SEQUENCE_REPLAYED, "Sequencing records skipped: the certificate has an index.");
    events.put(ENTRIES_UNENCODABLE, "Accepted certificates the MTC encoder cannot encode.");
    events.put(DEAD_LETTERS, "Input records sent to the dead-letter topic.");
    events.put(STATUS_SEQUENCED, "Lifecycle events given a sequence number in the status log.");
    events.put(STATUS_REPLAYED, "Status sequencing records skipped: already sequenced.");
    events.put(ENTRIES_REFUSED_DUPLICATE, "Entries refused: identical to one in the log.");
    events.put(ENTRIES_REFUSED_KEY_COMPROMISED, "Entries refused: their key is compromised.");
    events.put(ENTRIES_REFUSED_KEY_REUSE, "Entries refused: the key of a revoked entry.");
    events.put(
        ENTRIES_REFUSED_POLICY,
        "Entries refused: decided under an older policy, without a quorum under the one in force.");
    events.put(
        STATUS_REFUSED_POLICY,
        "Lifecycle requests refused: granted under an older policy, not under the one in force.");
    this.counters =
        LedgerCounters.perTask(
            context, IssuanceTopology.METRICS_GROUP, IssuanceTopology.INTEGRATE, events);
    this.dlq =
        DeadLetterOut.toChild(
            context,
            IssuanceTopology.SERVICE,
            clock,
            LOG,
            () -> counters.inc(DEAD_LETTERS),
            IssuanceTopology.INTEGRATE_DLQ_SINK);
    this.status =
        new StatusIntegration(
            log,
            statusSequenceTopic,
            context,
            certificates,
            admission,
            recheck,
            counters,
            dlq,
            signer,
            clock);
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

  private TreeHead head() {
    MerkleTree t = current();
    return new TreeHead(
        log.origin(),
        t == null ? 0 : t.size(),
        t == null ? Rfc9162.emptyRoot() : t.root(),
        status.statusLog().commitment());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    if (meta != null && statusSequenceTopic.name().equals(meta.topic())) {
      if (status.process(record, meta)) {
        context.forward(
            new Record<>(log.origin(), (Object) head(), record.timestamp()),
            IssuanceTopology.CHECKPOINT);
        prompt.forwarded();
      }
      return;
    }
    LedgerEntry in = decode(record, meta);
    if (in == null) {
      return;
    }
    byte[] cert = Evidence.bytes(in.getCertificate());
    byte[] hash = Evidence.bytes(in.getCertificateSha256());
    if (cert == null || hash == null || !MessageDigest.isEqual(Sha256.hash(cert), hash)) {
      dlq.send(record, "the entry's certificateSha256 is not the SHA-256 of its certificate");
      return;
    }
    String certHash = Hex.encode(hash);
    Long index = certificates.index(certHash);
    if (index != null) {
      counters.inc(SEQUENCE_REPLAYED);
      LOG.info(
          "certificate {} already has index {} in {}; sequencing record {} skipped",
          certHash,
          index,
          log.origin(),
          DeadLetterOut.where(Optional.ofNullable(meta)));
      return;
    }
    byte[] entry;
    byte[] spki;
    try {
      TbsCertificateLogEntry tbs =
          TbsCertificateLogEntry.fromSubmittedCertificate(cert, log.caId());
      entry = tbs.toMtcLogEntry(List.of()).encode();
      spki = tbs.subjectPublicKeyInfoHash();
    } catch (MalformedInputException | IllegalArgumentException e) {
      counters.inc(ENTRIES_UNENCODABLE);
      decide(
          in,
          Outcome.REJECTED,
          ReasonCode.MALFORMED_CERTIFICATE,
          "the certificate cannot be encoded as an MTC log entry: " + e.getMessage(),
          record.timestamp());
      dlq.send(
          record,
          "accepted certificate "
              + certHash
              + " (submission "
              + in.getSubmissionId()
              + ") cannot be encoded as an MTC log entry; it gets no index: "
              + e.getMessage());
      return;
    }
    MerkleTree t = current();
    Optional<String> stale = recheck.entryProblem(in, hash, t == null ? 1 : t.size());
    if (stale.isPresent()) {
      counters.inc(ENTRIES_REFUSED_POLICY);
      LOG.warn(
          "refusing certificate {} (submission {} by '{}') in {}: {}",
          certHash,
          in.getSubmissionId(),
          in.getSubmitter(),
          log.origin(),
          stale.get());
      decide(in, Outcome.REJECTED, ReasonCode.OTHER, stale.get(), record.timestamp());
      return;
    }
    Optional<Readmission.Refused> refused =
        admission.check(entry, spki, in.getSubmitter(), Readmission.KeyReuse.of(holder.latest()));
    if (refused.isPresent()) {
      Readmission.Refused r = refused.get();
      counters.inc(
          switch (r.refusal()) {
            case ENTRY_ALREADY_IN_LOG -> ENTRIES_REFUSED_DUPLICATE;
            case KEY_COMPROMISED -> ENTRIES_REFUSED_KEY_COMPROMISED;
            case KEY_REUSE_REFUSED -> ENTRIES_REFUSED_KEY_REUSE;
          });
      LOG.warn(
          "refusing certificate {} (submission {} by '{}') in {}: {}",
          certHash,
          in.getSubmissionId(),
          in.getSubmitter(),
          log.origin(),
          r.detail());
      decide(
          in,
          Outcome.REJECTED,
          ReasonCode.valueOf(r.refusal().name()),
          r.detail(),
          record.timestamp());
      return;
    }
    try {
      if (current() == null) {
        tree = MerkleTree.open(nodes, new CompactRange());
        append(MtcLogEntry.nullEntry().encode(), null, record.timestamp());
        LOG.info("log {} starts: index 0 is the null_entry", log.origin());
      }
      long assigned = append(entry, in, record.timestamp());
      byte[] leaf = Rfc9162.leafHash(entry);
      certificates.put(certHash, leaf, spki, assigned, in.getSubmitter());
      admission.admitted(leaf, assigned);
      counters.inc(ENTRIES_SEQUENCED);
      LOG.debug("certificate {} is entry {} of {}", certHash, assigned, log.origin());
      decide(in, Outcome.ACCEPTED, null, null, record.timestamp());
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
    prompt.forwarded();
  }

  /** Publishes the decision on an accepted ISSUE once the log took it or refused it. */
  private void decide(
      LedgerEntry in, Outcome outcome, ReasonCode code, String detail, long timestamp) {
    List<Reason> reasons = new ArrayList<>();
    if (code != null) {
      reasons.add(new Reason(code, detail));
    }
    Decision d =
        Decision.newBuilder()
            .setSubmissionId(in.getSubmissionId() == null ? "" : in.getSubmissionId())
            .setOperation(Operation.ISSUE)
            .setSubmitter(in.getSubmitter() == null ? "" : in.getSubmitter())
            .setCertificateSha256(Evidence.buffer(Evidence.bytes(in.getCertificateSha256())))
            .setOutcome(outcome)
            .setReasons(reasons)
            .setEvidence(new ArrayList<>(in.getEvidence()))
            .setDecidedAt(Instant.ofEpochMilli(clock.millis()))
            .setOrigin(signer.origin())
            .build();
    context.forward(
        new Record<>(
            Hex.encode(Evidence.bytes(in.getCertificateSha256())),
            (Object) signer.sign(d),
            timestamp),
        IssuanceTopology.INTEGRATE_DECISIONS_SINK);
    prompt.forwarded();
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
        new Record<>(log.origin(), (Object) signer.sign(out.build()), timestamp),
        IssuanceTopology.ENTRIES_SINK);
    return index;
  }

  private LedgerEntry decode(Record<String, byte[]> record, RecordMetadata meta) {
    if (record.value() == null) {
      dlq.send(record, "the record has no value");
      return null;
    }
    LedgerEntry in =
        dlq.decode(
            record,
            sequenceTopic.valueSerde().deserializer(),
            sequenceTopic.name(),
            "a LedgerEntry");
    if (in == null) {
      return null;
    }
    if (!log.origin().equals(in.getOrigin()) || log.number() != in.getLogNumber()) {
      dlq.send(
          record,
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

  @Override
  public void close() {
    if (counters != null) {
      counters.close();
    }
  }
}
