package org.ledgerpki.issuance.integrate;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.state.KeyValueStore;
import org.ledgerpki.core.Hex;
import org.ledgerpki.core.merkle.Rfc9162;
import org.ledgerpki.core.quorum.Readmission;
import org.ledgerpki.core.status.Lifecycle;

/**
 * What core's {@link Readmission} rule needs to know of the log, kept in the {@code admission}
 * store: {@code leaf/<leaf hash>} → index, {@code compromised/<spki hash>} and {@code revoked/<spki
 * hash>} → the revoked certificate, its reason and owner. Each certificate's key and owner are in
 * {@link SequencedCertificates}; stores written before the tenth round of issue 13 hold them under
 * {@code key/<certificate hash>}, still read.
 */
final class Admission {
  /** Key prefixes of the {@code admission} store. */
  private static final String LEAF = "leaf/";

  private static final String KEY = "key/";
  private static final String COMPROMISED = "compromised/";
  private static final String REVOKED = "revoked/";

  private final KeyValueStore<String, String> admission;

  Admission(KeyValueStore<String, String> admission) {
    this.admission = admission;
  }

  /** Records that the entry with MTC log entry leaf hash {@code leaf} is entry {@code index}. */
  void admitted(byte[] leaf, long index) {
    admission.put(LEAF + Hex.encode(leaf), Long.toString(index));
  }

  /** Core's re-admission rule on what {@code admission} holds of the log. */
  Optional<Readmission.Refused> check(
      byte[] entry, byte[] spki, String submitter, Readmission.KeyReuse keyReuse) {
    String at = admission.get(LEAF + Hex.encode(Rfc9162.leafHash(entry)));
    String k = Hex.encode(spki);
    return Readmission.check(
        at == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(at)),
        revocation(admission.get(COMPROMISED + k)),
        revocation(admission.get(REVOKED + k)),
        submitter == null ? "" : submitter,
        keyReuse);
  }

  private static Optional<Readmission.Revocation> revocation(String v) {
    if (v == null) {
      return Optional.empty();
    }
    String[] f = v.split(" ", 3);
    return Optional.of(new Readmission.Revocation(Hex.decode(f[0]), Integer.parseInt(f[1]), f[2]));
  }

  /**
   * Records that the key of revoked certificate {@code certHash}, as {@code held} has it, is
   * compromised or revoked.
   */
  void revokeKey(String certHash, Integer reason, SequencedCertificates.Held held) {
    String spki;
    String owner;
    if (held != null && held.owner() != null) {
      spki = Hex.encode(held.id().spkiHash());
      owner = held.owner();
    } else {
      String v = admission.get(KEY + certHash);
      if (v == null) {
        return; // admitted before this store existed; nothing to block
      }
      String[] f = v.split(" ", 2);
      spki = f[0];
      owner = f[1];
    }
    int r = reason == null ? Lifecycle.REASON_UNSPECIFIED : reason;
    admission.put(
        (Readmission.compromises(r) ? COMPROMISED : REVOKED) + spki,
        certHash + " " + r + " " + owner);
  }
}
