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

  public String origin() {
    return tc.log().origin();
  }

  /** The checkpoint at the current size, signed by the log and cosigned by {@code cosigners}. */
  public String cosignedCheckpoint(List<String> cosigners, long timestamp) {
    return cosignedCheckpoint(tree.size(), cosigners, timestamp);
  }

  /** The checkpoint at {@code size}, signed by the log and cosigned by {@code cosigners}. */
  public String cosignedCheckpoint(long size, List<String> cosigners, long timestamp) {
    Checkpoint cp = new Checkpoint(origin(), size, tree.rootAt(size), List.of());
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

  /** A GOOD answer for {@code index}, relative to {@code checkpointNote} of size {@code size}. */
  public StatusAnswer goodAnswer(
      long index, long size, String checkpointNote, Instant produced, Instant next) {
    List<String> proof = new ArrayList<>();
    for (byte[] h : tree.inclusionProof(index, size)) {
      proof.add(Base64.getEncoder().encodeToString(h));
    }
    return new StatusAnswer(
        Hex.encode(Sha256.hash(certificates.get((int) index))),
        "GOOD",
        origin(),
        index,
        Base64.getEncoder().encodeToString(entries.get((int) index)),
        proof,
        checkpointNote,
        null,
        null,
        produced.toString(),
        next.toString());
  }
}
