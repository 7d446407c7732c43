package org.ledgerpki.core.status;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.MalformedInputException;
import org.ledgerpki.core.Sha256;
import org.ledgerpki.core.merkle.InMemoryNodeStore;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.smt.SmtProof;
import org.ledgerpki.core.smt.SparseMerkleTree;

/**
 * The status of one issuance log's entries: the sequenced events (an RFC 9162 tree) and the status
 * map (a sparse Merkle tree) with two kinds of key (docs/status.md):
 *
 * <ul>
 *   <li>{@link #entryKey entry key} = the entry's RFC 9162 leaf hash → the entry's latest event;
 *   <li>{@link #compromisedKeyKey compromised-key key} = SHA-256({@value #COMPROMISED_KEY_LABEL} ‖
 *       subjectPublicKeyInfoHash) → the first event that revoked an entry of that key for
 *       keyCompromise(1).
 * </ul>
 *
 * The sequencer, every cosigner and every inquiry node keep one and apply the same events; their
 * {@link #commitment()}s agree. Not thread-safe.
 */
public final class StatusLog {
  /** The domain label of compromised-key keys, so they can never equal an entry key. */
  public static final String COMPROMISED_KEY_LABEL = "ledger-pki compromised key v1\n";

  private final MerkleTree events = new MerkleTree(new InMemoryNodeStore());
  private final SparseMerkleTree map = new SparseMerkleTree();
  private final Map<String, StatusEvent> latest = new HashMap<>();
  private final Map<String, StatusEvent> compromised = new HashMap<>();

  /** The status map key of a log entry: its RFC 9162 leaf hash (requires 32 bytes). */
  public static byte[] entryKey(byte[] entryLeafHash) {
    if (entryLeafHash.length != 32) {
      throw new IllegalArgumentException("an entry leaf hash is 32 bytes");
    }
    return entryLeafHash.clone();
  }

  /** The status map key under which a compromised subject public key is recorded. */
  public static byte[] compromisedKeyKey(byte[] spkiHash) {
    if (spkiHash.length != 32) {
      throw new IllegalArgumentException("a subjectPublicKeyInfoHash is 32 bytes");
    }
    byte[] label = COMPROMISED_KEY_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] in = new byte[label.length + 32];
    System.arraycopy(label, 0, in, 0, label.length);
    System.arraycopy(spkiHash, 0, in, label.length, 32);
    return Sha256.hash(in);
  }

  /** The number of events applied. */
  public long count() {
    return events.size();
  }

  /** The latest event of an entry (by leaf hash), or null if it has none. */
  public StatusEvent latest(byte[] entryHash) {
    return latest.get(Hex.encode(entryHash));
  }

  /** The event that reported this key (SPKI hash) compromised, or null if none did. */
  public StatusEvent compromise(byte[] spkiHash) {
    return compromised.get(Hex.encode(spkiHash));
  }

  /** The entry's own state (its events only): GOOD unless an event says otherwise. */
  public CertificateState state(byte[] entryHash) {
    StatusEvent e = latest(entryHash);
    return e == null ? CertificateState.GOOD : e.state();
  }

  /**
   * The state a relying party is told: REVOKED if the entry's key was reported compromised through
   * any entry, otherwise the entry's own state.
   */
  public CertificateState effectiveState(byte[] entryHash, byte[] spkiHash) {
    return effectiveState(latest(entryHash), compromise(spkiHash));
  }

  /**
   * The state a relying party is told, from the entry's latest event and the report that its key
   * was compromised (each null if there is none).
   */
  public static CertificateState effectiveState(StatusEvent latest, StatusEvent compromise) {
    if (compromise != null) {
      return CertificateState.REVOKED;
    }
    return latest == null ? CertificateState.GOOD : latest.state();
  }

  /**
   * Appends an event.
   *
   * @throws IllegalArgumentException if its sequence number is not the next one, the transition
   *     from the entry's current state is not allowed, or the event names another key than the
   *     entry's earlier events
   */
  public void apply(StatusEvent e) {
    if (e.sequence() != events.size()) {
      throw new IllegalArgumentException(
          "status event " + e.sequence() + " is not the next one (" + events.size() + ")");
    }
    StatusEvent before = latest(e.entryHash());
    if (before != null && !java.util.Arrays.equals(before.spkiHash(), e.spkiHash())) {
      throw new IllegalArgumentException(
          "status event " + e.sequence() + " names another key than the entry's earlier events");
    }
    CertificateState now = state(e.entryHash());
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
    map.put(entryKey(e.entryHash()), encoded);
    latest.put(Hex.encode(e.entryHash()), e);
    if (e.reportsKeyCompromise() && compromise(e.spkiHash()) == null) {
      map.put(compromisedKeyKey(e.spkiHash()), encoded);
      compromised.put(Hex.encode(e.spkiHash()), e);
    }
  }

  /** The latest event of every entry that has one, in no particular order. */
  public List<StatusEvent> latestEvents() {
    return List.copyOf(latest.values());
  }

  /**
   * The status log's root as it would be after {@code next} were appended, in order, to the events
   * applied; nothing is applied. Lets a reader choose, among conflicting events offered for the
   * same sequence numbers, the ones a cosigned status line commits to before it applies any.
   */
  public byte[] logRootWith(List<StatusEvent> next) {
    org.ledgerpki.core.merkle.CompactRange r = events.frontier();
    for (StatusEvent e : next) {
      r.append(Rfc9162.leafHash(e.encode()));
    }
    return r.root();
  }

  public StatusCommitment commitment() {
    return new StatusCommitment(events.size(), events.root(), map.root());
  }

  /** A proof of the entry's latest event (or of its absence) under the current map root. */
  public SmtProof proveEntry(byte[] entryHash) {
    return map.prove(entryKey(entryHash));
  }

  /** A proof of the key's compromise report (or of its absence) under the current map root. */
  public SmtProof proveKey(byte[] spkiHash) {
    return map.prove(compromisedKeyKey(spkiHash));
  }

  /** Decodes an event found in a proof or a record. */
  public static StatusEvent decode(byte[] encoded) throws MalformedInputException {
    return StatusEvent.decode(encoded);
  }
}
