package org.ledgerpki.cosign.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.MerkleTree;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.StatusCommitment;
import org.ledgerpki.core.status.StatusLog;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.KeyValueNodeStore;
import org.ledgerpki.streams.store.StoreKeys;

/**
 * A cosigner task's mirror of one log, over three of its state stores: the {@link MirrorState} of
 * each origin, the nodes of the mirror tree, and the status store (what the status events need of
 * the mirrored entries, the mirrored status events and the status commitment after each; the {@link
 * MirrorIndex} shares that store under tags of its own). One per processor instance; the key layout
 * is the one the stores were always written with.
 */
public final class MirrorStore {
  private static final int NODE_TAG = 'N';
  private static final int OWNER_TAG = 'O';
  private static final int EVENT_TAG = 'E';
  private static final int COMMITMENT_TAG = 'K';
  private static final int ENTRY_ID_TAG = 'I';
  private static final int ENTRY_TAG = 'J';

  private final KeyValueStore<String, byte[]> states;
  private final KeyValueStore<Bytes, byte[]> nodes;
  private final KeyValueStore<Bytes, byte[]> status;

  /**
   * @param states origin → encoded {@link MirrorState}
   * @param nodes the mirror trees' nodes
   * @param status the status store
   */
  public MirrorStore(
      KeyValueStore<String, byte[]> states,
      KeyValueStore<Bytes, byte[]> nodes,
      KeyValueStore<Bytes, byte[]> status) {
    this.states = states;
    this.nodes = nodes;
    this.status = status;
  }

  /** Whether a state of {@code origin} was ever saved. */
  public boolean has(String origin) {
    return states.get(origin) != null;
  }

  /** The saved state of {@code origin}, or a new one (empty mirror) if none was saved. */
  public MirrorState state(String origin) {
    byte[] b = states.get(origin);
    return b == null ? new MirrorState() : MirrorState.decode(b);
  }

  /** Saves {@code st} as the state of {@code origin}. */
  public void save(String origin, MirrorState st) {
    states.put(origin, st.encode());
  }

  /** The mirror tree of {@code origin} at the frontier of {@code st}. */
  public MerkleTree tree(String origin, MirrorState st) {
    return MerkleTree.open(
        new KeyValueNodeStore(nodes, StoreKeys.of(origin, NODE_TAG).build()), st.frontier);
  }

  /** What the checks that look back remember of the ledger of {@code origin}. */
  public MirrorIndex index(String origin) {
    return new MirrorIndex(status, origin, cert -> entryId(origin, cert, null));
  }

  /**
   * Records only the owner of the mirrored entry of {@code certificateSha256}, for an entry whose
   * status identity cannot be read (it taints the log; events about it are judged against the owner
   * and then fail on the missing identity).
   */
  void putOwner(String origin, byte[] certificateSha256, String submitter) {
    status.put(
        StoreKeys.of(origin, OWNER_TAG).raw(certificateSha256).build(),
        submitter.getBytes(StandardCharsets.UTF_8));
  }

  /** A combined record: the entry's status identity and its owner. */
  private record Mirrored(EntryId id, String owner) {}

  /**
   * The combined record ({@code 'J'}) of {@code certificateSha256} that cosigners wrote before the
   * leaf record held the same, decoded, or null.
   */
  private Mirrored entryRecord(String origin, byte[] certificateSha256) {
    byte[] b = status.get(StoreKeys.of(origin, ENTRY_TAG).raw(certificateSha256).build());
    if (b == null) {
      return null;
    }
    Codec.Reader r = new Codec.Reader(b, "mirrored entry");
    byte[] leaf = r.bytes();
    byte[] spki = r.bytes();
    String owner = r.string();
    r.end();
    return new Mirrored(new EntryId(leaf, spki), owner);
  }

  /**
   * The owner of the mirrored entry of the certificate with hex SHA-256 {@code certHash}, whose
   * entry's leaf hash is {@code leaf} (null if not known): from the leaf record of an entry that
   * passed, else from the records older stores hold (the combined record, an owner-only record),
   * else from the owner-only record of an entry whose status identity could not be read.
   */
  public Optional<String> ownerOf(String origin, String certHash, byte[] leaf) {
    byte[] cert = Hex.decode(certHash);
    Optional<MirrorIndex.Passed> passed = index(origin).passed(leaf, cert);
    if (passed.isPresent()) {
      return Optional.of(passed.get().owner());
    }
    Mirrored e = entryRecord(origin, cert);
    if (e != null) {
      return Optional.of(e.owner());
    }
    byte[] b = status.get(StoreKeys.of(origin, OWNER_TAG).raw(cert).build());
    return b == null ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
  }

  /**
   * The status identity (leaf and key hash) of the mirrored entry of {@code certificateSha256}, if
   * it passed its checks: from the leaf record of {@code leaf} if that is the certificate's entry,
   * else from the records older stores hold (the combined record, an identity-only record).
   */
  public Optional<EntryId> entryId(String origin, byte[] certificateSha256, byte[] leaf) {
    Optional<MirrorIndex.Passed> passed = index(origin).passed(leaf, certificateSha256);
    if (passed.isPresent()) {
      return Optional.of(new EntryId(leaf, passed.get().spkiHash()));
    }
    Mirrored e = entryRecord(origin, certificateSha256);
    if (e != null) {
      return Optional.of(e.id());
    }
    byte[] b = status.get(StoreKeys.of(origin, ENTRY_ID_TAG).raw(certificateSha256).build());
    if (b == null) {
      return Optional.empty();
    }
    Codec.Reader r = new Codec.Reader(b, "entry id");
    EntryId held = new EntryId(r.bytes(), r.bytes());
    r.end();
    return Optional.of(held);
  }

  /** The encoded status event {@code seq} of {@code origin}, or null if it was not mirrored. */
  public byte[] event(String origin, long seq) {
    return status.get(StoreKeys.of(origin, EVENT_TAG).u64(seq).build());
  }

  /** Records the mirrored status event {@code seq} of {@code origin}. */
  public void putEvent(String origin, long seq, byte[] encoded) {
    status.put(StoreKeys.of(origin, EVENT_TAG).u64(seq).build(), encoded);
  }

  /** Records this cosigner's status commitment after {@code c.count()} events. */
  public void putCommitment(String origin, StatusCommitment c) {
    status.put(
        StoreKeys.of(origin, COMMITMENT_TAG).u64(c.count()).build(),
        new Codec.Writer().bytes(c.logRoot()).bytes(c.mapRoot()).toByteArray());
  }

  /**
   * This cosigner's status commitment after {@code count} events. Requires {@code count ≤
   * statusCount} of the origin's state.
   */
  public StatusCommitment commitmentAt(String origin, long count) {
    if (count == 0) {
      return new StatusLog().commitment();
    }
    byte[] b = status.get(StoreKeys.of(origin, COMMITMENT_TAG).u64(count).build());
    Codec.Reader r = new Codec.Reader(b, "status commitment");
    StatusCommitment c = new StatusCommitment(count, r.bytes(), r.bytes());
    r.end();
    return c;
  }
}
