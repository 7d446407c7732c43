package org.ledgerpki.issuance.integrate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.status.EntryId;
import org.ledgerpki.issuance.IssuanceTopology;

/**
 * What {@code integrate} keeps of each certificate it sequenced, in one record of the {@code
 * entry-ids} store: certificate hash (hex) → leaf hash (32 octets) ‖ subjectPublicKeyInfoHash (32)
 * ‖ index in the log (8, big-endian) ‖ owner (UTF-8: its ISSUE's submitter). A replay is known by
 * it, the certificate's status events name its first two fields, and its revocation blocks its key
 * with its owner for the re-admission rule ({@link Admission#revokeKey}).
 *
 * <p>Until the tenth round of issue 13 this was three records in three stores: the 64-octet (leaf,
 * key) value here, the index in {@code sequenced}, and the key and owner under {@code key/} in
 * {@code admission}. A store restored from such a changelog is still read: a 64-octet value takes
 * its index from {@code sequenced}, and {@link Admission} the owner from {@code key/}.
 */
final class SequencedCertificates {
  /** A sequenced certificate; {@code owner} is null in a record written before it was kept here. */
  record Held(EntryId id, long index, String owner) {}

  private static final int ID_SIZE = 64;
  private static final int OWNER_AT = ID_SIZE + Long.BYTES;

  private final KeyValueStore<String, byte[]> entryIds;
  private final KeyValueStore<String, Long> sequenced;

  SequencedCertificates(ProcessorContext<?, ?> context) {
    this.entryIds = context.getStateStore(IssuanceTopology.ENTRY_IDS_STORE);
    this.sequenced = context.getStateStore(IssuanceTopology.SEQUENCED_STORE);
  }

  /** The index of the certificate {@code certHash} (hex) in the log, or null if not sequenced. */
  Long index(String certHash) {
    byte[] v = entryIds.get(certHash);
    if (v != null && v.length >= OWNER_AT) {
      return ByteBuffer.wrap(v, ID_SIZE, Long.BYTES).getLong();
    }
    return sequenced.get(certHash);
  }

  /** What is kept of the sequenced certificate {@code certHash} (hex), or null. */
  Held get(String certHash) {
    byte[] v = entryIds.get(certHash);
    if (v == null || v.length < ID_SIZE) {
      return null;
    }
    EntryId id = new EntryId(Arrays.copyOfRange(v, 0, 32), Arrays.copyOfRange(v, 32, ID_SIZE));
    if (v.length >= OWNER_AT) {
      return new Held(
          id,
          ByteBuffer.wrap(v, ID_SIZE, Long.BYTES).getLong(),
          new String(v, OWNER_AT, v.length - OWNER_AT, StandardCharsets.UTF_8));
    }
    Long index = sequenced.get(certHash);
    return index == null ? null : new Held(id, index, null);
  }

  /** Records that {@code certHash} (hex) is entry {@code index}, owned by {@code owner}. */
  void put(String certHash, byte[] leaf, byte[] spki, long index, String owner) {
    byte[] o = (owner == null ? "" : owner).getBytes(StandardCharsets.UTF_8);
    entryIds.put(
        certHash,
        ByteBuffer.allocate(OWNER_AT + o.length).put(leaf).put(spki).putLong(index).put(o).array());
  }
}
