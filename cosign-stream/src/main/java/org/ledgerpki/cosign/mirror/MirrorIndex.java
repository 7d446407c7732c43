package org.ledgerpki.cosign.mirror;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.quorum.Readmission;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.core.status.Lifecycle;
import org.ledgerpki.streams.store.Codec;
import org.ledgerpki.streams.store.StoreKeys;

/**
 * What a cosigner remembers of the ledger it mirrors, for the checks that look back ({@link
 * EntryCheck}, {@code StatusCheck}): entries by leaf hash, each certificate's key, the keys of
 * revoked entries, the lifecycle requests already used, and who placed each hold. Derived only from
 * mirrored {@code ledger.entries} records and from the clear fields of mirrored {@code
 * ledger.status} records (certificateSha256, operation, reasonCode, owner, requests). Kept in the
 * cosigner's status store under tags of its own, per origin, so it is rebuilt with the mirror.
 *
 * <p>An entry that passed its checks is one record ({@code 'L'}, by leaf hash): its index, its
 * certificate's SHA-256, its key hash and its owner. Status events name both the certificate and
 * its entry's leaf hash, so they find it by the leaf and must name the certificate it holds. An
 * entry that did not pass keeps its index alone under {@code 'L'}, and its key under {@code 'S'}.
 */
public final class MirrorIndex {
  private static final int LEAF_TAG = 'L';
  private static final int KEY_TAG = 'S';
  private static final int COMPROMISED_TAG = 'C';
  private static final int REVOKED_TAG = 'R';
  private static final int REQUEST_TAG = 'Q';
  private static final int HOLD_TAG = 'H';

  /**
   * What the mirror holds of an entry that passed its checks.
   *
   * @param certificateSha256 its certificate's SHA-256
   * @param spkiHash the SHA-256 of its certificate's SubjectPublicKeyInfo
   * @param owner the member that submitted it
   */
  public record Passed(byte[] certificateSha256, byte[] spkiHash, String owner) {}

  private final KeyValueStore<Bytes, byte[]> store;
  private final String origin;
  private final Function<byte[], Optional<EntryId>> entryIds;

  /**
   * @param entryIds the status identity (leaf and key hash) {@link MirrorStore} holds of a mirrored
   *     certificate, by its SHA-256, in the layouts written before the leaf record held it
   */
  MirrorIndex(
      KeyValueStore<Bytes, byte[]> store,
      String origin,
      Function<byte[], Optional<EntryId>> entryIds) {
    this.store = store;
    this.origin = origin;
    this.entryIds = entryIds;
  }

  /** The index of the mirrored entry with leaf hash {@code leaf}, if any. */
  OptionalLong indexOfLeaf(byte[] leaf) {
    byte[] b = store.get(StoreKeys.of(origin, LEAF_TAG).raw(leaf).build());
    return b == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(b).getLong());
  }

  /**
   * The entry with leaf hash {@code leaf}, if it passed its checks and is the entry of {@code
   * certificateSha256}.
   */
  Optional<Passed> passed(byte[] leaf, byte[] certificateSha256) {
    if (leaf == null || certificateSha256 == null) {
      return Optional.empty();
    }
    byte[] b = store.get(StoreKeys.of(origin, LEAF_TAG).raw(leaf).build());
    if (b == null || b.length == 8) {
      return Optional.empty();
    }
    Codec.Reader r = new Codec.Reader(b, "mirrored entry");
    r.i64();
    Passed p = new Passed(r.bytes(), r.bytes(), r.string());
    r.end();
    return Arrays.equals(p.certificateSha256(), certificateSha256)
        ? Optional.of(p)
        : Optional.empty();
  }

  /**
   * Records a mirrored entry that passed its checks, in one record: its leaf hash at {@code index},
   * with its certificate, key and owner ({@code passed}).
   */
  void putPassedEntry(byte[] leaf, long index, Passed passed) {
    store.put(
        StoreKeys.of(origin, LEAF_TAG).raw(leaf).build(),
        new Codec.Writer()
            .i64(index)
            .bytes(passed.certificateSha256())
            .bytes(passed.spkiHash())
            .string(passed.owner())
            .toByteArray());
  }

  /**
   * Records a mirrored entry that did not pass its checks: its leaf hash at {@code index} (unless
   * an earlier entry has it), and its certificate's key unless either is null, so that a revocation
   * of it still blocks the key.
   */
  void putEntry(byte[] leaf, long index, byte[] certificateSha256, byte[] spkiHash) {
    if (indexOfLeaf(leaf).isEmpty()) {
      store.put(
          StoreKeys.of(origin, LEAF_TAG).raw(leaf).build(),
          ByteBuffer.allocate(8).putLong(index).array());
    }
    if (certificateSha256 != null && spkiHash != null) {
      store.put(StoreKeys.of(origin, KEY_TAG).raw(certificateSha256).build(), spkiHash);
    }
  }

  /** A revocation for keyCompromise of an entry on key {@code spkiHash}, if any. */
  Optional<Readmission.Revocation> compromise(byte[] spkiHash) {
    return revocation(COMPROMISED_TAG, spkiHash);
  }

  /** A revocation for another reason of an entry on key {@code spkiHash}, if any. */
  Optional<Readmission.Revocation> otherRevocation(byte[] spkiHash) {
    return revocation(REVOKED_TAG, spkiHash);
  }

  private Optional<Readmission.Revocation> revocation(int tag, byte[] spkiHash) {
    byte[] b = store.get(StoreKeys.of(origin, tag).raw(spkiHash).build());
    if (b == null) {
      return Optional.empty();
    }
    Codec.Reader r = new Codec.Reader(b, "key revocation");
    byte[] cert = r.bytes();
    int reason = (int) r.i64();
    String owner = r.string();
    r.end();
    return Optional.of(new Readmission.Revocation(cert, reason, owner));
  }

  /**
   * Records a mirrored REVOKE or RENEW of {@code certificateSha256} (owned by {@code owner}, its
   * entry's leaf hash {@code leaf}) with {@code reasonCode}: its key becomes compromised or
   * revoked. A certificate whose key the mirror does not know changes nothing.
   */
  public void putRevocation(
      byte[] certificateSha256, byte[] leaf, Integer reasonCode, String owner) {
    byte[] spki =
        passed(leaf, certificateSha256)
            .map(Passed::spkiHash)
            .or(() -> entryIds.apply(certificateSha256).map(EntryId::spkiHash))
            .orElseGet(
                () -> store.get(StoreKeys.of(origin, KEY_TAG).raw(certificateSha256).build()));
    if (spki == null) {
      return;
    }
    int reason = reasonCode == null ? Lifecycle.REASON_UNSPECIFIED : reasonCode;
    int tag = Readmission.compromises(reason) ? COMPROMISED_TAG : REVOKED_TAG;
    store.put(
        StoreKeys.of(origin, tag).raw(spki).build(),
        new Codec.Writer().bytes(certificateSha256).i64(reason).string(owner).toByteArray());
  }

  /** The status sequence of the event that used request (certificate, submitter, id), if any. */
  public OptionalLong requestUsed(byte[] certificateSha256, String submitter, String submissionId) {
    byte[] b = store.get(requestKey(certificateSha256, submitter, submissionId));
    return b == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(b).getLong());
  }

  public void putRequestUsed(
      byte[] certificateSha256, String submitter, String submissionId, long sequence) {
    store.put(
        requestKey(certificateSha256, submitter, submissionId),
        ByteBuffer.allocate(8).putLong(sequence).array());
  }

  private Bytes requestKey(byte[] cert, String submitter, String submissionId) {
    return StoreKeys.of(origin, REQUEST_TAG)
        .raw(cert)
        .string(submitter)
        .string(submissionId)
        .build();
  }

  /** Who placed the current hold of {@code certificateSha256}, if the mirror saw its SUSPEND. */
  public Optional<Lifecycle.Requester> holdPlacer(byte[] certificateSha256) {
    byte[] b = store.get(StoreKeys.of(origin, HOLD_TAG).raw(certificateSha256).build());
    return b == null ? Optional.empty() : Optional.of(Lifecycle.Requester.values()[b[0]]);
  }

  public void putHoldPlacer(byte[] certificateSha256, Lifecycle.Requester placer) {
    store.put(
        StoreKeys.of(origin, HOLD_TAG).raw(certificateSha256).build(),
        new byte[] {(byte) placer.ordinal()});
  }
}
