package org.ledgerpki.inquiry.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.note.Note;
import org.ledgerpki.core.policy.GovernanceException;
import org.ledgerpki.core.policy.PolicyChange;
import org.ledgerpki.core.policy.PolicyCommitment;
import org.ledgerpki.core.policy.PolicyHistory;
import org.ledgerpki.core.policy.TrustPolicy;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.TrustBundle;
import org.ledgerpki.schemas.Governance;

/**
 * The consortium's policy chain as the inquiry node holds it: the genesis policy it is configured
 * with, then each change read from {@code ledger.policy} that verifies against the newest policy
 * held ({@link PolicyHistory#extend}, i.e. {@code PolicyChain}: serial, hashes, log identity,
 * governance quorum of the previous policy's members). A change that does not verify is refused,
 * logged with its reason and counted, and the chain stays as it was; a change already held (the
 * same serial and hash, read again after a restart) is ignored.
 *
 * <p>Thread-safe: the follower thread applies, the queries read a consistent snapshot.
 */
public final class PolicyLedger {
  private static final Logger log = Logger.getLogger(PolicyLedger.class);

  private volatile PolicyHistory history;
  private final Signatures signatures;
  private final AtomicLong refused = new AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<Long, CheckpointVerifier> verifiers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The chain does not (yet) hold the policy a checkpoint names. */
  public static final class UnknownPolicy extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownPolicy(String message) {
      super(message);
    }
  }

  /**
   * @param genesis the policy the node is configured with, parsed from the file's exact bytes
   */
  public PolicyLedger(TrustPolicy genesis, Signatures signatures) {
    this.history = PolicyHistory.genesis(genesis);
    this.signatures = signatures;
  }

  /**
   * Applies a record of {@code ledger.policy}.
   *
   * @return whether it extended the chain
   */
  public boolean apply(org.ledgerpki.schemas.avro.PolicyChange record) {
    PolicyChange change;
    try {
      change = Governance.toCore(record);
    } catch (RuntimeException e) {
      refuse(record.getSerial(), "it cannot be read: " + e.getMessage());
      return false;
    }
    PolicyHistory h = history;
    Optional<PolicyHistory.Entry> held = h.bySerial(change.serial());
    if (held.isPresent()) {
      if (java.util.Arrays.equals(held.get().policy().sha256(), change.policySha256())) {
        return false;
      }
      refuse(
          change.serial(),
          "the chain already holds serial "
              + change.serial()
              + " with sha256 "
              + Hex.encode(held.get().policy().sha256())
              + ", this change names "
              + Hex.encode(change.policySha256()));
      return false;
    }
    try {
      history = h.extend(change, signatures);
    } catch (GovernanceException e) {
      refuse(change.serial(), e.getMessage());
      return false;
    }
    TrustPolicy p = history.latest();
    log.infof(
        "policy serial %d (sha256 %s) in force from index %d / status %d, approved by %s: %s",
        p.serial(),
        Hex.encode(p.sha256()),
        change.effectiveIndex(),
        change.effectiveStatusSequence(),
        change.approvals().stream().map(a -> a.member()).toList(),
        p);
    return true;
  }

  private void refuse(long serial, String reason) {
    refused.incrementAndGet();
    log.errorf(
        "refused the policy change to serial %d from ledger.policy: %s (the chain stays at serial"
            + " %d)",
        serial, reason, history.latest().serial());
  }

  /** The verified history, genesis first. */
  public PolicyHistory history() {
    return history;
  }

  /** The newest policy of the verified chain. */
  public TrustPolicy latest() {
    return history.latest();
  }

  /** The newest policy as served. */
  public PolicyView newest() {
    return view(history.latestEntry());
  }

  /** The first (genesis) policy as served. */
  public PolicyView first() {
    return view(history.entries().get(0));
  }

  /** The policy of {@code serial}, if the chain holds it. */
  public Optional<PolicyView> get(long serial) {
    return history.bySerial(serial).map(PolicyLedger::view);
  }

  /**
   * The verifier of a cosigned checkpoint {@code note}: the cosigners and quorum of the policy its
   * {@code ledger-pki-policy} line names (docs/governance.md), or of the genesis policy if it has
   * no such line (a checkpoint from before governance).
   *
   * @throws UnknownPolicy if the chain holds no policy of the named serial yet; the caller keeps
   *     the checkpoint until it does
   * @throws VerificationException if the chain holds that serial with another hash
   * @throws MalformedInputException if the note or its policy line cannot be read
   */
  public CheckpointVerifier verifierFor(String note)
      throws UnknownPolicy, VerificationException, MalformedInputException {
    Optional<PolicyCommitment> named =
        PolicyCommitment.find(Checkpoint.fromNote(Note.parse(note)).extensions());
    PolicyHistory h = history;
    TrustPolicy p;
    if (named.isEmpty()) {
      p = h.genesis();
    } else {
      PolicyCommitment c = named.get();
      Optional<PolicyHistory.Entry> e = h.bySerial(c.serial());
      if (e.isEmpty()) {
        throw new UnknownPolicy(
            "the checkpoint names policy serial "
                + c.serial()
                + ", the verified chain holds serials "
                + h.genesis().serial()
                + " to "
                + h.latest().serial());
      }
      p = e.get().policy();
      if (!c.names(p)) {
        throw new VerificationException(
            "the checkpoint names policy serial "
                + c.serial()
                + " with sha256 "
                + Hex.encode(c.policySha256())
                + ", the verified chain's serial "
                + c.serial()
                + " has "
                + Hex.encode(p.sha256()));
      }
    }
    TrustPolicy policy = p;
    return verifiers.computeIfAbsent(
        policy.serial(),
        s -> {
          try {
            return new CheckpointVerifier(TrustBundle.fromPolicy(policy));
          } catch (MalformedInputException ex) {
            throw new IllegalStateException(
                "policy serial " + s + " does not make a trust bundle: " + ex.getMessage(), ex);
          }
        });
  }

  /** How many changes were refused. */
  public long refusedCount() {
    return refused.get();
  }

  private static PolicyView view(PolicyHistory.Entry e) {
    PolicyChange c = e.change();
    TrustPolicy p = e.policy();
    List<PolicyView.Approval> approvals =
        c == null
            ? List.of()
            : c.approvals().stream()
                .map(
                    a ->
                        new PolicyView.Approval(
                            a.member(), Instant.ofEpochMilli(a.signedAtMillis()), a.signature()))
                .toList();
    return new PolicyView(
        p.serial(),
        p.documentBytes(),
        p.sha256(),
        c == null ? null : c.previousPolicySha256(),
        e.effectiveIndex(),
        e.effectiveStatusSequence(),
        approvals);
  }
}
