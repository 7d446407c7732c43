package org.ledgerpki.inquiry.index;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.VerificationException;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.CheckpointVerifier;
import org.ledgerpki.core.verify.VerifiedCheckpoint;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Decision;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;

/**
 * The inquiry node's index of the ledger, built only from the ledger topics: certificate hash to
 * (log, index); per log the tree, entries, cosigned checkpoints and landmarks ({@link LogState});
 * and the consortium's decisions, for certificates that were rejected or are accepted but not yet
 * sequenced.
 *
 * <p>Every {@code apply} is idempotent: replaying the topics (or the store's journal) gives the
 * same index, and a record that contradicts what is held is logged and dropped, keeping the first.
 * Each returns whether the index now holds the record (or keeps it waiting): the follower journals
 * only those, since a replay of the journal does not check signatures again. One thread applies;
 * any number of threads look up. Lookups are hash-map lookups plus O(log n) proof hashing.
 *
 * <p>Checkpoints are only kept if their signatures verify against the trust policy's log key and
 * cosigner quorum, so that every answer the node gives verifies at the relying party. Entries and
 * status events (and decisions) are only held if they carry their log's signature ({@link
 * LogSignatureCheck}).
 */
public final class LedgerIndex {
  private static final Logger log = Logger.getLogger(LedgerIndex.class);

  private record Location(LogState log, long index) {}

  private final CheckpointVerifier verifier;
  private final PolicyLedger policies;
  private final UnprovenLimits limits;
  // The logs the trust policy names (the log is the same in every policy of the chain): records
  // of any other origin are ignored and counted, so that forged origins cannot make the index grow.
  private final Set<String> origins = new HashSet<>();
  private final LogSignatureCheck signatures;
  private final LandmarkCheck landmarkCheck;

  /** Per origin, the newest cosigned checkpoint naming a policy the chain does not hold yet. */
  private final ConcurrentHashMap<String, CosignedCheckpoint> awaitingPolicy =
      new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, LogState> logs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<CertKey, Location> certificates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<CertKey, DecisionView> decisions = new ConcurrentHashMap<>();
  private final AtomicLong entries = new AtomicLong();
  private final Refusals refusals = new Refusals();

  /**
   * An index that verifies each cosigned checkpoint with the cosigners and quorum of the policy it
   * names ({@link PolicyLedger#verifierFor}); a checkpoint naming a policy the chain does not hold
   * yet waits (the newest per log) until {@link #policyExtended()}.
   *
   * @param verifier the genesis policy's, for a checkpoint without a policy line when {@code
   *     policies} is null
   */
  public LedgerIndex(CheckpointVerifier verifier, PolicyLedger policies) {
    this(verifier, policies, UnprovenLimits.DEFAULT);
  }

  /** An index whose logs hold at most {@code limits} unproven records each. */
  public LedgerIndex(CheckpointVerifier verifier, PolicyLedger policies, UnprovenLimits limits) {
    this.verifier = verifier;
    this.policies = policies;
    this.limits = limits;
    verifier.bundle().logs().forEach(l -> origins.add(l.origin()));
    this.signatures = new LogSignatureCheck(verifier.bundle());
    this.landmarkCheck = new LandmarkCheck(verifier.bundle(), policies);
  }

  /**
   * Whether the log {@code origin} holds as many unproven records of {@code topic} (entries or
   * status events) as {@link UnprovenLimits} allows: the follower then stops reading that partition
   * until a cosigned checkpoint commits to more of them.
   */
  public boolean full(LedgerTopic topic, String origin) {
    LogState s = logs.get(origin);
    if (s == null) {
      return false;
    }
    LogState.Unproven u = s.unproven();
    return switch (topic) {
      case ENTRIES -> u.entries() >= limits.entries();
      case STATUS -> u.statusEvents() >= limits.statusEvents();
      default -> false;
    };
  }

  /**
   * The log {@code origin}, made on first use; null if the trust policy names no such log (the
   * record is counted in {@link #foreignCount}: another log's sharing the topics, or a forgery).
   */
  private LogState logOf(String origin, String kind, long number) {
    return named(origin, kind, number) ? logs.computeIfAbsent(origin, LogState::new) : null;
  }

  /** Whether the trust policy names the log {@code origin}; if not, the record is foreign. */
  private boolean named(String origin, String kind, long number) {
    if (!origins.contains(origin)) {
      refusals.foreign(kind, number, origin);
      return false;
    }
    return true;
  }

  /** Re-applies the checkpoints that waited for a policy, after the chain was extended. */
  public void policyExtended() {
    for (String origin : List.copyOf(awaitingPolicy.keySet())) {
      CosignedCheckpoint c = awaitingPolicy.remove(origin);
      if (c != null) {
        apply(c);
      }
    }
  }

  // --- applying records --------------------------------------------------------------------

  /**
   * Applies a {@code ledger.entries} record. One of a log the policy does not name is ignored, and
   * one its log did not sign refused, before anything else of it is read.
   *
   * @return whether the entry was appended (not ignored, refused, or already held)
   */
  public boolean apply(LedgerEntry e) {
    if (!named(e.getOrigin(), "entry", e.getIndex())) {
      return false;
    }
    if (signatures.refuses(e)) {
      refusals.count();
      return false;
    }
    byte[] entry = Evidence.bytes(e.getEntry());
    if (e.getIndex() < 0 || entry == null || entry.length == 0) {
      refusals.refuse(
          "entry of log '%s' at index %d has no MTC log entry", e.getOrigin(), e.getIndex());
      return false;
    }
    byte[] certificate = Evidence.bytes(e.getCertificate());
    LogState state = logs.computeIfAbsent(e.getOrigin(), LogState::new);
    EntryOutcome outcome = state.append(e.getIndex(), e.getLogNumber(), entry, certificate);
    switch (outcome) {
      case CONFLICT ->
          refusals.refuse(
              "log %s: index %d is already held with other bytes; keeping the first",
              e.getOrigin(), e.getIndex());
      case AHEAD ->
          refusals.refuse(
              "log %s: entry %d comes before entry %d; ledger.entries is written in index order, so"
                  + " only a forgery leaves a gap: dropped",
              e.getOrigin(), e.getIndex(), state.size());
      case SAME, APPENDED -> {}
    }
    if (outcome == EntryOutcome.APPENDED) {
      entries.incrementAndGet();
      if (certificate != null) {
        index(state, e.getIndex(), certificate);
      }
    }
    ByteBuffer claimed = e.getCertificateSha256();
    if (certificate != null
        && claimed != null
        && !CertKey.of(Sha256.hash(certificate)).equals(keyOrNull(claimed))) {
      log.warnf(
          "log %s: entry %d names certificate %s but carries %s; indexed by the carried one",
          e.getOrigin(),
          e.getIndex(),
          Hex.encode(Evidence.bytes(claimed)),
          Hex.encode(Sha256.hash(certificate)));
    }
    return outcome == EntryOutcome.APPENDED;
  }

  /**
   * Indexes the certificate of entry {@code index} of {@code state} by its hash (the first wins).
   */
  private void index(LogState state, long index, byte[] certificate) {
    CertKey key = CertKey.of(Sha256.hash(certificate));
    Location previous = certificates.putIfAbsent(key, new Location(state, index));
    if (previous != null) {
      log.warnf(
          "certificate %s is in log %s at index %d and again at index %d; answering with the"
              + " first",
          key, previous.log().origin(), previous.index(), index);
    }
  }

  /**
   * Applies a {@code ledger.cosigned} record: verified, then kept once the tree proves it.
   *
   * @return whether it is held, or waits for the tree or for its policy
   */
  public boolean apply(CosignedCheckpoint c) {
    VerifiedCheckpoint verified;
    String answerNote;
    try {
      CheckpointVerifier v = policies == null ? verifier : policies.verifierFor(c.getNote());
      verified = v.verify(c.getNote());
      answerNote = v.answerForm(c.getNote());
    } catch (PolicyLedger.UnknownPolicy ex) {
      if (!origins.contains(c.getOrigin())) {
        refusals.foreign("cosigned checkpoint at size", c.getSize(), c.getOrigin());
        return false;
      }
      // The policy change is on another topic and may be read after the checkpoint naming it.
      awaitingPolicy.merge(
          c.getOrigin(), c, (held, next) -> next.getSize() >= held.getSize() ? next : held);
      log.debugf(
          "cosigned checkpoint of %s at size %d waits for its policy: %s",
          c.getOrigin(), c.getSize(), ex.getMessage());
      return true;
    } catch (MalformedInputException | VerificationException ex) {
      refusals.refuse(
          "cosigned checkpoint of %s at size %d does not verify against the trust policy: %s",
          c.getOrigin(), c.getSize(), ex.getMessage());
      return false;
    }
    Checkpoint cp = verified.checkpoint();
    byte[] root = Evidence.bytes(c.getRootHash());
    if (!cp.origin().equals(c.getOrigin())
        || cp.size() != c.getSize()
        || !java.util.Arrays.equals(cp.rootHash(), root)) {
      refusals.refuse(
          "cosigned checkpoint record (%s, size %d, root %s) does not match its note (%s, size %d,"
              + " root %s)",
          c.getOrigin(),
          c.getSize(),
          root == null ? "none" : Hex.encode(root),
          cp.origin(),
          cp.size(),
          Hex.encode(cp.rootHash()));
      return false;
    }
    if (cp.size() == 0) {
      return false;
    }
    StatusCommitment status;
    try {
      status = StatusCommitment.find(cp.extensions()).orElse(null);
    } catch (MalformedInputException ex) {
      status = null;
    }
    if (status == null) {
      refusals.refuse(
          "cosigned checkpoint of %s at size %d commits to no certificate status (no"
              + " ledger-pki-status line); relying parties could not verify answers against it",
          c.getOrigin(), c.getSize());
      return false;
    }
    CheckpointView view =
        CheckpointView.of(
            cp.origin(),
            cp.size(),
            cp.rootHash(),
            c.getPreviousSize(),
            c.getNote(),
            c.getCosigners(),
            SubtreeView.of(c.getSubtrees()),
            c.getPublishedAt(),
            status,
            answerNote);
    SealOutcome outcome = logs.computeIfAbsent(cp.origin(), LogState::new).addCheckpoint(view);
    return held(outcome);
  }

  /**
   * Applies a {@code ledger.status} record: its encoded event goes to the log's status map once a
   * cosigned checkpoint commits to it. The evidence is the cosigners' to check. A record of a log
   * the policy does not name is ignored; one that does not carry its log's signature, whose event
   * this node cannot decode, or whose fields disagree with its event, is refused.
   *
   * @return whether the event is held or waits for a checkpoint
   */
  public boolean apply(StatusEntry s) {
    if (!named(s.getOrigin(), "status event", s.getSequence())) {
      return false;
    }
    if (signatures.refuses(s)) {
      refusals.count();
      return false;
    }
    StatusEvent e;
    try {
      e = StatusEvent.decode(Evidence.bytes(s.getEvent()));
    } catch (MalformedInputException ex) {
      refusals.refuse(
          "status event %d of %s does not decode: %s",
          s.getSequence(), s.getOrigin(), ex.getMessage());
      return false;
    }
    if (e.sequence() != s.getSequence()
        || !java.util.Arrays.equals(
            e.certificateSha256(), Evidence.bytes(s.getCertificateSha256()))) {
      refusals.refuse(
          "status event %d of %s: the record's sequence or certificate is not its event's",
          s.getSequence(), s.getOrigin());
      return false;
    }
    LogState state = logs.computeIfAbsent(s.getOrigin(), LogState::new);
    return held(state.addStatusEvent(e));
  }

  /**
   * Applies a {@code ledger.landmarks} record; only COSIGNED landmarks count, and only if their
   * subtrees carry a quorum of cosignatures ({@link LandmarkCheck}).
   *
   * @return whether it is held or waits for the tree
   */
  public boolean apply(Landmark l) {
    LogState state;
    if (l.getState() != LandmarkState.COSIGNED
        || (state = logOf(l.getOrigin(), "landmark", l.getNumber())) == null) {
      return false;
    }
    String why = landmarkCheck.problem(l);
    if (why != null) {
      refusals.refuse("landmark %d of %s refused: %s", l.getNumber(), l.getOrigin(), why);
      return false;
    }
    return held(state.addLandmark(LandmarkView.of(l)));
  }

  /** Counts a conflict as refused; whether the checkpoint, landmark or event is held or waits. */
  private boolean held(SealOutcome outcome) {
    if (outcome == SealOutcome.CONFLICT) {
      refusals.count();
    }
    return outcome == SealOutcome.ACCEPTED || outcome == SealOutcome.DEFERRED;
  }

  /**
   * Applies a {@code ledger.decisions} record. Only issuance decisions count. An acceptance is
   * never undone by a later rejection (a second submission of an admitted certificate is rejected
   * as a duplicate); otherwise the latest decision wins. Only decisions the log signed count.
   *
   * @return whether it was weighed against the decision held (not ignored or refused)
   */
  public boolean apply(Decision d) {
    if (d.getOperation() != Operation.ISSUE) {
      return false;
    }
    if (signatures.refuses(d)) {
      refusals.count();
      return false;
    }
    CertKey key = keyOrNull(d.getCertificateSha256());
    if (key == null) {
      refusals.refuse("decision %s names no 32-byte certificate hash", d.getSubmissionId());
      return false;
    }
    DecisionView view = DecisionView.of(d);
    decisions.merge(
        key,
        view,
        (held, next) -> {
          if (held.accepted() != next.accepted()) {
            return held.accepted() ? held : next;
          }
          return next.decidedAt().isBefore(held.decidedAt()) ? held : next;
        });
    return true;
  }

  private static CertKey keyOrNull(ByteBuffer b) {
    byte[] bytes = Evidence.bytes(b);
    return bytes != null && bytes.length == 32 ? CertKey.of(bytes) : null;
  }

  // --- lookups -----------------------------------------------------------------------------

  /** The certificate's entry, with a proof if a cosigned checkpoint covers it. */
  public Optional<Located> locate(CertKey key) {
    Location l = certificates.get(key);
    return l == null ? Optional.empty() : Optional.of(l.log().locate(l.index()));
  }

  /**
   * The entry of a certificate the ledger may hold in another encoding (another serial, another
   * signature encoding): its MTC log entry, as each log would encode it, looked up by leaf hash.
   */
  public Optional<Located> locateEntry(byte[] certificateDer) {
    for (LogState log : logs.values()) {
      try {
        byte[] entry =
            org.ledgerpki.core.mtc.TbsCertificateLogEntry.fromSubmittedCertificate(
                    certificateDer, org.ledgerpki.core.verify.StatusVerifier.caIdOf(log.origin()))
                .toMtcLogEntry(java.util.List.of())
                .encode();
        java.util.OptionalLong i =
            log.indexOfLeaf(org.ledgerpki.core.merkle.Rfc9162.leafHash(entry));
        if (i.isPresent()) {
          return Optional.of(log.locate(i.getAsLong()));
        }
      } catch (org.ledgerpki.core.MalformedInputException
          | org.ledgerpki.core.VerificationException
          | IllegalArgumentException e) {
        // Not an entry of this log.
      }
    }
    return Optional.empty();
  }

  /**
   * The index of the certificate's entry in the log {@code origin}, without building any proof;
   * empty if it is not in that log.
   */
  public java.util.OptionalLong indexIn(String origin, CertKey key) {
    Location l = certificates.get(key);
    return l == null || !l.log().origin().equals(origin)
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(l.index());
  }

  /** The consortium's issuance decision on the certificate, if any. */
  public Optional<DecisionView> decision(CertKey key) {
    return Optional.ofNullable(decisions.get(key));
  }

  /** The log with this origin, if the index has seen anything of it. */
  public Optional<LogState> log(String origin) {
    return Optional.ofNullable(logs.get(origin));
  }

  /** Every log seen. */
  public Collection<LogState> logs() {
    return List.copyOf(logs.values());
  }

  /** How many certificates are in a log. */
  public long certificateCount() {
    return certificates.size();
  }

  /** How many entries (null entries included) the logs hold. */
  public long entryCount() {
    return entries.get();
  }

  /** How many certificates have a decision. */
  public long decisionCount() {
    return decisions.size();
  }

  /** How many records of logs the trust policy does not name were ignored. */
  public long foreignCount() {
    return refusals.foreignCount();
  }

  /** Entries and status events held beyond their logs' largest verified checkpoints, summed. */
  public LogState.Unproven unproven() {
    long entries = 0;
    long events = 0;
    for (LogState s : logs.values()) {
      LogState.Unproven u = s.unproven();
      entries += u.entries();
      events += u.statusEvents();
    }
    return new LogState.Unproven(entries, events);
  }

  /**
   * How many records were refused (malformed, contradicting, or not verifying), those of {@link
   * #unsignedCount} included.
   */
  public long refusedCount() {
    return refusals.refusedCount();
  }

  /** The check of the log's signature on entries and status events, for the follower. */
  LogSignatureCheck signatures() {
    return signatures;
  }

  /** How many entries and status events were refused for want of their log's valid signature. */
  public long unsignedCount() {
    return signatures.refusedCount();
  }
}
