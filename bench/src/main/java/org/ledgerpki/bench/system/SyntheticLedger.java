package org.ledgerpki.bench.system;

import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.crypto.Signatures;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.merkle.Subtree;
import org.ledgerpki.core.merkle.SubtreePair;
import org.ledgerpki.core.merkle.Subtrees;
import org.ledgerpki.core.mtc.MtcLogEntry;
import org.ledgerpki.core.mtc.TbsCertificateLogEntry;
import org.ledgerpki.core.note.NoteSigner;
import org.ledgerpki.core.note.Notes;
import org.ledgerpki.core.policy.LogKeys;
import org.ledgerpki.core.policy.MemberKeys;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.core.tlog.Checkpoint;
import org.ledgerpki.schemas.LogRecords;
import org.ledgerpki.schemas.avro.CosignedCheckpoint;
import org.ledgerpki.schemas.avro.Landmark;
import org.ledgerpki.schemas.avro.LandmarkState;
import org.ledgerpki.schemas.avro.LedgerEntry;
import org.ledgerpki.schemas.avro.SignedSubtree;
import org.ledgerpki.schemas.avro.SubtreeSignature;

/**
 * A ledger built without the pipeline, in the shape the issuance and cosign streams publish it, for
 * load tests of the inquiry node: real MTC log entries of the given certificates (index 0 is the
 * null entry), checkpoints signed by the log's Ed25519 and ML-DSA-44 keys and cosigned by the given
 * cosigners ({@code cosignature/v1} with Ed25519 and {@code subtree/v1} with ML-DSA-44, as a
 * cosigner does), with the ML-DSA-44-signed covering subtrees, and cosigned landmarks. Every entry
 * carries the log's signature ({@code logSignature}, with its Ed25519 key), as the issuance stream
 * signs it, or an inquiry node refuses it (docs/adr/0012-log-signed-ledger-records.md). The status
 * map is empty (no revocations), and its commitment is in every checkpoint.
 *
 * <p>The entries carry no endorsement evidence: the inquiry node does not serve it, and the
 * cosigners that would check it are not part of this benchmark. Not thread-safe.
 */
public final class SyntheticLedger {
  private final LogKeys log;
  private final PrivateKey recordKey;
  private final List<MemberKeys> cosigners;
  private final MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
  private final List<byte[]> entries = new ArrayList<>();
  private final List<byte[]> certificates = new ArrayList<>();
  private final String statusLine = new StatusLog().commitment().extensionLine();

  /**
   * @param log the log's keys (both Ed25519 and ML-DSA-44, as {@link LogKeys#generate} makes them)
   * @param cosigners the members whose cosignatures every checkpoint carries (at least the quorum)
   */
  public SyntheticLedger(LogKeys log, List<MemberKeys> cosigners) {
    this.log = log;
    // Converted once: the entries are signed one by one, a million of them for a large ledger.
    this.recordKey = Signatures.defaults().adopt(log.ed25519().getPrivate());
    this.cosigners = List.copyOf(cosigners);
    append(MtcLogEntry.nullEntry().encode(), null);
  }

  /** Appends a certificate's MTC log entry (no extensions, as the sequencer writes it). */
  public long add(byte[] certificateDer) {
    try {
      byte[] entry =
          TbsCertificateLogEntry.fromSubmittedCertificate(certificateDer, log.caId())
              .toMtcLogEntry(List.of())
              .encode();
      return append(entry, certificateDer);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private long append(byte[] entry, byte[] cert) {
    entries.add(entry);
    certificates.add(cert);
    tree.append(Rfc9162.leafHash(entry));
    return tree.size() - 1;
  }

  public String origin() {
    return log.origin();
  }

  public long size() {
    return tree.size();
  }

  public MerkleTree tree() {
    return tree;
  }

  /** The DER of the certificate at {@code index} (null at 0). */
  public byte[] certificate(long index) {
    return certificates.get(Math.toIntExact(index));
  }

  /** The {@code ledger.entries} record of {@code index}, signed by the log. */
  public LedgerEntry entry(long index) {
    int i = Math.toIntExact(index);
    byte[] cert = certificates.get(i);
    LedgerEntry e =
        LedgerEntry.newBuilder()
            .setOrigin(log.origin())
            .setLogNumber(log.number())
            .setIndex(index)
            .setEntry(ByteBuffer.wrap(entries.get(i)))
            .setCertificate(cert == null ? null : ByteBuffer.wrap(cert))
            .setCertificateSha256(cert == null ? null : ByteBuffer.wrap(Sha256.hash(cert)))
            .setSubmissionId(cert == null ? null : "bench-" + index)
            .setSubmitter(cert == null ? null : "vendor-a")
            .setEvidence(List.of())
            .setSequencedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .build();
    return LogRecords.sign(e, recordKey);
  }

  /**
   * The signed note of the checkpoint at {@code size}: the log's Ed25519 and ML-DSA-44 signatures,
   * then each cosigner's {@code cosignature/v1} and {@code subtree/v1} lines at {@code timestamp}.
   */
  public String note(long size, long timestamp) {
    Checkpoint cp = new Checkpoint(log.origin(), size, tree.rootAt(size), List.of(statusLine));
    String body = cp.body();
    List<NoteSigner> signers = new ArrayList<>(2);
    signers.add(log.noteSigner());
    if (log.mlDsa44() != null) {
      signers.add(log.mlDsaSigner());
    }
    StringBuilder sb = new StringBuilder(Notes.sign(body, signers));
    for (MemberKeys m : cosigners) {
      sb.append(m.ed25519Cosigner().cosign(body, timestamp).line()).append('\n');
      sb.append(m.mlDsaCosigner().cosign(body, timestamp).line()).append('\n');
    }
    return sb.toString();
  }

  /**
   * The {@code ledger.cosigned} record of the checkpoint at {@code size} after {@code previous}.
   */
  public CosignedCheckpoint cosigned(long previous, long size, long timestamp) {
    return CosignedCheckpoint.newBuilder()
        .setOrigin(log.origin())
        .setSize(size)
        .setRootHash(ByteBuffer.wrap(tree.rootAt(size)))
        .setPreviousSize(previous)
        .setNote(note(size, timestamp))
        .setCosigners(cosigners.stream().map(MemberKeys::id).toList())
        .setSubtrees(covering(previous, size))
        .setPublishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  /** The {@code ledger.landmarks} record of landmark {@code number}, COSIGNED. */
  public Landmark landmark(long number, long previousTreeSize, long treeSize) {
    return Landmark.newBuilder()
        .setOrigin(log.origin())
        .setNumber(number)
        .setTreeSize(treeSize)
        .setPreviousTreeSize(previousTreeSize)
        .setState(LandmarkState.COSIGNED)
        .setSubtrees(covering(previousTreeSize, treeSize))
        .setAllocatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  /** The covering subtrees of {@code [start, end)}, each signed by every cosigner. */
  private List<SignedSubtree> covering(long start, long end) {
    List<SignedSubtree> out = new ArrayList<>(2);
    if (start == end) {
      return out;
    }
    SubtreePair pair = Subtrees.findSubtrees(start, end);
    for (Subtree s : List.of(pair.left(), pair.right())) {
      if (s.size() > 0) {
        out.add(signed(s.start(), s.end()));
      }
    }
    return out;
  }

  private SignedSubtree signed(long start, long end) {
    byte[] hash = tree.subtreeHash(start, end);
    List<SubtreeSignature> sigs = new ArrayList<>();
    for (MemberKeys m : cosigners) {
      sigs.add(
          SubtreeSignature.newBuilder()
              .setCosigner(m.id())
              .setCosignerId(m.trustAnchorId())
              .setSignature(
                  ByteBuffer.wrap(m.mlDsaCosigner().signSubtree(log.origin(), start, end, hash)))
              .build());
    }
    return SignedSubtree.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setHash(ByteBuffer.wrap(hash))
        .setSignatures(sigs)
        .build();
  }
}
