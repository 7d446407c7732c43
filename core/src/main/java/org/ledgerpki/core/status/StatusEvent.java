package org.ledgerpki.core.status;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ledgerpki.core.MalformedInputException;

/**
 * An accepted lifecycle event of one log entry, as sequenced into the status log and stored in the
 * status map. Status is a property of the MTC log entry, not of one DER encoding of a certificate:
 * the event names the entry by its RFC 9162 leaf hash, which is the status map key a relying party
 * derives from the entry it proved. Its encoding is the status map's value and the status log's
 * leaf (docs/status.md):
 *
 * <pre>
 * "ledger-pki status v2\n"
 * uint64 sequence        // 0, 1, 2, … per log
 * opaque entryHash[32]   // RFC 9162 leaf hash of the entry's MTCLogEntry
 * opaque spkiHash[32]    // the entry's subjectPublicKeyInfoHash
 * opaque certificateSha256[32]   // SHA-256 of the admitted certificate's DER (the requests' target)
 * uint8  state           // 0 GOOD, 1 SUSPENDED, 2 REVOKED
 * uint8  operation       // 0 REVOKE, 1 SUSPEND, 2 RESUME, 3 RENEW
 * uint8  reasonCode      // RFC 5280 CRLReason, 255 if none
 * uint64 effectiveAt     // epoch milliseconds
 * opaque supersededBy<0..32>   // RENEW: SHA-256 of the new certificate
 * </pre>
 */
public record StatusEvent(
    long sequence,
    byte[] entryHash,
    byte[] spkiHash,
    byte[] certificateSha256,
    CertificateState state,
    Lifecycle.Operation operation,
    Integer reasonCode,
    long effectiveAtMillis,
    byte[] supersededBy) {

  private static final byte[] LABEL = "ledger-pki status v2\n".getBytes(StandardCharsets.US_ASCII);

  /** Length of an event without {@code supersededBy}; with it, 32 more. */
  public static final int FIXED_LENGTH = LABEL.length + 8 + 3 * 32 + 3 + 8 + 1;

  /**
   * @throws IllegalArgumentException if a hash is not 32 bytes, the state or operation is null, or
   *     the reason code is not an RFC 5280 CRLReason
   */
  public StatusEvent {
    requireHash(entryHash, "entryHash");
    requireHash(spkiHash, "spkiHash");
    requireHash(certificateSha256, "certificateSha256");
    if (state == null || operation == null) {
      throw new IllegalArgumentException("state and operation are required");
    }
    if (reasonCode != null && !Lifecycle.isReasonCode(reasonCode)) {
      throw new IllegalArgumentException(reasonCode + " is not an RFC 5280 CRLReason");
    }
    entryHash = entryHash.clone();
    spkiHash = spkiHash.clone();
    if (supersededBy != null && supersededBy.length != 32) {
      throw new IllegalArgumentException("supersededBy must be 32 bytes");
    }
    certificateSha256 = certificateSha256.clone();
    supersededBy = supersededBy == null ? null : supersededBy.clone();
  }

  private static void requireHash(byte[] h, String name) {
    if (h == null || h.length != 32) {
      throw new IllegalArgumentException(name + " must be 32 bytes");
    }
  }

  @Override
  public byte[] entryHash() {
    return entryHash.clone();
  }

  @Override
  public byte[] spkiHash() {
    return spkiHash.clone();
  }

  /** Whether this event reports the entry's key as compromised: a revocation for keyCompromise. */
  public boolean reportsKeyCompromise() {
    return state == CertificateState.REVOKED
        && reasonCode != null
        && reasonCode == Lifecycle.REASON_KEY_COMPROMISE;
  }

  @Override
  public byte[] certificateSha256() {
    return certificateSha256.clone();
  }

  @Override
  public byte[] supersededBy() {
    return supersededBy == null ? null : supersededBy.clone();
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(FIXED_LENGTH + 32);
    out.writeBytes(LABEL);
    out.writeBytes(ByteBuffer.allocate(8).putLong(sequence).array());
    out.writeBytes(entryHash);
    out.writeBytes(spkiHash);
    out.writeBytes(certificateSha256);
    out.write(state.ordinal());
    out.write(operation.ordinal());
    out.write(reasonCode == null ? 255 : reasonCode);
    out.writeBytes(ByteBuffer.allocate(8).putLong(effectiveAtMillis).array());
    out.write(supersededBy == null ? 0 : 32);
    if (supersededBy != null) {
      out.writeBytes(supersededBy);
    }
    return out.toByteArray();
  }

  public static StatusEvent decode(byte[] b) throws MalformedInputException {
    if (b == null
        || b.length != FIXED_LENGTH && b.length != FIXED_LENGTH + 32
        || !Arrays.equals(Arrays.copyOf(b, LABEL.length), LABEL)) {
      throw new MalformedInputException(
          "not a ledger-pki status v2 event (" + (b == null ? "null" : b.length + " bytes") + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(b, LABEL.length, b.length - LABEL.length);
    long seq = in.getLong();
    byte[] entry = new byte[32];
    in.get(entry);
    byte[] spki = new byte[32];
    in.get(spki);
    byte[] cert = new byte[32];
    in.get(cert);
    int state = in.get() & 0xff;
    int op = in.get() & 0xff;
    int reason = in.get() & 0xff;
    long at = in.getLong();
    int n = in.get() & 0xff;
    if (state >= CertificateState.values().length
        || op >= Lifecycle.Operation.values().length
        || (n != 0 && n != 32)
        || in.remaining() != n
        || (reason != 255 && !Lifecycle.isReasonCode(reason))) {
      throw new MalformedInputException("status event: bad state, operation, reason or length");
    }
    byte[] sup = null;
    if (n == 32) {
      sup = new byte[32];
      in.get(sup);
    }
    return new StatusEvent(
        seq,
        entry,
        spki,
        cert,
        CertificateState.values()[state],
        Lifecycle.Operation.values()[op],
        reason == 255 ? null : reason,
        at,
        sup);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusEvent e && Arrays.equals(e.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }
}
