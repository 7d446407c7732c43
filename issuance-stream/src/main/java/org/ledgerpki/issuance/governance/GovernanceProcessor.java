package org.ledgerpki.issuance.governance;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.CompactRange;
import org.ledgerpki.core.policy.Approval;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.GovernanceQuorum;
import org.ledgerpki.core.policy.PolicyChain;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.issuance.IssuanceTopology;
import org.ledgerpki.issuance.checkpoint.PolicySwitch;
import org.ledgerpki.issuance.integrate.StatusIntegration;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.Governance;
import org.ledgerpki.schemas.Topic;
import org.ledgerpki.schemas.avro.GovernanceAct;
import org.ledgerpki.schemas.avro.PolicyChange;
import org.ledgerpki.streams.DeadLetterOut;
import org.ledgerpki.streams.metrics.LedgerCounters;
import org.ledgerpki.streams.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Governance: reads members' acts on {@code ledger.governance}, collects the approvals of each
 * proposed policy under the policy in force, and once a governance quorum of the current members
 * approved a proposal ({@link PolicyChain#validate}), sequences the change: publishes the {@link
 * PolicyChange} on {@code ledger.policy} with {@code effectiveIndex} = the log's size and {@code
 * effectiveStatusSequence} = the status log's count now, switches the stream's policy ({@link
 * PolicyHolder}) for every later decision, and tells {@code checkpoint} to sign a checkpoint naming
 * the new policy. See docs/governance.md.
 *
 * <p>It runs in the task of {@code integrate} (it reads {@code integrate}'s {@code log-state}
 * store), so the effective positions are exact: the next entry and status event are the first under
 * the new policy. State, committed with the output (exactly-once v2):
 *
 * <ul>
 *   <li>{@code governance-acts}: {@code <serial>/<policy hash hex>/proposal} → the proposal, {@code
 *       <serial>/<policy hash hex>/approval/<member>} → each member's first verifying act;
 *   <li>{@code policy-changes}: serial → the sequenced change; the history is rebuilt from it (and
 *       verified from the genesis policy) when the task starts.
 * </ul>
 *
 * <p>An act that does not verify (undecodable, wrong key, wrong serial or previous hash, a
 * signature that is not a current member's, an invalid proposed document) goes to {@code
 * ledger.dlq} with the reason, and is counted; an act about a serial already in force is counted
 * and ignored.
 */
public final class GovernanceProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(GovernanceProcessor.class);

  public static final String ACTS_STORED = "governance-acts-stored";
  public static final String ACTS_REFUSED = "governance-acts-refused";
  public static final String ACTS_LATE = "governance-acts-late";
  public static final String ACTS_DUPLICATE = "governance-acts-duplicate";
  public static final String POLICY_CHANGES = "policy-changes-sequenced";

  private final TrustPolicy genesis;
  private final PolicyHolder holder;
  private final Topic<String, GovernanceAct> governanceTopic;
  private final Clock clock;
  private final Signatures signatures = Signatures.defaults();

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, GovernanceAct> acts;
  private KeyValueStore<Long, PolicyChange> changes;
  private KeyValueStore<String, byte[]> logState;
  private LedgerCounters counters;
  private DeadLetterOut dlq;

  /** The governance of the consortium whose genesis policy is {@code genesis}. */
  public GovernanceProcessor(
      TrustPolicy genesis,
      PolicyHolder holder,
      Topic<String, GovernanceAct> governanceTopic,
      Clock clock) {
    this.genesis = genesis;
    this.holder = holder;
    this.governanceTopic = governanceTopic;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.acts = context.getStateStore(IssuanceTopology.GOVERNANCE_ACTS_STORE);
    this.changes = context.getStateStore(IssuanceTopology.POLICY_CHANGES_STORE);
    this.logState = context.getStateStore(IssuanceTopology.LOG_STATE_STORE);
    Map<String, String> events = new LinkedHashMap<>();
    events.put(ACTS_STORED, "Governance acts kept towards a policy change.");
    events.put(ACTS_REFUSED, "Governance acts refused and sent to the dead-letter topic.");
    events.put(ACTS_LATE, "Governance acts about a policy already in force; ignored.");
    events.put(ACTS_DUPLICATE, "Second approvals of one proposal by one member; ignored.");
    events.put(POLICY_CHANGES, "Policy changes sequenced on the policy topic.");
    this.counters =
        LedgerCounters.perTask(
            context, IssuanceTopology.METRICS_GROUP, IssuanceTopology.GOVERNANCE, events);
    this.dlq =
        DeadLetterOut.toChild(
            context,
            IssuanceTopology.SERVICE,
            clock,
            LOG,
            () -> counters.inc(ACTS_REFUSED),
            IssuanceTopology.INTEGRATE_DLQ_SINK);
    PolicyHistory rebuilt = rebuild();
    holder.advance(rebuilt);
    if (rebuilt.entries().size() > 1) {
      LOG.info("policy history rebuilt from the store: {}", rebuilt);
    }
  }

  /** The history from the genesis policy and the stored changes, verified step by step. */
  private PolicyHistory rebuild() {
    List<org.ledgerpki.core.policy.PolicyChange> stored = new ArrayList<>();
    try (KeyValueIterator<Long, PolicyChange> it = changes.all()) {
      while (it.hasNext()) {
        stored.add(Governance.toCore(it.next().value));
      }
    }
    stored.sort(java.util.Comparator.comparingLong(org.ledgerpki.core.policy.PolicyChange::serial));
    try {
      return PolicyChain.verify(genesis, stored, signatures);
    } catch (GovernanceException e) {
      throw new IllegalStateException(
          "store " + IssuanceTopology.POLICY_CHANGES_STORE + " does not verify: " + e.getMessage(),
          e);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    GovernanceAct act =
        dlq.decode(
            record,
            governanceTopic.valueSerde().deserializer(),
            governanceTopic.name(),
            "a GovernanceAct");
    if (act == null) {
      return;
    }
    // The holder's history is the store's (rebuilt at init, advanced here) or, before this task
    // started, what the service read from ledger.policy: the same records, verified the same way.
    TrustPolicy current = holder.latest();
    long serial = act.getSerial();
    if (!Governance.key(serial).equals(record.key())) {
      dlq.send(record, "record key " + record.key() + " is not the act's serial " + serial);
      return;
    }
    if (serial <= current.serial()) {
      counters.inc(ACTS_LATE);
      LOG.info(
          "governance act {} of '{}' is about serial {}, and serial {} is in force; ignored",
          act.getActId(),
          act.getMember(),
          serial,
          current.serial());
      return;
    }
    if (serial != current.serial() + 1) {
      dlq.send(
          record, "wrong-serial: expected serial " + (current.serial() + 1) + ", found " + serial);
      return;
    }
    byte[] previous = Evidence.bytes(act.getPreviousPolicySha256());
    if (!MessageDigest.isEqual(previous, current.sha256())) {
      dlq.send(
          record,
          "wrong-previous: expected the previous policy hash "
              + b64(current.sha256())
              + " (serial "
              + current.serial()
              + "), found "
              + b64(previous));
      return;
    }
    byte[] hash = Evidence.bytes(act.getPolicySha256());
    if (hash == null || hash.length != Sha256.SIZE) {
      dlq.send(record, "the policy hash is not 32 bytes");
      return;
    }
    Approval approval = Governance.approval(act);
    Optional<String> fault = GovernanceQuorum.check(current, serial, hash, approval, signatures);
    if (fault.isPresent()) {
      dlq.send(record, "the approval of '" + act.getMember() + "' does not count: " + fault.get());
      return;
    }
    String prefix = serial + "/" + Hex.encode(hash) + "/";
    byte[] document = Evidence.bytes(act.getDocument());
    if (document != null) {
      if (!MessageDigest.isEqual(Sha256.hash(document), hash)) {
        dlq.send(
            record,
            "hash-mismatch: expected SHA-256 of the document "
                + b64(Sha256.hash(document))
                + ", found "
                + b64(hash));
        return;
      }
      try {
        PolicyChain.checkProposal(current, document, previous);
      } catch (GovernanceException e) {
        dlq.send(record, e.getMessage());
        return;
      }
      if (acts.get(prefix + "proposal") == null) {
        acts.put(prefix + "proposal", act);
      }
    }
    String approvalKey = prefix + "approval/" + act.getMember();
    if (acts.get(approvalKey) != null) {
      counters.inc(ACTS_DUPLICATE);
      LOG.info(
          "'{}' already approved serial {} ({}); act {} ignored",
          act.getMember(),
          serial,
          Hex.encode(hash),
          act.getActId());
    } else {
      acts.put(approvalKey, act);
      counters.inc(ACTS_STORED);
    }
    tryToSequence(current, prefix, record.timestamp());
  }

  /** Sequences the proposal under {@code prefix} if it is present and has its quorum. */
  private void tryToSequence(TrustPolicy current, String prefix, long timestamp) {
    GovernanceAct proposal = acts.get(prefix + "proposal");
    if (proposal == null) {
      return;
    }
    List<Approval> approvals = new ArrayList<>();
    try (KeyValueIterator<String, GovernanceAct> it =
        acts.prefixScan(prefix + "approval/", new StringSerializer())) {
      while (it.hasNext()) {
        approvals.add(Governance.approval(it.next().value));
      }
    }
    byte[] document = Evidence.bytes(proposal.getDocument());
    byte[] hash = Evidence.bytes(proposal.getPolicySha256());
    GovernanceQuorum.Tally tally =
        GovernanceQuorum.tally(current, proposal.getSerial(), hash, approvals, signatures);
    if (!tally.reached()) {
      LOG.info(
          "policy serial {} ({}) waits for approvals: {}",
          proposal.getSerial(),
          Hex.encode(hash),
          tally.shortfall());
      return;
    }
    List<Approval> counted =
        approvals.stream().filter(a -> tally.counted().contains(a.member())).toList();
    org.ledgerpki.core.policy.PolicyChange change =
        new org.ledgerpki.core.policy.PolicyChange(
            proposal.getSerial(),
            document,
            hash,
            current.sha256(),
            logSize(),
            statusCount(),
            counted,
            clock.millis());
    PolicyHistory next;
    try {
      next = holder.history().extend(change, signatures);
    } catch (GovernanceException e) {
      // Each act was checked on arrival, so this is a bug, not input to dead-letter.
      throw new IllegalStateException("a checked policy change does not verify: " + e, e);
    }
    PolicyChange out = Governance.toAvro(change);
    changes.put(change.serial(), out);
    holder.advance(next);
    dropActsUpTo(change.serial());
    counters.inc(POLICY_CHANGES);
    context.forward(
        new Record<>(Governance.key(change.serial()), (Object) out, timestamp),
        IssuanceTopology.POLICY_SINK);
    LOG.info(
        "policy serial {} ({}) is in force from index {} and status sequence {}, approved by {}",
        change.serial(),
        Hex.encode(hash),
        change.effectiveIndex(),
        change.effectiveStatusSequence(),
        tally.counted());
    String origin = current.log().origin();
    context.forward(
        new Record<>(origin, (Object) new PolicySwitch(origin, change.serial()), timestamp),
        IssuanceTopology.CHECKPOINT);
  }

  /** Forgets the acts about serials up to {@code serial}: they can no longer take effect. */
  private void dropActsUpTo(long serial) {
    List<String> done = new ArrayList<>();
    try (KeyValueIterator<String, GovernanceAct> it = acts.all()) {
      while (it.hasNext()) {
        KeyValue<String, GovernanceAct> kv = it.next();
        if (kv.value.getSerial() <= serial) {
          done.add(kv.key);
        }
      }
    }
    done.forEach(acts::delete);
  }

  /** The log's size now: the index the next entry gets. */
  private long logSize() {
    byte[] state = logState.get(genesis.log().origin());
    if (state == null) {
      return 0;
    }
    try {
      return CompactRange.fromBytes(state).size();
    } catch (MalformedInputException e) {
      throw new IllegalStateException(
          "store " + IssuanceTopology.LOG_STATE_STORE + " holds no frontier: " + e.getMessage(), e);
    }
  }

  /** The status log's count now: the sequence number the next status event gets. */
  private long statusCount() {
    return StatusIntegration.statusCount(logState, genesis.log().origin());
  }

  private static String b64(byte[] b) {
    return b == null ? "nothing" : java.util.Base64.getEncoder().encodeToString(b);
  }

  @Override
  public void close() {
    if (counters != null) {
      counters.close();
    }
  }
}
