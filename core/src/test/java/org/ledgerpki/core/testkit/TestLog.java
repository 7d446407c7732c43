package org.ledgerpki.core.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.status.CertificateState;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.core.status.StatusEvent;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.core.verify.StatusAnswer;

/**
 * A log over real MTC entries of the given certificates (index 0 is the null entry), with
 * checkpoints signed by {@link TestConsortium}'s log key and cosigned by chosen members: the shape
 * of what the pipeline publishes, built without Kafka.
 */
public final class TestLog {
  private final TestConsortium tc = TestConsortium.get();
  private final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
  private final List<byte[]> entries = new ArrayList<>();
  private final List<byte[]> certificates = new ArrayList<>();
  private final StatusLog status = new StatusLog();

  public TestLog() {
    append(MtcLogEntry.nullEntry().encode(), null);
  }

  /** Appends a certificate's MTC entry; returns its index. */
  public long add(byte[] certificateDer) {
    try {
      byte[] entry =
          TbsCertificateLogEntry.fromSubmittedCertificate(certificateDer, TestConsortium.CA_ID)
              .toMtcLogEntry(List.of())
              .encode();
      return append(entry, certificateDer);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private long append(byte[] entry, byte[] cert) {
    entries.add(entry);
    certificates.add(cert);
    tree.append(org.ledgerpki.core.merkle.Rfc9162.leafHash(entry));
    return tree.size() - 1;
  }

  public MerkleTree tree() {
    return tree;
  }

  public StatusLog status() {
    return status;
  }

  /** The status identity of the entry at {@code index} (requires index ≥ 1). */
  public EntryId entryId(long index) {
    try {
      return EntryId.of(entries.get((int) index));
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Applies a lifecycle event to the entry at {@code index}; returns it. */
  public StatusEvent lifecycle(long index, Lifecycle.Operation op, Integer reason, long atMillis) {
    EntryId id = entryId(index);
    byte[] h = Sha256.hash(certificates.get((int) index));
    CertificateState next = Lifecycle.apply(status.state(id.leafHash()), op).state().orElseThrow();
    StatusEvent e =
        new StatusEvent(
            status.count(), id.leafHash(), id.spkiHash(), h, next, op, reason, atMillis, null);
    status.apply(e);
    return e;
  }

  public String origin() {
    return tc.log().origin();
  }

  /** The checkpoint at the current size, signed by the log and cosigned by {@code cosigners}. */
  public String cosignedCheckpoint(List<String> cosigners, long timestamp) {
    return cosignedCheckpoint(tree.size(), cosigners, timestamp);
  }

  /** The checkpoint at {@code size}, signed by the log and cosigned by {@code cosigners}. */
  public String cosignedCheckpoint(long size, List<String> cosigners, long timestamp) {
    Checkpoint cp =
        new Checkpoint(
            origin(), size, tree.rootAt(size), List.of(status.commitment().extensionLine()));
    List<NoteSigner> signers = new ArrayList<>();
    signers.add(tc.log().noteSigner());
    String text = Notes.sign(cp.body(), signers);
    StringBuilder sb = new StringBuilder(text);
    for (String id : cosigners) {
      MemberKeys m = tc.member(id);
      sb.append(m.ed25519Cosigner().cosign(cp, timestamp).line()).append('\n');
    }
    return sb.toString();
  }

  /**
   * The checkpoint at the current size as the aggregator publishes it: signed by the log with
   * Ed25519 and ML-DSA-44, and cosigned by each of {@code cosigners} with an Ed25519 {@code
   * cosignature/v1} and an ML-DSA-44 {@code subtree/v1} line.
   */
  public String fullyCosignedCheckpoint(List<String> cosigners, long timestamp) {
    long size = tree.size();
    Checkpoint cp =
        new Checkpoint(
            origin(), size, tree.rootAt(size), List.of(status.commitment().extensionLine()));
    List<NoteSigner> signers = new ArrayList<>();
    signers.add(tc.log().noteSigner());
    signers.add(tc.log().mlDsaSigner());
    StringBuilder sb = new StringBuilder(Notes.sign(cp.body(), signers));
    for (String id : cosigners) {
      MemberKeys m = tc.member(id);
      sb.append(m.ed25519Cosigner().cosign(cp, timestamp).line()).append('\n');
      sb.append(m.mlDsaCosigner().cosign(cp, timestamp).line()).append('\n');
    }
    return sb.toString();
  }

  /**
   * {@code note} with an ML-DSA-44 status cosignature line (ADR 0010) of each of {@code cosigners}
   * at {@code timestamp} appended, as the aggregator publishes it since.
   */
  public String withStatusCosignatures(String note, List<String> cosigners, long timestamp)
      throws org.ledgerpki.core.MalformedInputException {
    Checkpoint cp = Checkpoint.fromNote(org.ledgerpki.core.note.Note.parse(note));
    StringBuilder sb = new StringBuilder(note);
    for (String id : cosigners) {
      sb.append(tc.member(id).mlDsaCosigner().cosignStatus(cp, timestamp).line()).append('\n');
    }
    return sb.toString();
  }

  /**
   * An answer for {@code index} with its current status, relative to {@code checkpointNote} of size
   * {@code size}, whose status line must be this log's current one.
   */
  public StatusAnswer goodAnswer(
      long index, long size, String checkpointNote, Instant produced, Instant next) {
    byte[] h = Sha256.hash(certificates.get((int) index));
    EntryId id = entryId(index);
    List<String> proof = new ArrayList<>();
    for (byte[] x : tree.inclusionProof(index, size)) {
      proof.add(Base64.getEncoder().encodeToString(x));
    }
    return new StatusAnswer(
        Hex.encode(h),
        StatusAnswer.statusOf(status, id),
        origin(),
        index,
        Base64.getEncoder().encodeToString(entries.get((int) index)),
        proof,
        checkpointNote,
        null,
        null,
        StatusAnswer.StatusProof.from(status, id),
        Base64.getEncoder().encodeToString(certificates.get((int) index)),
        produced.toString(),
        next.toString());
  }
}
