package org.ledgerpki.core.status;

import java.util.HashMap;
import java.util.Map;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.smt.SparseMerkleTree;

/**
 * The status of one issuance log's certificates: the sequenced events (an RFC 9162 tree) and the
 * map from certificate hash to latest event (a sparse Merkle tree). The sequencer, every cosigner
 * and every inquiry node keep one and apply the same events; their {@link #commitment()}s agree.
 * Not thread-safe.
 */
public final class StatusLog {
  private final MerkleTree events = new MerkleTree(new InMemoryNodeStore());
  private final SparseMerkleTree map = new SparseMerkleTree();
  private final Map<String, StatusEvent> latest = new HashMap<>();

  /** The number of events applied. */
  public long count() {
    return events.size();
  }

  /** The latest event of a certificate, or null if it has none (it is GOOD if admitted). */
  public StatusEvent latest(byte[] certificateSha256) {
    return latest.get(Hex.encode(certificateSha256));
  }

  /** The certificate's state: GOOD unless an event says otherwise. */
  public CertificateState state(byte[] certificateSha256) {
    StatusEvent e = latest(certificateSha256);
    return e == null ? CertificateState.GOOD : e.state();
  }

  /**
   * Appends an event.
   *
   * @throws IllegalArgumentException if its sequence number is not the next one, or the transition
   *     from the certificate's current state is not allowed
   */
  public void apply(StatusEvent e) {
    if (e.sequence() != events.size()) {
      throw new IllegalArgumentException(
          "status event " + e.sequence() + " is not the next one (" + events.size() + ")");
    }
    CertificateState now = state(e.certificateSha256());
    Lifecycle.Result r = Lifecycle.apply(now, e.operation());
    if (!r.allowed() || r.state().get() != e.state()) {
      throw new IllegalArgumentException(
          "status event "
              + e.sequence()
              + ": "
              + e.operation()
              + " from "
              + now
              + " cannot give "
              + e.state()
              + (r.refusal() != null ? " (" + r.refusal() + ")" : ""));
    }
    byte[] encoded = e.encode();
    events.append(Rfc9162.leafHash(encoded));
    map.put(e.certificateSha256(), encoded);
    latest.put(Hex.encode(e.certificateSha256()), e);
  }

  /** The latest event of every certificate that has one, in no particular order. */
  public java.util.List<StatusEvent> latestEvents() {
    return java.util.List.copyOf(latest.values());
  }

  public StatusCommitment commitment() {
    return new StatusCommitment(events.size(), events.root(), map.root());
  }

  /** A proof of the certificate's latest event (or of its absence) under the current map root. */
  public SmtProof prove(byte[] certificateSha256) {
    return map.prove(certificateSha256);
  }

  /** Decodes an event found in a proof or a record. */
  public static StatusEvent decode(byte[] encoded) throws MalformedInputException {
    return StatusEvent.decode(encoded);
  }
}
