package org.ledgerpki.cosign;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.crypto.SignatureAlgorithm;
import org.ledgerpki.core.evidence.BatchEvidence;
import org.ledgerpki.core.evidence.BatchSigner;
import org.ledgerpki.core.evidence.EndorsementStatement;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.testkit.TestConsortium;
import org.ledgerpki.core.testkit.TestPki;
import org.ledgerpki.schemas.Evidence;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.Checkpoint;
import org.ledgerpki.schemas.avro.Endorsement;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.Operation;
import org.ledgerpki.schemas.avro.StatusEntry;
import org.ledgerpki.schemas.avro.Verdict;

/**
 * Plays the issuance stream for tests: ledger entries with the real MTC encodings of {@link
 * TestPki} certificates and real batch-signed endorsements of {@link TestConsortium} validators,
 * and checkpoints signed by the consortium's log key, each naming the size it extends. Index 0 is
 * the null entry. Keeps its own tree, for the roots and subtree hashes tests expect.
 *
 * <p>Every entry and status event it makes or appends carries the log's signature ({@code
 * logSignature}, docs/adr/0012), as the issuance stream's records do: the records of a dishonest
 * sequencer too, which holds the log's key. A test that forges a record without the key removes or
 * replaces the signature after the record is made; one that edits a record the log signed and means
 * it to be the log's signs it again with {@link #logSigned(LedgerEntry)}.
 */
public final class TestLedger {
  public static final TestConsortium TC = TestConsortium.get();
  public static final String VENDOR_O = TestConsortium.organization("vendor-a");

  /** The log's Ed25519 key, with which it signs the records it publishes. */
  public static final java.security.PrivateKey LOG_KEY = TC.log().ed25519().getPrivate();

  private final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final org.ledgerpki.core.status.StatusLog status =
      new org.ledgerpki.core.status.StatusLog();
  private long lastCheckpointSize;
  private int serial;

  /**
   * The policy line of the checkpoints this ledger signs (docs/governance.md): the issuance stream
   * names the policy in force in every checkpoint; by default the test consortium's genesis policy;
   * null for none.
   */
  public String policyLine =
      org.ledgerpki.core.policy.PolicyCommitment.of(TC.policy()).extensionLine();

  public TestLedger() {
    append(entry(0, MtcLogEntry.nullEntry().encode(), null, List.of()));
  }

  public String origin() {
    return TC.log().origin();
  }

  public MerkleTree tree() {
    return tree;
  }

  public long size() {
    return tree.size();
  }

  /** A fresh vendor certificate (DER). */
  public byte[] newCertificate() {
    return TestPki.vendor(SignatureAlgorithm.ED25519, VENDOR_O, "nf-" + serial++).der();
  }

  /** Appends a fresh certificate endorsed by vendor-a and operator-b (k = 2). */
  public LedgerEntry add() {
    byte[] cert = newCertificate();
    return add(cert, endorsements(cert, "vendor-a", "operator-b"));
  }

  /** Appends {@code n} fresh, properly endorsed certificates. */
  public List<LedgerEntry> add(int n) {
    List<LedgerEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(add());
    }
    return out;
  }

  /** Appends {@code cert}'s MTC entry with the given evidence. */
  public LedgerEntry add(byte[] cert, List<Endorsement> evidence) {
    return append(entry(size(), mtcEntry(cert), cert, evidence));
  }

  /**
   * Appends a record as given, signed by the log (its leaf goes into the tree as the log would hash
   * it); {@code e} is signed in place.
   */
  public LedgerEntry append(LedgerEntry e) {
    logSigned(e);
    entries.add(e);
    tree.append(Rfc9162.leafHash(Evidence.bytes(e.getEntry())));
    return e;
  }

  public List<LedgerEntry> entries() {
    return entries;
  }

  /** The MTC encoding of {@code cert} for the consortium's CA. */
  public static byte[] mtcEntry(byte[] cert) {
    try {
      return TbsCertificateLogEntry.fromSubmittedCertificate(cert, TestConsortium.CA_ID)
          .toMtcLogEntry(List.of())
          .encode();
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** {@code e}, signed (in place) by the log, as the log publishes it. */
  public static LedgerEntry logSigned(LedgerEntry e) {
    return LogRecords.sign(e, LOG_KEY);
  }

  /** {@code s}, signed (in place) by the log, as the log publishes it. */
  public static StatusEntry logSigned(StatusEntry s) {
    return LogRecords.sign(s, LOG_KEY);
  }

  /** A ledger entry record at {@code index}, signed by the log. */
  public LedgerEntry entry(long index, byte[] entry, byte[] cert, List<Endorsement> evidence) {
    return logSigned(
        LedgerEntry.newBuilder()
            .setOrigin(origin())
            .setLogNumber(1)
            .setIndex(index)
            .setEntry(ByteBuffer.wrap(entry))
            .setCertificate(Evidence.buffer(cert))
            .setCertificateSha256(
                cert == null ? null : Evidence.buffer(org.ledgerpki.core.Sha256.hash(cert)))
            .setSubmissionId(
                cert == null ? null : submissionId(org.ledgerpki.core.Sha256.hash(cert)))
            .setSubmitter(cert == null ? null : "vendor-a")
            .setEvidence(evidence)
            .setSequencedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .build());
  }

  /** ENDORSE verdicts on ISSUE of {@code cert}, one per validator, each batch-signed. */
  public static List<Endorsement> endorsements(byte[] cert, String... validators) {
    List<Endorsement> out = new ArrayList<>();
    for (String v : validators) {
      out.add(endorsement(cert, v, TC.member(v)));
    }
    return out;
  }

  /** An ENDORSE verdict naming {@code validator}, signed with {@code signerKeys}' key. */
  public static Endorsement endorsement(byte[] cert, String validator, MemberKeys signerKeys) {
    return signed(unsigned(org.ledgerpki.core.Sha256.hash(cert), validator), signerKeys);
  }

  /** The submission id of the ISSUE of the certificate with hash {@code certSha256}. */
  public static String submissionId(byte[] certSha256) {
    return "sub-" + org.ledgerpki.core.Hex.encode(certSha256).substring(0, 8);
  }

  /** An unsigned ENDORSE verdict on ISSUE of the certificate with hash {@code certSha256}. */
  public static Endorsement.Builder unsigned(byte[] certSha256, String validator) {
    return Endorsement.newBuilder()
        .setSubmissionId(submissionId(certSha256))
        .setOperation(Operation.ISSUE)
        .setSubmitter("vendor-a")
        .setCertificateSha256(ByteBuffer.wrap(certSha256))
        .setValidator(validator)
        .setVerdict(Verdict.ENDORSE)
        .setReasons(List.of())
        .setValidatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setSignature(Evidence.unsigned(validator));
  }

  /** Signs the verdict with {@code keys}' endorsement key, naming the verdict's validator. */
  public static Endorsement signed(Endorsement.Builder b, MemberKeys keys) {
    Endorsement e = b.build();
    BatchSigner signer =
        new BatchSigner(
            e.getValidator(), keys.endorsement().getPrivate(), keys.endorsement().getPublic());
    BatchEvidence ev =
        signer.sign(EndorsementStatement.KIND, List.of(Evidence.statement(e).encode())).get(0);
    e.setSignature(Evidence.signature(ev));
    return e;
  }

  /** A checkpoint of the whole log, extending the last one, signed by the log. */
  public Checkpoint checkpoint(long timestampMillis) {
    return checkpoint(size(), timestampMillis);
  }

  /** A checkpoint at {@code size} (at most the ledger's), extending the last one. */
  public Checkpoint checkpoint(long size, long timestampMillis) {
    Checkpoint c =
        checkpoint(
            size, lastCheckpointSize, tree.rootAt(size), timestampMillis, TC.log().noteSigner());
    lastCheckpointSize = size;
    return c;
  }

  /**
   * A checkpoint with the given fields, signed by {@code signer}; the ledger's chain is untouched.
   */
  public Checkpoint checkpoint(
      long size, long previousSize, byte[] root, long timestampMillis, NoteSigner signer) {
    return checkpoint(
        size, previousSize, root, timestampMillis, signer, status.commitment().extensionLine());
  }

  /** As above, with the given status line ({@code ledger-pki-status …}), or none if null. */
  public Checkpoint checkpoint(
      long size,
      long previousSize,
      byte[] root,
      long timestampMillis,
      NoteSigner signer,
      String statusLine) {
    org.ledgerpki.core.tlog.Checkpoint body =
        new org.ledgerpki.core.tlog.Checkpoint(
            origin(),
            size,
            root,
            java.util.stream.Stream.of(statusLine, policyLine)
                .filter(java.util.Objects::nonNull)
                .toList());
    return Checkpoint.newBuilder()
        .setOrigin(origin())
        .setSize(size)
        .setRootHash(ByteBuffer.wrap(root))
        .setPreviousSize(previousSize)
        .setNote(Notes.sign(body.body(), List.of(signer)))
        .setTimestamp(Instant.ofEpochMilli(timestampMillis))
        .build();
  }

  /** The status log of the events made by {@link #lifecycle}. */
  public org.ledgerpki.core.status.StatusLog status() {
    return status;
  }

  /**
   * The next status event: {@code op} on {@code target} (an entry of this ledger, owned by
   * vendor-a), requested by {@code requesters}, each request endorsed by operator-b and operator-c;
   * applied to this ledger's status log and signed by the log.
   */
  public org.ledgerpki.schemas.avro.StatusEntry lifecycle(
      LedgerEntry target, Operation op, Integer reason, String... requesters) {
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < requesters.length; i++) {
      at.add(1_700_000_000_000L);
    }
    return lifecycle(target, op, reason, at, 1_700_000_000_000L, requesters);
  }

  /**
   * As {@link #lifecycle(LedgerEntry, Operation, Integer, String...)}, with request i signed at
   * {@code submittedAt.get(i)} and the event sequenced at {@code sequencedAt} (epoch ms).
   */
  public org.ledgerpki.schemas.avro.StatusEntry lifecycle(
      LedgerEntry target,
      Operation op,
      Integer reason,
      List<Long> submittedAt,
      long sequencedAt,
      String... requesters) {
    return event(target, op, reason, submittedAt, sequencedAt, null, requesters);
  }

  /**
   * The next status event: vendor-a renews {@code target} with {@code fresh}, its new certificate
   * (an entry of this ledger, or not), as {@link #lifecycle(LedgerEntry, Operation, Integer,
   * String...)}.
   */
  public org.ledgerpki.schemas.avro.StatusEntry renewal(LedgerEntry target, byte[] fresh) {
    return event(
        target,
        Operation.RENEW,
        org.ledgerpki.core.status.Lifecycle.REASON_SUPERSEDED,
        List.of(1_700_000_000_000L),
        1_700_000_000_000L,
        fresh,
        "vendor-a");
  }

  private org.ledgerpki.schemas.avro.StatusEntry event(
      LedgerEntry target,
      Operation op,
      Integer reason,
      List<Long> submittedAt,
      long sequencedAt,
      byte[] fresh,
      String... requesters) {
    byte[] hash = Evidence.bytes(target.getCertificateSha256());
    byte[] supersededBy = fresh == null ? null : org.ledgerpki.core.Sha256.hash(fresh);
    List<org.ledgerpki.schemas.avro.Submission> requests = new ArrayList<>();
    List<Endorsement> evidence = new ArrayList<>();
    for (int i = 0; i < requesters.length; i++) {
      String r = requesters[i];
      MemberKeys m = TC.member(r);
      org.ledgerpki.schemas.avro.Submission.Builder b =
          org.ledgerpki.schemas.avro.Submission.newBuilder()
              .setSubmissionId("req-" + r + "-" + status.count())
              .setOperation(op)
              .setSubmitter(r)
              .setCertificate(fresh == null ? null : ByteBuffer.wrap(fresh))
              .setTargetCertificateSha256(ByteBuffer.wrap(hash))
              .setReasonCode(reason)
              .setSubmittedAt(Instant.ofEpochMilli(submittedAt.get(i)));
      org.ledgerpki.schemas.avro.Submission s =
          org.ledgerpki.schemas.Submissions.sign(
                  new BatchSigner(r, m.submission().getPrivate(), m.submission().getPublic()),
                  List.of(b))
              .get(0)
              .submission();
      requests.add(s);
      for (String v : List.of("operator-b", "operator-c")) {
        evidence.add(
            signed(
                unsigned(hash, v)
                    .setSubmissionId(s.getSubmissionId())
                    .setOperation(op)
                    .setSubmitter(r),
                TC.member(v)));
      }
    }
    org.ledgerpki.core.status.Lifecycle.Operation lop =
        org.ledgerpki.core.status.Lifecycle.Operation.valueOf(op.name());
    Integer eventReason = org.ledgerpki.core.status.Lifecycle.eventReason(lop, reason);
    org.ledgerpki.core.status.EntryId id;
    try {
      id = org.ledgerpki.core.status.EntryId.of(Evidence.bytes(target.getEntry()));
    } catch (org.ledgerpki.core.MalformedInputException ex) {
      throw new IllegalArgumentException(ex);
    }
    org.ledgerpki.core.status.StatusEvent e =
        new org.ledgerpki.core.status.StatusEvent(
            status.count(),
            id.leafHash(),
            id.spkiHash(),
            hash,
            org.ledgerpki.core.status.Lifecycle.apply(status.state(id.leafHash()), lop)
                .state()
                .orElseThrow(),
            lop,
            eventReason,
            1_700_000_000_000L,
            supersededBy);
    status.apply(e);
    return logSigned(
        org.ledgerpki.schemas.avro.StatusEntry.newBuilder()
            .setOrigin(origin())
            .setLogNumber(1)
            .setSequence(e.sequence())
            .setEvent(ByteBuffer.wrap(e.encode()))
            .setCertificateSha256(ByteBuffer.wrap(hash))
            .setOperation(op)
            .setReasonCode(eventReason)
            .setSupersededBy(supersededBy == null ? null : ByteBuffer.wrap(supersededBy))
            .setOwner("vendor-a")
            .setRequests(requests)
            .setEvidence(evidence)
            .setSequencedAt(Instant.ofEpochMilli(sequencedAt))
            .build());
  }

  /**
   * Event {@code old} again, as the next status event (a dishonest sequencer replaying its signed
   * requests and evidence); applied to this ledger's status log and signed by the log.
   */
  public org.ledgerpki.schemas.avro.StatusEntry replay(org.ledgerpki.schemas.avro.StatusEntry old) {
    byte[] hash = Evidence.bytes(old.getCertificateSha256());
    org.ledgerpki.core.status.Lifecycle.Operation lop =
        org.ledgerpki.core.status.Lifecycle.Operation.valueOf(old.getOperation().name());
    org.ledgerpki.core.status.StatusEvent was;
    try {
      was = org.ledgerpki.core.status.StatusEvent.decode(Evidence.bytes(old.getEvent()));
    } catch (org.ledgerpki.core.MalformedInputException ex) {
      throw new IllegalArgumentException(ex);
    }
    org.ledgerpki.core.status.StatusEvent e =
        new org.ledgerpki.core.status.StatusEvent(
            status.count(),
            was.entryHash(),
            was.spkiHash(),
            hash,
            org.ledgerpki.core.status.Lifecycle.apply(status.state(was.entryHash()), lop)
                .state()
                .orElseThrow(),
            lop,
            old.getReasonCode(),
            1_700_000_000_000L,
            null);
    status.apply(e);
    return logSigned(
        org.ledgerpki.schemas.avro.StatusEntry.newBuilder(old)
            .setSequence(e.sequence())
            .setEvent(ByteBuffer.wrap(e.encode()))
            .build());
  }

  public long lastCheckpointSize() {
    return lastCheckpointSize;
  }
}
